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
  { model: 'epi/covid', population: 'nyc', param: 'infectiousDays', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: 56.5, gradientSE: 187.2, finiteDifference: -12.1, finiteDifferenceSE: 22.6, ratio: -4.669, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params R[0],R[1],R[2],R[3],R[4],householdWeight,infectiousDays --estimators stochastic-derivative --replicates 2 --h 0.1 --seeds 10', measured: '2026-12-06' },
  { model: 'epi/covid', population: 'nyc', param: 'householdWeight', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: -26.5, gradientSE: 144.0, finiteDifference: 148.7, finiteDifferenceSE: 64.4, ratio: -0.1782, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params R[0],R[1],R[2],R[3],R[4],householdWeight,infectiousDays --estimators stochastic-derivative --replicates 2 --h 0.1 --seeds 10', measured: '2026-12-06' },
  { model: 'epi/covid', population: 'nyc', param: 'R[0]', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: -145.4, gradientSE: 118.6, finiteDifference: 32.6, finiteDifferenceSE: 35.7, ratio: -4.46, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params R[0],R[1],R[2],R[3],R[4],householdWeight,infectiousDays --estimators stochastic-derivative --replicates 2 --h 0.1 --seeds 10', measured: '2026-12-06' },
  { model: 'epi/covid', population: 'nyc', param: 'R[1]', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: 13.5, gradientSE: 185.2, finiteDifference: 76.8, finiteDifferenceSE: 31.1, ratio: 0.1758, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params R[0],R[1],R[2],R[3],R[4],householdWeight,infectiousDays --estimators stochastic-derivative --replicates 2 --h 0.1 --seeds 10', measured: '2026-12-06' },
  { model: 'epi/covid', population: 'nyc', param: 'R[2]', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: -771.6, gradientSE: 451.8, finiteDifference: 212.8, finiteDifferenceSE: 38.3, ratio: -3.626, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params R[0],R[1],R[2],R[3],R[4],householdWeight,infectiousDays --estimators stochastic-derivative --replicates 2 --h 0.1 --seeds 10', measured: '2026-12-06' },
  { model: 'epi/covid', population: 'nyc', param: 'R[3]', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: 1785.7, gradientSE: 477.1, finiteDifference: 564.2, finiteDifferenceSE: 24.6, ratio: 3.165, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params R[0],R[1],R[2],R[3],R[4],householdWeight,infectiousDays --estimators stochastic-derivative --replicates 2 --h 0.1 --seeds 10', measured: '2026-12-06' },
  { model: 'epi/covid', population: 'nyc', param: 'R[4]', estimator: 'stochastic-derivative', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: 596.1, gradientSE: 287.9, finiteDifference: 928.8, finiteDifferenceSE: 30.6, ratio: 0.642, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params R[0],R[1],R[2],R[3],R[4],householdWeight,infectiousDays --estimators stochastic-derivative --replicates 2 --h 0.1 --seeds 10', measured: '2026-12-06' },
  { model: 'epi/covid', population: 'nyc', param: 'infectiousDays', estimator: 'straight-through', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: -109300, gradientSE: 84400, finiteDifference: -11.6563, finiteDifferenceSE: 15.3, ratio: 9376.932, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params infectiousDays,householdWeight --estimators straight-through --h 0.2 --seeds 10 --json', measured: '2026-12-05' },
  { model: 'epi/covid', population: 'nyc', param: 'householdWeight', estimator: 'straight-through', output: 'newInfections:sum', agents: 20000, steps: 60, seeds: 10, gradient: -87025.8, gradientSE: 81300, finiteDifference: 163.833, finiteDifferenceSE: 38, ratio: -531.185, command: 'node bench/gradients-fd.mjs --model epi/covid --population nyc --params infectiousDays,householdWeight --estimators straight-through --h 0.2 --seeds 10 --json', measured: '2026-12-05' },
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
    return { status: 'unmeasured', criterion, deviations: [], note: `${estimator} has not been measured against finite differences for ${output} of ${where}; in theory it is ${theory}.` };
  }
  if (off.length > 0) {
    const worst = off.map((r) => `${r.param}: ${ratioText(r)}${indistinguishableFromZero(r) ? '' : ' finite differences'} (${r.agents} agents, ${r.steps} steps, ${r.seeds} seeds, ${r.measured}; ${r.command})`).join('; ');
    return { status: 'approximate', criterion, deviations: rows, note: `approximate gradient on ${where}: measured ${worst}.` };
  }
  return { status: 'validated', criterion, deviations: rows, note: `${estimator} on ${where} measured ${criterion} for ${rows.map((r) => `${r.param} (${ratioText(r)}, ${r.seeds} seeds; ${r.command})`).join(', ')}.` };
}
