/**
 * The linear combination in WGSL: each of the K outputs is one pass over the
 * inputs its row of coefficients uses (zero coefficients are skipped), with
 * the coefficients as uniforms, so changing values (learnable rates) reuse
 * one compiled shader. Rows with more inputs than the device binds at once
 * are summed in groups, each group adding the previous partial sum.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { LINEAR_COMBINE, type LinearCombineAttrs } from '../kernel-names.js';
import { checkBindings, flatProgram, run, zeros, type WebgpuBackendLike } from './program.js';

type Info = tf.TensorInfo;

/** `result = sum_q c_q * x_q` over `count` inputs, plus `acc` (coefficient 1) when `withAcc`. */
function groupProgram(count: number, withAcc: boolean, shape: number[], n: number) {
  const names = Array.from({ length: count }, (_, q) => `x${q}`);
  const terms = names.map((name, q) => `uniforms.c${q} * f32(${name}[index])`);
  if (withAcc) terms.unshift('acc[index]');
  return flatProgram(`linear_combine_${count}_${withAcc ? 'a' : 'n'}`, withAcc ? ['acc', ...names] : names, shape, n, `    result[index] = ${terms.join(' + ')};`, {
    uniforms: names.map((_, q) => `c${q} : f32,`).join(' '),
  });
}

const linearCombine: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as WebgpuBackendLike;
  const a = attrs as unknown as LinearCombineAttrs;
  const ins = Object.keys(inputs).sort((u, v) => Number(u.slice(1)) - Number(v.slice(1))).map((k) => (inputs as Record<string, Info>)[k]!);
  const j = ins.length;
  const shape = ins[0]!.shape.slice();
  const n = shape.reduce((x, d) => x * d, 1);
  checkBindings(b, LINEAR_COMBINE, [{ name: 'x0', shape }]);
  for (const c of a.coefficients) if (!Number.isFinite(c)) throw new Error(`linear combination coefficient ${c} is not finite`);
  // Output, accumulator, inputs: each a storage binding.
  const perPass = Math.max(1, Math.min(8, b.device.limits.maxStorageBuffersPerShaderStage - 2));
  const outs: Info[] = [];
  for (let r = 0; r < a.outputs; r++) {
    const used = Array.from({ length: j }, (_, q) => q).filter((q) => a.coefficients[r * j + q] !== 0);
    if (used.length === 0) {
      outs.push(zeros(b, shape));
      continue;
    }
    let acc: Info | null = null;
    for (let s = 0; s < used.length; s += perPass) {
      const group = used.slice(s, s + perPass);
      const program = groupProgram(group.length, acc !== null, shape, n);
      const coefficients = group.map((q) => ({ type: 'float32' as const, data: [a.coefficients[r * j + q]!] }));
      const next: Info = run(b, program, acc === null ? group.map((q) => ins[q]!) : [acc, ...group.map((q) => ins[q]!)], n, coefficients);
      if (acc !== null) b.disposeData(acc.dataId);
      acc = next;
    }
    outs.push(acc!);
  }
  return outs;
};

/** The linear-combination kernel function on webgpu. */
export function linearCombineWebgpu(): Record<string, tf.KernelFunc> {
  return { [LINEAR_COMBINE]: linearCombine };
}
