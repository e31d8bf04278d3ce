/**
 * A zero that carries a gradient: the building block of the surrogate
 * routes the farm substep adds for its fixed delays.
 */
import { tf } from '@populace/core';

/**
 * Returns zeros shaped like `x` whose gradient with respect to `x` is `weight` (elementwise):
 * adding it to a flow leaves the simulated values untouched and adds `weight * dx` to the flow's
 * derivative. `weight` is a constant (no gradient flows into it).
 *
 * @example
 * ```ts
 * // a detection flow of 0 on uninfected farms whose derivative moves a perturbation of the
 * // infected indicator on at the mean rate 1 / delay
 * const detect = tf.add(tf.mul(i, due), zeroWithGradient(i, tf.mul(tf.sub(1, i), 1 / delay)));
 * ```
 */
export function zeroWithGradient(x: tf.Tensor, weight: tf.Tensor): tf.Tensor {
  // tf.customGrad's typing mixes the inputs and the save function in one rest parameter
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    (args[1] as tf.GradSaveFunc)([weight]);
    return { value: tf.zerosLike(args[0] as tf.Tensor), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]!) };
  }) as Parameters<typeof tf.customGrad>[0]);
  return op(x) as tf.Tensor;
}
