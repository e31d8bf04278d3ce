/**
 * Tools that read and compare results: get_metrics, compare_runs and
 * run_scenarios (a small sweep compared in one table).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { compareRuns, formatComparison, getMetrics, isTerminal, metricsCsv, type ScenariosOutcome } from '@populace/server-kit';
import { z } from 'zod';
import { follow, type ToolContext } from '../context.js';
import { runText } from '../run-text.js';
import { behaviorsInput, comparisonTable, maybeNumber, paramValue, runRecord, simulationInput, stepsInput, waitInput } from '../schemas.js';
import { guarded, ok } from '../tool-result.js';

/** Points per metric get_metrics returns unless asked otherwise. */
export const DEFAULT_MAX_POINTS = 200;
/** Seconds run_scenarios waits by default. */
export const SCENARIOS_WAIT_SECONDS = 120;

/** Registers get_metrics, compare_runs and run_scenarios. */
export function registerAnalysisTools(server: McpServer, ctx: ToolContext): void {
  const { store, executor } = ctx.kit;

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

  server.registerTool(
    'run_scenarios',
    {
      title: 'Run and compare scenarios',
      description:
        "Runs a small sweep: each scenario's parameter values (over the shared params) on the same seed(s), then compares them in one table (the first scenario is the baseline; with several seeds each row averages over them). Use it to compare interventions, e.g. scenarios [{ name: 'baseline', params: {} }, { name: 'distancing', params: { beta: 0.03 } }].",
      inputSchema: {
        ...simulationInput,
        behaviors: behaviorsInput,
        steps: stepsInput,
        scenarios: z.array(z.object({ name: z.string().min(1).max(100).optional(), params: z.record(z.string(), paramValue) })).min(1).describe('The scenarios; each changes some parameters.'),
        seeds: z.array(z.number().int().min(0).max(4294967295)).min(1).optional().describe('Seeds every scenario runs on (default [seed]).'),
        waitSeconds: waitInput(SCENARIOS_WAIT_SECONDS),
      },
      outputSchema: { run: runRecord, finished: z.boolean(), table: comparisonTable.nullable() },
    },
    (args, extra) =>
      guarded('run_scenarios', ctx.log, async () => {
        const { waitSeconds, ...request } = args;
        const started = executor.submit({ kind: 'scenarios', ...request });
        const run = await follow(ctx, started.id, waitSeconds ?? SCENARIOS_WAIT_SECONDS, extra);
        const result = run.result as ScenariosOutcome | null;
        const table = result?.table ?? null;
        const runs = result ? `\nRuns: ${result.scenarios.map((s) => `${s.name}: ${s.runIds.join(', ')}`).join('; ')}` : `\nIts runs: list_runs shows them; get_run '${run.id}' gives the table when it ends.`;
        return ok(`${runText(run, store)}${table ? `\n\n${formatComparison(table)}` : ''}${runs}`, { run, finished: isTerminal(run.status), table });
      }),
  );
}
