/**
 * `sum_k w_k * x_k` for same-shape tensors x_k and scalar tensors w_k that may
 * be learnable: the forward pass is one fused linear combination (core's
 * linearCombine, with the weights' current values as coefficients), and a
 * hand-written gradient gives d/dx_k = w_k * dy and d/dw_k = sum(dy * x_k).
 * Stock ops would spend one multiply and one add per term over every agent.
 */
import { linearCombine, PopulaceError, tf } from '@populace/core';

/**
 * The weighted sum of `xs` with scalar weights `ws` (tensors or numbers), differentiable in both.
 *
 * @example
 * ```ts
 * const pressure = weightedSum([household, work], [ctx.param('householdWeight'), ctx.param('workWeight')]);
 * ```
 */
export function weightedSum(xs: readonly tf.Tensor[], ws: readonly (tf.Tensor | number)[]): tf.Tensor {
  if (xs.length === 0 || xs.length !== ws.length) {
    throw new PopulaceError('invalid-argument', `weightedSum: expected as many weights as tensors (at least one), received ${xs.length} tensors and ${ws.length} weights.`);
  }
  const weights = ws.map((w) => (typeof w === 'number' ? tf.scalar(w) : w));
  for (const w of weights) {
    if (w.size !== 1) throw new PopulaceError('invalid-argument', `weightedSum: expected scalar weights, received shape [${w.shape.join(', ')}].`);
  }
  const k = xs.length;
  // webgpu under Node reads the device only asynchronously: there the weights stay on the device
  // and the sum is stock ops (tfjs differentiates them).
  if (tf.getBackend() === 'webgpu') return tf.tidy(() => tf.addN(xs.map((x, q) => tf.mul(x, weights[q]!))));
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const inputs = args.slice(0, k) as tf.Tensor[];
    const ww = args.slice(k, 2 * k) as tf.Tensor[];
    const save = args[2 * k] as tf.GradSaveFunc;
    const values = ww.map((w) => w.dataSync()[0]!);
    const shapes = ww.map((w) => w.shape);
    const [value] = linearCombine(inputs, [values]);
    // the tape keeps only what is saved: the inputs, for d/dw
    save(inputs);
    return {
      value: value!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        ...linearCombine([dy], values.map((v) => [v])),
        ...saved.map((x, q) => tf.reshape(tf.sum(tf.mul(dy, x)), shapes[q]!)),
      ],
    };
  }) as Parameters<typeof tf.customGrad>[0]);
  return op(...xs, ...weights) as tf.Tensor;
}
