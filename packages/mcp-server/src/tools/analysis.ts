/**
 * Tools that read and compare results: get_metrics and compare_runs
 * (run_scenarios is an operation: tools/operations.ts).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { compareRuns, formatComparison, getMetrics, metricsCsv } from '@populace/server-kit';
import { z } from 'zod';
import type { ToolContext } from '../context.js';
import { comparisonTable, maybeNumber } from '../schemas.js';
import { guarded, ok } from '../tool-result.js';

/** Points per metric get_metrics returns unless asked otherwise. */
export const DEFAULT_MAX_POINTS = 200;

/** Registers get_metrics and compare_runs. */
export function registerAnalysisTools(server: McpServer, ctx: ToolContext): void {
  const { store } = ctx.kit;

  server.registerTool(
    'get_metrics',
    {
      title: 'Get metric series',
      description: `Returns a run's metric series (one value per step), optionally only some metrics and a step range, downsampled to at most maxPoints points (default ${DEFAULT_MAX_POINTS}; 'sample' keeps evenly spaced steps, 'mean' averages buckets). Works while the run is still going.`,
      inputSchema: {
        runId: z.string().min(1).describe('The run id (run-...).'),
        metrics: z.array(z.string()).min(1).optional().describe('Metric names (default: all of the run).'),
        from: z.number().int().min(1).optional().describe('First step (default 1).'),
        to: z.number().int().min(1).optional().describe('Last step (default: the last recorded).'),
        maxPoints: z.number().int().min(2).max(100000).optional(),
        method: z.enum(['sample', 'mean']).optional(),
      },
      outputSchema: {
        runId: z.string(),
        status: z.string(),
        names: z.array(z.string()),
        steps: z.array(z.number()),
        series: z.record(z.string(), z.array(maybeNumber)),
        stepsRecorded: z.number(),
        downsampled: z.object({ method: z.enum(['sample', 'mean']), maxPoints: z.number(), pointsBefore: z.number() }).nullable(),
      },
      annotations: { readOnlyHint: true },
    },
    ({ runId, metrics, from, to, maxPoints, method }) =>
      guarded('get_metrics', ctx.log, () => {
        const slice = getMetrics(store, runId, { names: metrics, from, to, maxPoints: maxPoints ?? DEFAULT_MAX_POINTS, method });
        const note = slice.downsampled ? ` (downsampled by '${slice.downsampled.method}' from ${slice.downsampled.pointsBefore} steps)` : '';
        return ok(`Run ${slice.runId} (${slice.status}), ${slice.steps.length} points${note}, as CSV:\n${metricsCsv(slice)}`, { ...slice });
      }),
  );

  server.registerTool(
    'compare_runs',
    {
      title: 'Compare runs',
      description: 'Compares finished (or partly recorded) runs: per metric the final value, the peak, the step of the peak and the total, for each run, with differences to the first run (the baseline).',
      inputSchema: {
        runIds: z.array(z.string().min(1)).min(1).max(20).describe('Run ids; the first is the baseline.'),
        metrics: z.array(z.string()).min(1).optional().describe('Metrics to compare (default: those all runs have).'),
      },
      outputSchema: { table: comparisonTable },
      annotations: { readOnlyHint: true },
    },
    ({ runIds, metrics }) =>
      guarded('compare_runs', ctx.log, () => {
        const table = compareRuns(store, runIds, { metrics });
        return ok(formatComparison(table), { table });
      }),
  );
}
