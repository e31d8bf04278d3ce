/**
 * `sensitivityAnalysis`: d(output)/d(parameter) of one output (`metric:agg`)
 * for every learnable parameter from one reverse pass, run as the executor's
 * sensitivity job (so it is recorded), ranked by |elasticity|.
 */
import type { Aggregate, SensitivityEntry } from '@populace/core';
import type { SensitivityOutcome } from '@populace/server-kit';
import { z } from 'zod';
import { checkContext, type AnalysisContext } from './context.js';
import { jsonSafe, paramsSchema, parseInput, seedSchema, simulationFields } from './input.js';
import { expandParams } from './params.js';
import { runFacts, waitForDone, type RunFacts } from './run-outcome.js';

/** Input of `sensitivityAnalysis`. */
export const sensitivityAnalysisInput = z.strictObject({
  ...simulationFields,
  seed: seedSchema.optional().describe('Random seed (default 0).'),
  params: paramsSchema.optional().describe('Parameter values to take the derivatives at (default the model defaults).'),
  output: z.string().min(1).describe("The output: 'metric' or 'metric:agg' with agg one of sum, mean, max, min, last (default sum), e.g. 'deaths:sum', 'I:max'."),
  wrt: z.array(z.string().min(1)).min(1).optional().describe('Learnable parameters to differentiate (default all of them).'),
  top: z.number().int().min(1).optional().describe('Return only the first `top` entries of the ranking (default all).'),
});

/** What `sensitivityAnalysis` takes. */
export type SensitivityAnalysisInput = z.input<typeof sensitivityAnalysisInput>;

/** One ranked parameter entry. */
export interface SensitivityRow {
  /** 1 = the largest |elasticity|. */
  readonly rank: number;
  readonly param: string;
  /** Entry of a time-varying parameter (e.g. the week of epi/covid's R), else null. */
  readonly index: number | null;
  /** The parameter's value. */
  readonly value: number;
  /** d output / d parameter. */
  readonly gradient: number | null;
  /** (d output / output) / (d parameter / parameter): the % change of the output per 1% change of the parameter; null when the output is 0. */
  readonly elasticity: number | null;
}

/** The result of `sensitivityAnalysis` (plain JSON). */
export interface SensitivityAnalysisResult extends RunFacts {
  readonly output: { readonly metric: string; readonly agg: Aggregate; readonly value: number | null };
  /** Ranked by |elasticity| (then |gradient|), largest first. */
  readonly entries: readonly SensitivityRow[];
  /** Entries left out by `top`. */
  readonly omitted: number;
  readonly notes: readonly string[];
}

/**
 * Sensitivities of one output to the learnable parameters, from the executor's sensitivity job.
 *
 * @example
 * ```ts
 * const s = await sensitivityAnalysis(kit, { model: 'epi/sir', population: 'well-mixed', agents: 2000, steps: 40, output: 'newInfections:sum' });
 * s.entries[0].param; // 'beta'
 * ```
 */
export async function sensitivityAnalysis(ctx: AnalysisContext, input: SensitivityAnalysisInput): Promise<SensitivityAnalysisResult> {
  const { runtime, executor } = checkContext(ctx, 'sensitivityAnalysis');
  const args = parseInput(sensitivityAnalysisInput, input, 'sensitivityAnalysis');
  const model = runtime.models.get(args.model);
  const { params, notes } = expandParams(runtime, model.id, args.params);
  const submitted = executor.submit({ kind: 'sensitivity', model: model.id, population: args.population, agents: args.agents, seed: args.seed, steps: args.steps, params, output: args.output, wrt: args.wrt, label: args.label });
  const record = await waitForDone(executor, submitted.id, 'sensitivity job');
  const outcome = record.result as SensitivityOutcome;
  const entries = outcome.entries.map((e: SensitivityEntry, i) => ({ rank: i + 1, param: e.param, index: e.index ?? null, value: e.value, gradient: e.gradient, elasticity: e.elasticity }));
  const kept = args.top === undefined ? entries : entries.slice(0, args.top);
  notes.push('Derivatives come from one reverse pass through the stochastic simulation (surrogate gradients of the random draws): they describe the expected local response on this seed, not an exact derivative of one noisy run.');
  return jsonSafe({
    ...runFacts(record),
    output: outcome.output,
    entries: kept,
    omitted: entries.length - kept.length,
    notes,
  });
}
