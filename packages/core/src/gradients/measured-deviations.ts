/**
 * The registry of measured gradient deviations: for a (model, population,
 * parameter, estimator), how far the gradient was from same-seed central
 * finite differences averaged over seeds, and the command that measured it.
 * `sensitivity` reports from here whether its gradient is validated or
 * approximate. Add rows from `node bench/gradients-fd.mjs` (its output prints them) or, for
 * `ode/flu-network`, `node bench/ode-viral-gradients.mjs`.
 */
import type { GradientEstimator } from './estimators.js';

/** A gradient within this relative distance of finite differences (mean over >= 10 seeds) passes. */
export const GRADIENT_CRITERION = 0.15;

export interface MeasuredDeviation {
  readonly model: string;
  /** Population id without its plugin namespace ('synthetic', 'nyc', 'random-graph'). */
  readonly population: string;
  /** A scalar parameter, or `name[i]` for entry i of a time-varying one ('R[3]'). */
  readonly param: string;
  readonly estimator: GradientEstimator;
  /** The differentiated output, as sensitivity's `output` option. */
  readonly output: string;
  readonly agents: number;
  readonly steps: number;
  readonly seeds: number;
  /** Mean over seeds of the gradient, and its standard error. */
  readonly gradient: number;
  readonly gradientSE: number;
  /** Mean over seeds of same-seed central finite differences, and its standard error. */
  readonly finiteDifference: number;
  readonly finiteDifferenceSE: number;
  /** gradient / finiteDifference. */
  readonly ratio: number;
  readonly command: string;
  /** ISO date of the measurement (model code changes after it may move the numbers). */
  readonly measured: string;
}

