/**
 * Resources: `populace://models/{id}` (a model's description, JSON),
 * `populace://runs/{id}` (a run record, JSON) and its files from
 * @populace/server-kit's runFile: `populace://runs/{id}/metrics.csv` and
 * `metrics.parquet` (its metric series), `snapshot.parquet` (its per-agent
 * snapshot, for a run that keeps one), `bands.parquet` (a sweep's bands).
 * Parquet comes as a base64 blob.
 */
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { PopulaceError } from '@populace/core';
import { PARQUET_MIME_TYPE, runFile, runSnapshot, sweepOutcome, type RunFileName, type RunRecord } from '@populace/server-kit';
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

  const files: { name: string; file: RunFileName; title: string; description: string; has: (r: RunRecord) => boolean }[] = [
    { name: 'run-metrics', file: 'metrics.csv', title: 'Run metrics', description: "A run's metric series as CSV: step, then one column per metric.", has: (r) => r.stepsRecorded > 0 },
    { name: 'run-metrics-parquet', file: 'metrics.parquet', title: 'Run metrics (Parquet)', description: "A run's metric series as a Parquet file (base64 blob): step (INT32), then one DOUBLE column per metric.", has: (r) => r.stepsRecorded > 0 },
    { name: 'run-bands-parquet', file: 'bands.parquet', title: 'Sweep bands (Parquet)', description: "A sweep's uncertainty bands (sweep, run_scenarios) as a Parquet file (base64 blob): point, the varied parameters, metric, step, median, q25, q75, q025, q975.", has: (r) => sweepOutcome(r) !== undefined },
    { name: 'run-snapshot-parquet', file: 'snapshot.parquet', title: 'Run snapshot (Parquet)', description: "A run's per-agent snapshot (run_simulation's snapshot) as a Parquet file (base64 blob): step, agent, then one column per state, one row per agent per step.", has: (r) => runSnapshot(r) !== undefined },
  ];
  for (const f of files) {
    const mimeType = f.file === 'metrics.csv' ? 'text/csv' : PARQUET_MIME_TYPE;
    server.registerResource(
      f.name,
      new ResourceTemplate(`populace://runs/{id}/${f.file}`, {
        list: () => ({ resources: recent().filter(f.has).map((r) => ({ uri: `populace://runs/${r.id}/${f.file}`, name: `${r.id} ${f.file}`, mimeType })) }),
      }),
      { title: f.title, description: `${f.description} At most the server's maxFileCells values.`, mimeType },
      async (uri, { id }) => {
        const file = await runFile(store, ctx.kit.executor.limits, one(id, 'run id'), f.file);
        const body = file.body;
        return { contents: [typeof body === 'string' ? { uri: uri.href, mimeType, text: body } : { uri: uri.href, mimeType, blob: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64') }] };
      },
    );
  }
}
