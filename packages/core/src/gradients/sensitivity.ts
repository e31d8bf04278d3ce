/**
 * `sensitivity`: d(output)/d(parameter) for every learnable parameter and
 * every entry of a time-varying one, plus elasticities and a ranking, by a
 * named estimator: the unbiased stochastic derivative by default on contact
 * networks, ONE straight-through reverse pass otherwise (see estimators.ts),
 * with what is known of its accuracy (measured-deviations.ts).
 */
import { PopulaceError } from '../errors.js';
import { SIMULATION_DEFINITION, SIMULATION_INTERNALS, type Simulation } from '../simulation.js';
import { tf } from '../tf.js';
import { describeValue } from '../validate.js';
import { assertDifferentiable, withGradientDiagnosis } from './differentiability.js';
import { resolveEstimator, type EstimatorChoice, type GradientEstimator, type StochasticAllocation, type StochasticStratification } from './estimators.js';
import { learnableSpecs } from './learnable.js';
import { gradientAccuracy, type GradientAccuracy } from './measured-deviations.js';
import { pathwiseGradientsAsync } from './pathwise.js';
import { stochasticDerivativesAsync } from './stochastic-derivative.js';
import { rolloutGradientsAsync } from './rollout-gradients.js';

export const AGGREGATES = ['sum', 'mean', 'max', 'min', 'last'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export interface OutputSpec {
  readonly metric: string;
  /** How the metric's series becomes one number (default 'sum'). */
  readonly agg?: Aggregate;
}

export interface SensitivityOptions {
  /** `'metric'`, `'metric:agg'` (e.g. 'newInfections:sum', 'I:max') or { metric, agg }. */
  readonly output: string | OutputSpec;
  /** Learnable parameters to differentiate (default: all of them). */
  readonly params?: readonly string[];
  /** Steps to simulate (default: the steps the simulation has run since its last reset). */
  readonly steps?: number;
  readonly checkpointEvery?: number;
  /**
   * 'auto' (default): 'stochastic-derivative' for models on contact networks, 'straight-through'
   * otherwise. See GRADIENTS.md for their bias, variance and cost.
   */
  readonly estimator?: EstimatorChoice;
  /** Stochastic derivative: independent replicates (default 2; more halves the variance per doubling). */
  readonly replicates?: number;
  /** Stochastic derivative: how each step's alternatives are drawn ('none', the default, or 'events'; see StochasticDerivativeOptions). */
  readonly stratify?: StochasticStratification;
  /** Stochastic derivative: how many alternatives each step gets ('uniform', the default, or 'adaptive' from a pilot replicate; see StochasticDerivativeOptions). */
  readonly allocation?: StochasticAllocation;
  /**
   * Stops the computation with core's `aborted` error when it aborts: checked between the model
   * steps of the stochastic derivative's alternatives and of the reverse pass's forward run, and
   * between the reverse pass's backward segments (where the event loop also gets a turn every few
   * milliseconds).
   */
  readonly signal?: AbortSignal;
}

export interface SensitivityEntry {
  readonly param: string;
  /** Entry of a time-varying parameter (undefined for scalars). */
  readonly index?: number;
  readonly value: number;
  /** d output / d parameter. */
  readonly gradient: number;
  /** Relative sensitivity: (d output / output) / (d parameter / parameter); null when the output is 0. */
  readonly elasticity: number | null;
  /** Monte Carlo standard error of `gradient` (stochastic derivative only). */
  readonly standardError?: number;
}

export interface SensitivityResult {
  readonly output: { readonly metric: string; readonly agg: Aggregate; readonly value: number };
  readonly steps: number;
  /** Every parameter entry, ranked by |elasticity| (then |gradient|), largest first. */
  readonly entries: readonly SensitivityEntry[];
  readonly gradients: Record<string, number | number[]>;
  /** The estimator that produced the gradients. */
  readonly estimator: GradientEstimator;
  /** Whether this estimator was validated against finite differences on this model and population, or by how much it deviated. */
  readonly accuracy: GradientAccuracy;
}

/** Parses 'metric' or 'metric:agg'. */
export function parseOutput(output: string | OutputSpec, metrics: readonly string[]): { metric: string; agg: Aggregate } {
  const spec = typeof output === 'string' ? { metric: output.split(':')[0]!, agg: output.includes(':') ? output.slice(output.indexOf(':') + 1) : undefined } : output;
  if (!spec || typeof spec.metric !== 'string' || !metrics.includes(spec.metric)) {
    throw new PopulaceError('invalid-argument', `sensitivity: output expected 'metric' or 'metric:agg' with a metric of [${metrics.join(', ')}], received ${describeValue(typeof output === 'string' ? output : spec?.metric)}.`, { details: { metrics } });
  }
  const agg = (spec.agg ?? 'sum') as Aggregate;
  if (!AGGREGATES.includes(agg)) {
    throw new PopulaceError('invalid-argument', `sensitivity: aggregate expected one of ${AGGREGATES.join(', ')}, received ${describeValue(spec.agg)}.`);
  }
  return { metric: spec.metric, agg };
}

/** Entries ranked by |elasticity| (entries without one last), ties by |gradient|. */
export function rankSensitivities(entries: readonly SensitivityEntry[]): SensitivityEntry[] {
  const key = (e: SensitivityEntry) => (e.elasticity === null ? -1 : Math.abs(e.elasticity));
  return [...entries].sort((a, b) => key(b) - key(a) || Math.abs(b.gradient) - Math.abs(a.gradient));
}

/**
 * Sensitivities of one output to every learnable parameter, by the estimator named in the result
 * (`estimator`), with what is known of its accuracy (`accuracy`).
 *
 * @example
 * ```ts
 * const s = await sensitivity(sim, { output: 'newInfections:sum', steps: 60 });
 * s.entries[0]; // { param: 'beta', gradient: ..., elasticity: ... } — the most influential
 * s.estimator;   // 'stochastic-derivative' on a contact network
 * s.accuracy;    // { status: 'validated' | 'approximate' | 'unmeasured', note, ... }
 * ```
 */
export async function sensitivity(sim: Simulation, options: SensitivityOptions): Promise<SensitivityResult> {
  // every option is checked before the population is built
  const definition = sim[SIMULATION_DEFINITION]();
  const names = Object.keys(definition.metrics);
  const { metric, agg } = parseOutput(options?.output, names);
  const params = learnableSpecs(sim.model, definition.parameters, options.params, 'sensitivity');
  if (params.length === 0) throw new PopulaceError('invalid-argument', `sensitivity: model '${sim.model}' has no learnable parameters to differentiate.`);
  const steps = options.steps ?? sim.currentStep;
  if (!Number.isInteger(steps) || steps < 1) {
    throw new PopulaceError('invalid-argument', `sensitivity: steps expected a positive integer${options.steps === undefined ? ' (the simulation has not run yet: pass steps)' : ''}, received ${describeValue(options.steps)}.`);
  }
  const estimator = resolveEstimator(options.estimator, definition, sim.population, 'sensitivity');
  await sim.ready();
  const target = { where: 'sensitivity', params, metrics: [metric], label: `${metric}:${agg}` };
  await assertDifferentiable(sim, target);
  const internals = sim[SIMULATION_INTERNALS]();
  const m = names.indexOf(metric);
  const current = internals.paramTensors();
  const objective = (series: readonly number[]): { value: number; pick: number; weight: number } => {
    const pick = agg === 'max' ? series.indexOf(Math.max(...series)) : agg === 'min' ? series.indexOf(Math.min(...series)) : agg === 'last' ? steps - 1 : -1;
    const weight = agg === 'mean' ? 1 / steps : 1;
    return { pick, weight, value: pick >= 0 ? series[pick]! : series.reduce((a, b) => a + b, 0) * weight };
  };
  let output = 0;
  const theta = Object.fromEntries(params.map((n) => [n, tf.clone(current[n]!)]));
  const flat: { param: string; index?: number; gradient: number; standardError?: number }[] = [];
  try {
    const loss = (forward: Readonly<Record<string, readonly number[]>>) => {
      const { value, pick, weight } = objective(forward[metric]!);
      output = value;
      return (t: number, metrics: readonly tf.Scalar[]) => (pick >= 0 ? (t === pick ? metrics[m] : undefined) : (tf.mul(weight, metrics[m]!) as tf.Scalar));
    };
    const run = { steps, params: theta, loss, ...(options.checkpointEvery ? { checkpointEvery: options.checkpointEvery } : {}), ...(options.signal === undefined ? {} : { signal: options.signal }) };
    const jumpEntries = params.flatMap((name) => Array.from({ length: theta[name]!.size }, (_, i) => (theta[name]!.rank === 0 ? { param: name } : { param: name, index: i })));
    const sd = { steps, entries: jumpEntries, objective: (series: Readonly<Record<string, readonly number[]>>) => objective(series[metric]!).value, ...(options.replicates === undefined ? {} : { replicates: options.replicates }), ...(options.stratify === undefined ? {} : { stratify: options.stratify }), ...(options.allocation === undefined ? {} : { allocation: options.allocation }), ...(options.signal === undefined ? {} : { signal: options.signal }) };
    // the asynchronous drivers on every backend (the same estimates as the synchronous ones; webgpu
    // reads its device asynchronously only): they hand the event loop a turn every few
    // milliseconds, so a server stays responsive and a signal can stop them
    const jumps = estimator === 'stochastic-derivative' ? await stochasticDerivativesAsync(sim, sd) : undefined;
    // straight-through: the reverse pass; stochastic derivative: the same pass with the draws held fixed (the continuous part) plus the jumps
    const reverse = estimator === 'straight-through' ? rolloutGradientsAsync : pathwiseGradientsAsync;
    const result = await withGradientDiagnosis(sim, target, options.checkpointEvery ?? Math.ceil(Math.sqrt(steps)), () => reverse(sim, run));
    let k = 0;
    for (const name of params) {
      const g = Array.from(await result.grads[name]!.data());
      g.forEach((gi, i) => {
        flat.push({ param: name, ...(theta[name]!.rank === 0 ? {} : { index: i }), gradient: gi + (jumps ? jumps.gradients[k]! : 0), ...(jumps ? { standardError: jumps.standardErrors[k]! } : {}) });
        k += 1;
      });
    }
    tf.dispose(Object.values(result.grads));
  } finally {
    tf.dispose(Object.values(theta));
  }
  const entries: SensitivityEntry[] = [];
  const gradients: Record<string, number | number[]> = {};
  for (const name of params) {
    // values as given (numbers), not read back from float32 tensors
    const given = sim.params[name]!;
    const scalar = typeof given === 'number';
    const v = scalar ? [given] : [...given];
    const mine = flat.filter((f) => f.param === name);
    gradients[name] = scalar ? mine[0]!.gradient : mine.map((f) => f.gradient);
    mine.forEach((f, i) => entries.push({ param: name, ...(scalar ? {} : { index: i }), value: v[i]!, gradient: f.gradient, elasticity: output === 0 ? null : (f.gradient * v[i]!) / output, ...(f.standardError === undefined ? {} : { standardError: f.standardError }) }));
  }
  const accuracy = gradientAccuracy(sim.model, sim.population, estimator, params, `${metric}:${agg}`);
  return { output: { metric, agg, value: output }, steps, entries: rankSensitivities(entries), gradients, estimator, accuracy };
}
