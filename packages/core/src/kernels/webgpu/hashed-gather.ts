/**
 * Message passing over hashed random contacts in WGSL: every invocation
 * recomputes its row's contacts `uint32At(key, i * degree + j) % N` (the same
 * integers as ../../random.ts: u32 arithmetic wraps as `>>> 0` and
 * `Math.imul` do), so no edge is ever stored. The backward scatters `dy[i]`
 * to the same contacts with float atomics into a zeroed output.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { HASHED_GATHER, HASHED_GATHER_GRAD, type HashedGatherAttrs } from '../kernel-names.js';
import { ATOMIC_ADD_F32_WGSL, checkBindings, flatProgram, MIX32_WGSL, run, zeros, type WebgpuBackendLike } from './program.js';

const CONTACT = `
fn contact(i : i32, j : u32) -> i32 {
  let n = u32(uniforms.threads);
  return i32(uint32At(uniforms.key, u32(i) * uniforms.degree + j) % n);
}`;

function call(kernel: string, inputs: tf.NamedTensorInfoMap, backend: unknown, attrs: tf.NamedAttrMap | undefined, grad: boolean): tf.TensorInfo {
  const b = backend as unknown as WebgpuBackendLike;
  const x = (grad ? inputs['dy'] : inputs['values'])!;
  const a = attrs as unknown as HashedGatherAttrs;
  checkBindings(b, kernel, [{ name: grad ? 'dy' : 'values', shape: x.shape }]);
  const n = x.shape[0] ?? 1;
  const uniforms = [{ type: 'uint32' as const, data: [a.degree >>> 0] }, { type: 'uint32' as const, data: [a.key >>> 0] }];
  const decl = { uniforms: 'degree : u32, key : u32,', prelude: MIX32_WGSL + CONTACT };
  if (!grad) {
    const program = flatProgram('hashed_gather', ['values'], x.shape.slice(), n, `
    var acc = 0.0;
    for (var j = 0u; j < uniforms.degree; j++) { acc = acc + values[contact(index, j)]; }
    result[index] = acc;`, decl);
    return run(b, program, [x], n, uniforms);
  }
  const out = zeros(b, x.shape.slice());
  const program = flatProgram('hashed_gather_grad', ['dy'], x.shape.slice(), n, `
    let g = dy[index];
    if (g != 0.0) {
      for (var j = 0u; j < uniforms.degree; j++) { atomicAddF32(contact(index, j), g); }
    }`, { ...decl, atomic: true, prelude: decl.prelude + ATOMIC_ADD_F32_WGSL });
  return run(b, program, [x], n, uniforms, out);
}

/** The hashed-gather kernel functions on webgpu. */
export function hashedGatherWebgpu(): Record<string, tf.KernelFunc> {
  return {
    [HASHED_GATHER]: ({ inputs, backend, attrs }) => call(HASHED_GATHER, inputs, backend, attrs, false),
    [HASHED_GATHER_GRAD]: ({ inputs, backend, attrs }) => call(HASHED_GATHER_GRAD, inputs, backend, attrs, true),
  };
}
