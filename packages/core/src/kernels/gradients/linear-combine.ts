/** The gradient of the linear combination, shared by every backend: the same kernel with transposed coefficients. */
import * as tf from '@tensorflow/tfjs-core';
import { LINEAR_COMBINE, type LinearCombineAttrs } from '../kernel-names.js';

/** Transposes a K x J row-major matrix. */
function transpose(coefficients: readonly number[], k: number, j: number): number[] {
  const t: number[] = new Array(k * j);
  for (let r = 0; r < k; r++) for (let c = 0; c < j; c++) t[c * k + r] = coefficients[r * j + c]!;
  return t;
}

/** Gradient of the linear combination: d in[j] = sum_k c[k][j] * dy[k]. */
export const LINEAR_COMBINE_GRADIENTS: tf.GradConfig[] = [
  {
    kernelName: LINEAR_COMBINE,
    gradFunc: (dy, saved, attrs) => {
      const a = attrs as unknown as LinearCombineAttrs;
      const dys = (Array.isArray(dy) ? dy : [dy]) as tf.Tensor[];
      const j = a.coefficients.length / a.outputs;
      // eager and once, for the reason given in ./bernoulli-event.ts
      const grads = [
        tf.engine().runKernel(LINEAR_COMBINE, Object.fromEntries(dys.map((t, k) => [`x${k}`, t])), { outputs: j, coefficients: transpose(a.coefficients, a.outputs, j) } as unknown as tf.NamedAttrMap),
      ].flat() as tf.Tensor[];
      return Object.fromEntries(Array.from({ length: j }, (_, q) => [`x${q}`, () => grads[q]!]));
    },
  },
];