/** Every measurement so far (bench/gradients-fd.mjs; see packages/core/GRADIENTS.md). */
export const MEASURED_DEVIATIONS: readonly MeasuredDeviation[] = [
  { model: 'epi/seir', population: 'synthetic', param: 'beta', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: 46017.8, gradientSE: 4870, finiteDifference: 46880, finiteDifferenceSE: 6730, ratio: 0.982, command: 'node bench/gradients-fd.mjs', measured: '2026-12-04' },
  { model: 'epi/seir', population: 'synthetic', param: 'gamma', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: -63922.3, gradientSE: 6920, finiteDifference: -66900, finiteDifferenceSE: 8070, ratio: 0.955, command: 'node bench/gradients-fd.mjs', measured: '2026-12-04' },
  { model: 'epi/seir', population: 'synthetic', param: 'beta', estimator: 'straight-through', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: 94311.4, gradientSE: 5640, finiteDifference: 46880, finiteDifferenceSE: 6730, ratio: 2.012, command: 'node bench/gradients-fd.mjs', measured: '2026-12-04' },
  { model: 'epi/seir', population: 'synthetic', param: 'gamma', estimator: 'straight-through', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: -98383.7, gradientSE: 6470, finiteDifference: -66900, finiteDifferenceSE: 8070, ratio: 1.471, command: 'node bench/gradients-fd.mjs', measured: '2026-12-04' },
  { model: 'epi/covid', population: 'nyc', param: 'R[0]', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: 42.1038, gradientSE: 16.5, finiteDifference: 43.2, finiteDifferenceSE: 4.3, ratio: 0.975, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params R[0],R[1],R[2],R[3],R[4],householdWeight,infectiousDays --estimators stochastic-derivative --replicates 2 --h 0.1 --seeds 10', measured: '2026-12-06' },
  { model: 'epi/covid', population: 'nyc', param: 'R[1]', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: 102.822, gradientSE: 24.8, finiteDifference: 97, finiteDifferenceSE: 4.47, ratio: 1.06, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params R[0],R[1],R[2],R[3],R[4],householdWeight,infectiousDays --estimators stochastic-derivative --replicates 2 --h 0.1 --seeds 10', measured: '2026-12-06' },
  { model: 'epi/covid', population: 'nyc', param: 'R[2]', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: 272.424, gradientSE: 85.7, finiteDifference: 267.2, finiteDifferenceSE: 16.1, ratio: 1.02, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params R[0],R[1],R[2],R[3],R[4],householdWeight,infectiousDays --estimators stochastic-derivative --replicates 2 --h 0.1 --seeds 10', measured: '2026-12-06' },
  { model: 'epi/covid', population: 'nyc', param: 'R[3]', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: 604.449, gradientSE: 121, finiteDifference: 626.6, finiteDifferenceSE: 32.3, ratio: 0.965, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params R[0],R[1],R[2],R[3],R[4],householdWeight,infectiousDays --estimators stochastic-derivative --replicates 2 --h 0.1 --seeds 10', measured: '2026-12-06' },
  { model: 'epi/covid', population: 'nyc', param: 'R[4]', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: 954.255, gradientSE: 236, finiteDifference: 923.4, finiteDifferenceSE: 23.1, ratio: 1.033, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params R[0],R[1],R[2],R[3],R[4],householdWeight,infectiousDays --estimators stochastic-derivative --replicates 2 --h 0.1 --seeds 10', measured: '2026-12-06' },
  { model: 'epi/covid', population: 'nyc', param: 'householdWeight', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 62, gradient: 153.2, gradientSE: 17.7, finiteDifference: 162.9, finiteDifferenceSE: 10.7, ratio: 0.94, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params householdWeight --estimators stochastic-derivative --replicates 6 --allocation adaptive --h 0.1 --seeds 20, and with --first-seed 21 (seeds 21-38), --first-seed 39 --seeds 12 and --first-seed 51 --seeds 12 (seeds 1-62)', measured: '2026-12-07' },
  { model: 'epi/covid', population: 'nyc', param: 'infectiousDays', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: 162.829, gradientSE: 223, finiteDifference: -2.3125, finiteDifferenceSE: 6.5, ratio: -70.413, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params R[0],R[1],R[2],R[3],R[4],householdWeight,infectiousDays --estimators stochastic-derivative --replicates 2 --h 0.1 --seeds 10', measured: '2026-12-06' },
  { model: 'epi/covid', population: 'nyc', param: 'infectiousDays', estimator: 'stochastic-derivative', output: 'I:sum', agents: 20000, steps: 60, seeds: 50, gradient: 14926.2, gradientSE: 1007, finiteDifference: 16194.2, finiteDifferenceSE: 65, ratio: 0.922, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params infectiousDays --estimators stochastic-derivative --replicates 6 --allocation adaptive --h 0.1 --output I:sum --seeds 10, and with --first-seed 11 --seeds 8, --first-seed 19 --seeds 8, --first-seed 27 --seeds 8, --first-seed 35 --seeds 8, --first-seed 43 --seeds 8 (seeds 1-50)', measured: '2026-12-07' },
  { model: 'epi/covid', population: 'nyc', param: 'latentDays', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 24, gradient: 55.5458, gradientSE: 174, finiteDifference: -50.35, finiteDifferenceSE: 26.1, ratio: -1.103, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params latentDays --estimators stochastic-derivative --replicates 6 --allocation adaptive --h 0.1 --output newInfections:sum --first-seed 1 --seeds 12, and with --first-seed 13 (seeds 1-24)', measured: '2026-12-07' },
  { model: 'epi/covid', population: 'nyc', param: 'latentDays', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 30, seeds: 72, gradient: -5593.5, gradientSE: 297, finiteDifference: -5005.2, finiteDifferenceSE: 76.2, ratio: 1.118, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params latentDays --estimators stochastic-derivative --replicates 6 --allocation adaptive --h 0.1 --output newInfections:sum --steps 30 --first-seed F --seeds 12, F = 1, 13, 25, 37, 49, 61 (seeds 1-72)', measured: '2026-12-07' },
  { model: 'epi/covid', population: 'nyc', param: 'infectiousDays', estimator: 'straight-through', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: 13793.3, gradientSE: 8930, finiteDifference: -2.71875, finiteDifferenceSE: 11.6, ratio: -5073.413, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params infectiousDays,householdWeight --estimators straight-through --h 0.2 --seeds 10', measured: '2026-12-06' },
  { model: 'epi/covid', population: 'nyc', param: 'householdWeight', estimator: 'straight-through', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: -541380, gradientSE: 528000, finiteDifference: 136, finiteDifferenceSE: 44.4, ratio: -3980.739, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params infectiousDays,householdWeight --estimators straight-through --h 0.2 --seeds 10', measured: '2026-12-06' },
  { model: 'ode/flu-network', population: 'random-graph', param: 'viralDelta', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 3000, steps: 45, seeds: 16, gradient: -320.8, gradientSE: 24.8, finiteDifference: -249.3, finiteDifferenceSE: 20.3, ratio: 1.287, command: 'node bench/ode-viral-gradients.mjs (seeds 1-8) and node bench/ode-viral-gradients.mjs --first-seed 9 --estimators stochastic-derivative (seeds 9-16); beta 0.06, seedFraction 0.005, h 10%', measured: '2026-12-05' },
];

export interface GradientAccuracy {
  /**
   * `validated`: every parameter measured for this model, population and estimator is within
   * the criterion; `approximate`: at least one is not (see `deviations`); `unmeasured`: no row.
   */
  readonly status: 'validated' | 'approximate' | 'unmeasured';
  readonly criterion: string;
  /** The measured rows for the requested parameters. */
  readonly deviations: readonly MeasuredDeviation[];
  /** Requested parameters without a row (their accuracy is not known; the status speaks for the others). */
  readonly unmeasured: readonly string[];
  readonly note: string;
}

const bare = (id: string | undefined): string => (id === undefined ? '' : id.slice(id.lastIndexOf('/') + 1));

/** A row's parameter without its entry index ('R[3]' -> 'R'). */
const paramName = (param: string): string => param.replace(/\[\d+\]$/, '');

/**
 * Finite differences within two standard errors of zero: the derivative is too small for this many
 * seeds to measure, so a ratio to it says nothing (only the absolute difference does).
 */
export const indistinguishableFromZero = (r: Pick<MeasuredDeviation, 'finiteDifference' | 'finiteDifferenceSE'>): boolean => Math.abs(r.finiteDifference) < 2 * r.finiteDifferenceSE;

/** The ratio with its standard error (first-order propagation of both standard errors), or, where finite differences cannot tell the derivative from 0, the difference in combined standard errors. */
const ratioText = (r: MeasuredDeviation): string => {
  if (indistinguishableFromZero(r)) {
    const se = Math.hypot(r.gradientSE, r.finiteDifferenceSE);
    return `no ratio (finite differences ${r.finiteDifference} +/- ${r.finiteDifferenceSE} cannot be told from 0; gradient ${r.gradient} +/- ${r.gradientSE}, ${(Math.abs(r.gradient - r.finiteDifference) / se).toFixed(1)} combined SE from them)`;
  }
  const se = Math.abs(r.ratio) * Math.hypot(r.gradientSE / r.gradient, r.finiteDifferenceSE / r.finiteDifference);
  return `${r.ratio.toFixed(2)}x +/- ${se.toFixed(2)}`;
};

/**
 * What is known about the accuracy of `estimator` on (model, population) for `params`.
 *
 * @example
 * ```ts
 * gradientAccuracy('epi/seir', 'synthetic', 'straight-through', ['beta'], 'newInfections:sum').status; // 'approximate'
 * ```
 */
export function gradientAccuracy(model: string, population: string | undefined, estimator: GradientEstimator, params: readonly string[], output: string, registry: readonly MeasuredDeviation[] = MEASURED_DEVIATIONS): GradientAccuracy {
  const pop = bare(population);
  const rows = registry.filter((r) => r.model === model && r.population === pop && r.estimator === estimator && r.output === output && (params.includes(r.param) || params.includes(paramName(r.param))));
  const criterion = `within ${GRADIENT_CRITERION * 100}% of same-seed central finite differences, averaged over at least 10 seeds`;
  const off = rows.filter((r) => r.seeds < 10 || indistinguishableFromZero(r) || Math.abs(r.ratio - 1) > GRADIENT_CRITERION);
  const where = `${model} on ${pop || 'no population'}`;
  if (rows.length === 0) {
    const theory = estimator === 'stochastic-derivative' ? 'unbiased for Bernoulli events (a Monte Carlo estimate: see standardError)' : 'biased where draws compound (contact networks, long horizons)';
    return { status: 'unmeasured', criterion, deviations: [], unmeasured: [...params], note: `${estimator} has not been measured against finite differences for ${output} of ${where}; in theory it is ${theory}.` };
  }
  const unmeasured = params.filter((p) => !rows.some((r) => paramName(r.param) === paramName(p)));
  const rest = unmeasured.length === 0 ? '' : ` Not measured: ${unmeasured.join(', ')}.`;
  if (off.length > 0) {
    const worst = off.map((r) => `${r.param}: ${ratioText(r)}${indistinguishableFromZero(r) ? '' : ' finite differences'} (${r.agents} agents, ${r.steps} steps, ${r.seeds} seeds, ${r.measured}; ${r.command})`).join('; ');
    return { status: 'approximate', criterion, deviations: rows, unmeasured, note: `approximate gradient on ${where}: measured ${worst}.${rest}` };
  }
  return { status: 'validated', criterion, deviations: rows, unmeasured, note: `${estimator} on ${where} measured ${criterion} for ${rows.map((r) => `${r.param} (${ratioText(r)}, ${r.seeds} seeds; ${r.command})`).join(', ')}.${rest}` };
}
