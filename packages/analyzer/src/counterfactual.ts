/**
 * `counterfactual`: a baseline and a changed scenario run on the SAME seeds
 * (one executor sweep, so common random numbers pair the runs), and per
 * metric the means of both and the mean paired difference with a Student-t
 * interval over the seeds. Counterfactual ("if R0 had been 4.5") and
 * prospective ("if isolation were longer and the virus more transmissible")
 * questions are both a change of parameters.
 */
import { PopulaceError, type ParamValue } from '@populace/core';
import { z } from 'zod';
import { checkContext, type AnalysisContext } from './context.js';
import { jsonSafe, paramsSchema, parseInput, seedSchema, simulationFields } from './input.js';
import { expandParams } from './params.js';
import { checkMetrics, summarizeRun, waitForDone, type MetricSummary } from './run-outcome.js';
import { meanInterval } from './student-t.js';

/** Seeds a counterfactual runs on when the call gives none. */
export const DEFAULT_COUNTERFACTUAL_SEEDS = 3;
/** Series summaries a difference can be taken of. */
export const SUMMARIES = ['total', 'peak', 'final', 'peakStep'] as const;
/** One of them. */
export type SummaryName = (typeof SUMMARIES)[number];

/** Input of `counterfactual`. */
export const counterfactualInput = z.strictObject({
  ...simulationFields,
  baseline: paramsSchema.optional().describe('Parameter overrides of the baseline (default: the model defaults).'),
  changes: paramsSchema.describe("What is different in the counterfactual, over the baseline: { R: 4.5 } ('if R0 had been 4.5'), { isolationDays: 21, R: 3.2 } ('longer isolation and a more transmissible virus')."),
  seeds: z.array(seedSchema).min(1).max(16).optional().describe('Seeds both scenarios run on (each seed once per scenario, paired). Default: seedCount seeds from `seed`.'),
  seedCount: z.number().int().min(1).max(16).optional().describe(`How many seeds when seeds is not given (default ${DEFAULT_COUNTERFACTUAL_SEEDS}); the interval needs at least 2.`),
  seed: seedSchema.optional().describe('First seed when seeds is not given (default 0): seeds are seed, seed + 1, ...'),
  metrics: z.array(z.string().min(1)).min(1).optional().describe('Metrics to compare (default all of the model).'),
  summaries: z.array(z.enum(SUMMARIES)).min(1).optional().describe("Which summary of each metric's series to compare: total (sum over steps), peak, final, peakStep. Default total, peak and final."),
  confidence: z.number().gt(0).lt(1).optional().describe('Confidence level of the interval (default 0.95).'),
});

/** What `counterfactual` takes. */
export type CounterfactualInput = z.input<typeof counterfactualInput>;

/** One metric summary compared. */
export interface CounterfactualRow {
  readonly metric: string;
  readonly summary: SummaryName;
  /** Mean over the seeds of the baseline's summary. */
  readonly baselineMean: number | null;
  readonly counterfactualMean: number | null;
  /** Mean over the seeds of (counterfactual - baseline), seed by seed. */
  readonly differenceMean: number | null;
  /** Student-t interval of the mean difference (null with one seed). */
  readonly differenceLow: number | null;
  readonly differenceHigh: number | null;
  /** Sample standard deviation of the paired differences. */
  readonly differenceSd: number | null;
  /** differenceMean / baselineMean (null when the baseline mean is 0). */
  readonly relativeDifference: number | null;
  /** Seeds (pairs). */
  readonly n: number;
  /** Per seed, in `seeds` order. */
  readonly baselineValues: readonly (number | null)[];
  readonly counterfactualValues: readonly (number | null)[];
}

/** The result of `counterfactual` (plain JSON). */
export interface CounterfactualResult {
  /** The sweep record holding both scenarios' runs. */
  readonly sweepId: string;
  readonly model: string;
  readonly population: string | null;
  readonly agents: number;
  readonly steps: number;
  readonly seeds: readonly number[];
  /** Run ids per scenario, aligned with `seeds`. */
  readonly baselineRunIds: readonly string[];
  readonly counterfactualRunIds: readonly string[];
  /** Overrides of each scenario, as run. */
  readonly baselineParams: Readonly<Record<string, ParamValue>>;
  readonly counterfactualParams: Readonly<Record<string, ParamValue>>;
  /** Each changed parameter's value in the baseline and in the counterfactual. */
  readonly changed: Readonly<Record<string, { readonly baseline: ParamValue; readonly counterfactual: ParamValue }>>;
  readonly confidence: number;
  /** How the interval is computed. */
  readonly method: string;
  readonly rows: readonly CounterfactualRow[];
  readonly notes: readonly string[];
}

/**
 * Runs the baseline and the counterfactual on the same seeds and compares them metric by metric.
 *
 * @example
 * ```ts
 * // how would deaths change if R0 had been 4.5?
 * const cf = await counterfactual(kit, { model: 'epi/covid', population: 'nyc', agents: 5000, steps: 60, changes: { R: 4.5 }, metrics: ['deaths'], summaries: ['total'] });
 * cf.rows[0]; // { metric: 'deaths', summary: 'total', baselineMean, counterfactualMean, differenceMean, differenceLow, differenceHigh, n: 3, ... }
 * ```
 */
