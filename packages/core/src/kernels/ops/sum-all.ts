/**
 * `sumAll(x)`: the total of a float32 tensor, differentiable, as a kernel of
 * its own where the backend has one (SUM_ALL), else `tf.sum`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { SUM_ALL } from '../kernel-names.js';

/**
 * The sum of every element of `x` (cast to float32) as a scalar, differentiable. On cpu and wasm
 * large inputs are summed on both cores, with the same result for any thread count; elsewhere it
 * is `tf.sum`.
 *
 * @example
 * ```ts
 * const infected = sumAll(ctx.get('agents/people/infected'));
 * ```
 */
export function sumAll(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const v = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
    if (tf.getKernel(SUM_ALL, tf.getBackend()) == null) return tf.sum(v);
    return tf.engine().runKernel(SUM_ALL, { x: v }, {}) as tf.Tensor;
  });
}
