/**
 * Indicators computed from state by comparisons, which have no gradient in
 * tfjs: applied through a custom gradient of zero, so that differentiable
 * rollouts (calibrate, sensitivity) may pass through them.
 */
import { tf } from '@populace/core';

/**
 * `f(x)` with a zero gradient for `x` (for comparisons such as `tf.equal(x, day)`).
 *
 * @example
 * ```ts
 * const arrived = detached(resultDay, (d) => tf.cast(tf.equal(d, ctx.step), 'float32'));
 * ```
 */
export function detached(x: tf.Tensor, f: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  const shape = x.shape;
  const op = tf.customGrad(((input: tf.Tensor) => ({ value: f(input), gradFunc: () => tf.zeros(shape) })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x) as tf.Tensor;
}
