/**
 * Gradient estimators of simulations with discrete events, and which one a
 * gradient method runs when the caller does not say.
 */
import { PopulaceError } from '../errors.js';
import type { ModelDefinition } from '../model.js';
import { describeValue } from '../validate.js';

/**
 * - `straight-through`: one reverse pass; every Bernoulli draw passes d(sample)/dp := 1. Cheap
 *   (cost independent of the number of parameters), exact in expectation for outputs linear in
 *   one step's draws, biased when draws compound (contact networks, long horizons).
 * - `stochastic-derivative`: unbiased; pruned alternative paths with flipped events
 *   (./stochastic-derivative.ts) plus one reverse pass with the draws held fixed for the
 *   continuous part. Cost grows with the horizon squared and (mildly) with the parameters.
 */
export type GradientEstimator = 'straight-through' | 'stochastic-derivative';
export const GRADIENT_ESTIMATORS: readonly GradientEstimator[] = ['straight-through', 'stochastic-derivative'];

/** Independent replicates of the stochastic derivative when none are asked for. */
export const DEFAULT_STOCHASTIC_REPLICATES = 2;

/**
 * How many alternatives each step of the stochastic derivative gets: `uniform` one per replicate
 * at every step; `adaptive` as a pilot replicate measured each step's spread over the square root
 * of its cost (./stochastic-allocation.ts). Same expectation and cost.
 */
export type StochasticAllocation = 'uniform' | 'adaptive';
export const STOCHASTIC_ALLOCATIONS: readonly StochasticAllocation[] = ['uniform', 'adaptive'];

/** How each step's alternatives are drawn: `none` one over all of its flips; `events` one per event call and flip direction. */
export type StochasticStratification = 'none' | 'events';
export const STOCHASTIC_STRATIFICATIONS: readonly StochasticStratification[] = ['none', 'events'];

/**
 * Model steps the stochastic derivative computes at most without stratification, for `entries`
 * parameter entries and `replicates` replicates over `steps` steps: the primal run, two replays per
 * entry and step (p'), and per replicate and step one alternative of at most two paths (a first
 * passage's pair) to the horizon. The adaptive allocation spends the same in expectation.
 *
 * @example
 * ```ts
 * stochasticDerivativeSteps(60, 2, 1); // 60 + 120 + 2 * 60 * 61 = 7,500
 * ```
 */
export const stochasticDerivativeSteps = (steps: number, replicates: number, entries: number): number => steps + 2 * steps * entries + replicates * steps * (steps + 1);

/** `auto` picks by `defaultEstimator`. */
export type EstimatorChoice = GradientEstimator | 'auto';

/**
 * The estimator run by default: `stochastic-derivative` when the model declares contact
 * networks and the simulation has a population to fill them (where straight-through was measured
 * 1.2-10x off finite differences at 60 days), else `straight-through` (well-mixed: 0.9-1.1x).
 */
export function defaultEstimator(definition: ModelDefinition, population: string | undefined): GradientEstimator {
  const networks = Object.keys(definition.state.networks ?? {});
  return networks.length > 0 && population !== undefined ? 'stochastic-derivative' : 'straight-through';
}

/** Validates a requested estimator and resolves `auto`. */
export function resolveEstimator(choice: unknown, definition: ModelDefinition, population: string | undefined, where: string): GradientEstimator {
  if (choice === undefined || choice === 'auto') return defaultEstimator(definition, population);
  if (!GRADIENT_ESTIMATORS.includes(choice as GradientEstimator)) {
    throw new PopulaceError('invalid-argument', `${where}: estimator expected 'auto', ${GRADIENT_ESTIMATORS.map((e) => `'${e}'`).join(' or ')}, received ${describeValue(choice)}.`);
  }
  return choice as GradientEstimator;
}
