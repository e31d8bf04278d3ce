/**
 * @populace/core/distributions: discrete sampling and logic with surrogate
 * gradients, so simulations with discrete events stay differentiable.
 */
export { bernoulli } from './bernoulli.js';
export type { BernoulliGradient, BernoulliOptions } from './bernoulli.js';
export { binomial, binomialQuantile, normalQuantile } from './binomial.js';
export { categorical } from './categorical.js';
export type { CategoricalOptions } from './categorical.js';
export { and, greaterThan, lessThan, not, or, select, softMax, softMin } from './soft-logic.js';
export type { SoftOptions } from './soft-logic.js';
