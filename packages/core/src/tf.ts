/**
 * The tensor library Populace computes with: the `@tensorflow/tfjs` union
 * (tfjs-core's tape, variables and optimizers, tfjs-layers, and under Node the
 * registration of every gradient config, which tfjs-core alone lacks).
 *
 * Plugins must use this instance so that their ops land on the same tape and
 * backend as the simulation's.
 *
 * @example
 * ```ts
 * import { tf } from '@populace/core';
 * const y = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
 * ```
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Scalar = tf.Scalar;
export type Tensor1D = tf.Tensor1D;
