/**
 * The linear combination and sum-all from stock ops: `mul` + `addN` per
 * output (coefficients 1 and -1 skip the multiply, 0 the term), and `tf.sum`.
 * float32 at every step (the cpu loops round once), so equal within rounding.
 */
import * as tf from '@tensorflow/tfjs-core';
import { LINEAR_COMBINE, SUM_ALL, type LinearCombineAttrs } from '../kernel-names.js';
import { portableKernel, type PortableInputs } from './portable-kernel.js';

function combine(inputs: PortableInputs, a: LinearCombineAttrs): tf.Tensor[] {
  const xs = Object.keys(inputs).sort((u, v) => Number(u.slice(1)) - Number(v.slice(1))).map((k) => inputs[k]!);
  const j = xs.length;
  return Array.from({ length: a.outputs }, (_, r) => {
    const terms: tf.Tensor[] = [];
    for (let q = 0; q < j; q++) {
      const c = a.coefficients[r * j + q]!;
      if (c !== 0) terms.push(c === 1 ? xs[q]! : c === -1 ? tf.neg(xs[q]!) : tf.mul(xs[q]!, c));
    }
    // addN needs one term at least, and returns an input itself for a single one: copy it
    return terms.length === 0 ? tf.zerosLike(xs[0]!) : terms.length === 1 ? tf.add(terms[0]!, 0) : tf.addN(terms);
  });
}

/** The portable linear-combination and sum-all kernels. */
export function portableLinearKernels(): Record<string, tf.KernelFunc> {
  return {
    [LINEAR_COMBINE]: portableKernel(combine),
    [SUM_ALL]: portableKernel((inputs: PortableInputs) => tf.sum(inputs.x!)),
  };
}
