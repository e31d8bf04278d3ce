/**
 * `runScenario`: one simulation submitted to the executor (so it is
 * recorded and can be compared later), waited for, and summarised per metric.
 */
import type { ParamValue } from '@populace/core';
import { z } from 'zod';
import { checkContext, type AnalysisContext } from './context.js';
import { jsonSafe, paramsSchema, parseInput, seedSchema, simulationFields } from './input.js';
import { expandParams } from './params.js';
import { checkMetrics, runFacts, summarizeRun, waitForDone, type MetricSummary, type RunFacts } from './run-outcome.js';

/** Input of `runScenario`. */
export const runScenarioInput = z.strictObject({
  ...simulationFields,
  seed: seedSchema.optional().describe('Random seed (default 0): the same seed gives the same run.'),
  params: paramsSchema.optional(),
  metrics: z.array(z.string().min(1)).min(1).optional().describe('Metrics to summarise (default all of the model).'),
});

/** What `runScenario` takes. */
export type RunScenarioInput = z.input<typeof runScenarioInput>;

/** The result of `runScenario` (plain JSON). */
export interface RunScenarioResult extends RunFacts {
  /** The overrides given (after expanding single numbers for time-varying parameters). */
  readonly overrides: Readonly<Record<string, ParamValue>>;
  /** Every parameter's value. */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly wallMs: number | null;
  /** Per metric: total over the steps, peak, step of the peak (from 1) and final value. */
  readonly metrics: Readonly<Record<string, MetricSummary>>;
  readonly notes: readonly string[];
}

/**
 * Runs one scenario through the executor and summarises each metric.
 *
 * @example
 * ```ts
 * const r = await runScenario(kit, { model: 'epi/covid', population: 'nyc', agents: 5000, steps: 60, seed: 1, params: { isolationDays: 7 } });
 * r.metrics.deaths.total; // deaths over the 60 days
 * ```
 */
export async function runScenario(ctx: AnalysisContext, input: RunScenarioInput): Promise<RunScenarioResult> {
  const { runtime, executor, store } = checkContext(ctx, 'runScenario');
  const args = parseInput(runScenarioInput, input, 'runScenario');
  const model = runtime.models.get(args.model);
  checkMetrics(args.metrics, Object.keys(model.definition.metrics), 'runScenario', model.id);
  const { params, notes } = expandParams(runtime, model.id, args.params);
  const submitted = executor.submit({ kind: 'run', model: model.id, population: args.population, agents: args.agents, seed: args.seed, steps: args.steps, params, label: args.label });
  const record = await waitForDone(executor, submitted.id, 'run');
  return jsonSafe({
    ...runFacts(record),
    overrides: params,
    params: record.params,
    wallMs: record.wallMs,
    metrics: summarizeRun(store, record.id, args.metrics),
    notes,
  });
}
