/**
 * Resources: `populace://models/{id}` (a model's description, JSON),
 * `populace://runs/{id}` (a run record, JSON) and
 * `populace://runs/{id}/metrics.csv` (its metric series).
 */
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { PopulaceError } from '@populace/core';
import { getMetrics, metricsCsv } from '@populace/server-kit';
import type { ToolContext } from './context.js';

/** Runs the resource lists show (newest first). */
const LISTED_RUNS = 50;

const one = (value: string | string[] | undefined, name: string): string => {
  const v = Array.isArray(value) ? value.join('/') : value;
  if (!v) throw new PopulaceError('invalid-argument', `resource URI: missing the ${name}.`);
  return decodeURIComponent(v);
};

/** Registers the model, run and run-metrics resources. */
export function registerResources(server: McpServer, ctx: ToolContext): void {
  const { runtime, store } = ctx.kit;
  server.registerResource(
    'model',
    new ResourceTemplate('populace://models/{+id}', {
      list: () => ({ resources: runtime.models.ids().map((id) => ({ uri: `populace://models/${id}`, name: id, mimeType: 'application/json', description: runtime.models.get(id).definition.description })) }),
      complete: { id: (value) => runtime.models.ids().filter((id) => id.startsWith(value)) },
    }),
    { title: 'Model', description: "A model's description: state, parameters with bounds, metrics.", mimeType: 'application/json' },
    (uri, { id }) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(runtime.describeModel(one(id, 'model id')), null, 2) }] }),
  );

  const recent = () => store.list({ limit: LISTED_RUNS }).runs;
  server.registerResource(
    'run',
    new ResourceTemplate('populace://runs/{id}', {
      list: () => ({ resources: recent().map((r) => ({ uri: `populace://runs/${r.id}`, name: r.id, mimeType: 'application/json', description: `${r.kind} of ${r.model}: ${r.status}` })) }),
    }),
    { title: 'Run', description: 'A run record: status, progress, parameters, timings, error, result.', mimeType: 'application/json' },
    (uri, { id }) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(store.require(one(id, 'run id')), null, 2) }] }),
  );

  server.registerResource(
    'run-metrics',
    new ResourceTemplate('populace://runs/{id}/metrics.csv', {
      list: () => ({ resources: recent().filter((r) => r.stepsRecorded > 0).map((r) => ({ uri: `populace://runs/${r.id}/metrics.csv`, name: `${r.id} metrics`, mimeType: 'text/csv' })) }),
    }),
    { title: 'Run metrics', description: "A run's metric series as CSV: step, then one column per metric.", mimeType: 'text/csv' },
    (uri, { id }) => ({ contents: [{ uri: uri.href, mimeType: 'text/csv', text: metricsCsv(getMetrics(store, one(id, 'run id'))) }] }),
  );
}