export async function counterfactual(ctx: AnalysisContext, input: CounterfactualInput): Promise<CounterfactualResult> {
  const { runtime, executor, store } = checkContext(ctx, 'counterfactual');
  const args = parseInput(counterfactualInput, input, 'counterfactual');
  const model = runtime.models.get(args.model);
  const metricNames = Object.keys(model.definition.metrics);
  checkMetrics(args.metrics, metricNames, 'counterfactual', model.id);
  if (Object.keys(args.changes).length === 0) {
    throw new PopulaceError('invalid-argument', `counterfactual: changes is empty; expected at least one parameter to change, e.g. { ${Object.keys(model.definition.parameters)[0]}: ... }. Parameters of '${model.id}': ${Object.keys(model.definition.parameters).join(', ')}.`);
  }
  if (args.seeds && args.seedCount !== undefined) throw new PopulaceError('invalid-argument', 'counterfactual: give seeds or seedCount, not both.');
  if (args.seeds && args.seed !== undefined) throw new PopulaceError('invalid-argument', 'counterfactual: give seeds or seed (the first of seedCount seeds), not both.');
  const first = args.seed ?? 0;
  const seeds = args.seeds ?? Array.from({ length: args.seedCount ?? DEFAULT_COUNTERFACTUAL_SEEDS }, (_, i) => first + i);
  if (seeds.some((s) => s > 4294967295)) throw new PopulaceError('invalid-argument', `counterfactual: seeds ${seeds.join(', ')} go past 4294967295; pass a smaller seed.`);
  const base = expandParams(runtime, model.id, args.baseline);
  const change = expandParams(runtime, model.id, args.changes);
  const cfParams = { ...base.params, ...change.params };
  const notes = [...base.notes, ...change.notes];
  if (seeds.length < 2) notes.push('With one seed there is no interval: pass seedCount >= 2 to measure the run-to-run spread.');

  const sweep = executor.submit({
    kind: 'scenarios',
    model: model.id,
    population: args.population,
    agents: args.agents,
    steps: args.steps,
    seeds,
    label: args.label,
    scenarios: [
      { name: 'baseline', params: base.params },
      { name: 'counterfactual', params: cfParams },
    ],
  });
  const record = await waitForDone(executor, sweep.id, 'counterfactual sweep');
  const children = store.list({ parentId: record.id, limit: 1000 }).runs;
  const runsOf = (scenario: string) => seeds.map((seed) => children.find((r) => r.label === scenario && r.seed === seed)!);
  const baseRuns = runsOf('baseline');
  const cfRuns = runsOf('counterfactual');
  const metrics = args.metrics ?? metricNames;
  const summaries = [...new Set(args.summaries ?? (['total', 'peak', 'final'] as const))];
  const confidence = args.confidence ?? 0.95;
  const sums = (runs: typeof baseRuns) => runs.map((r) => summarizeRun(store, r.id, metrics));
  const baseSums = sums(baseRuns);
  const cfSums = sums(cfRuns);
  const rows: CounterfactualRow[] = [];
  for (const metric of metrics) {
    for (const summary of summaries) {
      const b = baseSums.map((s) => s[metric]![summary as keyof MetricSummary]);
      const c = cfSums.map((s) => s[metric]![summary as keyof MetricSummary]);
      const paired = b.flatMap((bv, i) => (bv === null || c[i] === null ? [] : [c[i]! - bv]));
      const mean = (xs: (number | null)[]) => {
        const ok = xs.filter((x): x is number => x !== null);
        return ok.length === 0 ? null : ok.reduce((a, v) => a + v, 0) / ok.length;
      };
      const d = paired.length > 0 ? meanInterval(paired, confidence) : null;
      const baselineMean = mean(b);
      rows.push({
        metric,
        summary,
        baselineMean,
        counterfactualMean: mean(c),
        differenceMean: d?.mean ?? null,
        differenceLow: d?.low ?? null,
        differenceHigh: d?.high ?? null,
        differenceSd: d?.sd ?? null,
        relativeDifference: d && baselineMean !== null && baselineMean !== 0 ? d.mean / baselineMean : null,
        n: paired.length,
        baselineValues: b,
        counterfactualValues: c,
      });
    }
  }
  const changed = Object.fromEntries(Object.keys(change.params).map((name) => [name, { baseline: baseRuns[0]!.params[name]!, counterfactual: cfRuns[0]!.params[name]! }]));
  return jsonSafe({
    sweepId: record.id,
    model: model.id,
    population: record.population,
    agents: record.agents,
    steps: record.steps,
    seeds,
    baselineRunIds: baseRuns.map((r) => r.id),
    counterfactualRunIds: cfRuns.map((r) => r.id),
    baselineParams: base.params,
    counterfactualParams: cfParams,
    changed,
    confidence,
    method: `paired differences (counterfactual - baseline) on the same ${seeds.length} seed(s); mean with a two-sided ${Math.round(confidence * 100)}% Student-t interval (n - 1 = ${Math.max(0, seeds.length - 1)} degrees of freedom)`,
    rows,
    notes,
  });
}
