/**
 * The continuous part of the stochastic derivative: the reverse pass with
 * every Bernoulli draw held at its value (no surrogate gradient through it),
 * so only the parameters' smooth paths to the output are differentiated.
 */
import { withEventHook, type EventHook } from '../kernels/ops/event-hook.js';
import type { Simulation } from '../simulation.js';
import { tf } from '../tf.js';
import { rolloutGradients, rolloutGradientsWithHook, type RolloutGradientOptions, type RolloutGradientResult } from './rollout-gradients.js';

/** Returns the draw as a fresh tensor: same values, no link to its inputs on the tape. */
const detach: EventHook = (_call, draw) => {
  const y = draw();
  return tf.tensor((y.dataSync() as Float32Array).slice(), y.shape, 'float32');
};

/**
 * `rolloutGradients` with the draws of every Bernoulli event held fixed: d(loss)/d(params) along
 * continuous paths only (zero for outputs that are counts of discrete states).
 *
 * @example
 * ```ts
 * const { grads } = pathwiseGradients(sim, { steps: 30, params: { beta }, loss: () => (t, m) => m[0] });
 * ```
 */
export function pathwiseGradients(sim: Simulation, options: RolloutGradientOptions): RolloutGradientResult {
  return withEventHook(detach, () => rolloutGradients(sim, options));
}

/**
 * The same values as the draw with a zero gradient, without leaving the device: the reverse pass
 * sends nothing through the draw (as with `detach`, whose host copy webgpu cannot make inside a step).
 */
const detachOnDevice: EventHook = (_call, draw) => {
  const y = draw();
  return tf.customGrad((x: tf.Tensor | tf.GradSaveFunc) => ({ value: tf.clone(x as tf.Tensor), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) }))(y);
};

/**
 * {@link pathwiseGradients} with asynchronous device reads, for every backend including webgpu:
 * the same loss and gradients.
 *
 * @example
 * ```ts
 * const { grads } = await pathwiseGradientsAsync(sim, { steps: 30, params: { beta }, loss: () => (t, m) => m[0] });
 * ```
 */
export function pathwiseGradientsAsync(sim: Simulation, options: RolloutGradientOptions): Promise<RolloutGradientResult> {
  return rolloutGradientsWithHook(sim, options, detachOnDevice);
}
