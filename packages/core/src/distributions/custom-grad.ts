/**
 * A typed two-input wrapper of tf.customGrad (whose own typing mixes inputs
 * and the save function in one rest parameter).
 */
import { tf } from '../tf.js';

export interface CustomResult {
  readonly value: tf.Tensor;
  readonly gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
}

/** Builds a binary op with a hand-written gradient; `gradFunc` returns one gradient per input. */
export function binaryCustomGrad(fn: (a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => CustomResult): (a: tf.Tensor, b: tf.Tensor) => tf.Tensor {
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) =>
    fn(args[0] as tf.Tensor, args[1] as tf.Tensor, args[2] as tf.GradSaveFunc)) as Parameters<typeof tf.customGrad>[0]);
  return (a, b) => op(a, b) as tf.Tensor;
}

/**
 * Broadcasts `x` to `shape` by adding zeros. Unlike tf.broadcastTo (a Tile kernel, whose gradient
 * loops over the repetitions: seconds for a scalar tiled to 100k agents), the gradient of a
 * broadcasting add is one reduction.
 */
export function broadcastLike(x: tf.Tensor | number, shape: readonly number[]): tf.Tensor {
  return tf.add(tf.zeros([...shape]), x);
}
