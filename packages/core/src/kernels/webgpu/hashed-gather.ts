/**
 * Message passing over hashed random contacts in WGSL: every invocation
 * recomputes its row's contacts `uint32At(key, i * degree + j) % N` (the same
 * integers as ../../random.ts: u32 arithmetic wraps as `>>> 0` and
 * `Math.imul` do), so no edge is ever stored. The backward scatters `dy[i]`
 * to the same contacts with float atomics into a zeroed output.
 *
 * Arrays are bound in blocks (./blocks.ts): one dispatch per block of rows
 * (the output, or `dy`), the values read across a group of blocks behind an
 * accessor; more value blocks than a shader may bind are taken a group at a
 * time, each dispatch adding to the previous one's sums.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { HASHED_GATHER, HASHED_GATHER_GRAD, type HashedGatherAttrs } from '../kernel-names.js';
import { bindingsLeft, blockElements, blockGroup, blockIndices, groups, ranges, view, zeroBlocks } from './blocks.js';
import { ATOMIC_ADD_F32_WGSL, flatProgram, MIX32_WGSL, run, type ProgramUniform, type WebgpuBackendLike } from './program.js';

const CONTACT = `
fn contact(i : i32, j : u32) -> i32 {
  return i32(uint32At(uniforms.key, u32(i) * uniforms.degree + j) % u32(uniforms.agents));
}`;

const UNIFORMS = 'degree : u32, key : u32, agents : i32, base : i32, v0 : i32, v1 : i32, first : i32,';

function forward(b: WebgpuBackendLike, x: tf.TensorInfo, a: HashedGatherAttrs): tf.TensorInfo {
  const n = x.shape[0] ?? 1;
  const out = b.makeTensorInfo(x.shape.slice(), 'float32');
  if (n === 0) return out;
  const block = blockElements(b);
  const valueGroups = groups(blockIndices(n, block), Math.max(1, bindingsLeft(b, 1)));
  for (const [r0, r1] of ranges(n, block)) {
    let first = 1;
    for (const vg of valueGroups) {
      const vals = blockGroup('values', x, block, vg, 'f32');
      const program = flatProgram(`hashed_gather_${block}_${vg.length}`, vals.names, [r1 - r0], r1 - r0, `
    var acc = 0.0;
    if (uniforms.first == 0) { acc = result[index]; }
    for (var j = 0u; j < uniforms.degree; j++) {
      let s = contact(uniforms.base + index, j);
      if (s >= uniforms.v0 && s < uniforms.v1) { acc = acc + valuesAt(s - uniforms.v0); }
    }
    result[index] = acc;`, { uniforms: UNIFORMS, prelude: `${MIX32_WGSL}${CONTACT}\n${vals.wgsl}` });
      run(b, program, vals.inputs, r1 - r0, uniforms(a, n, r0, vals.start, vals.end, first), view(out, r0, r1 - r0));
      first = 0;
    }
  }
  return out;
}

function backward(b: WebgpuBackendLike, dy: tf.TensorInfo, a: HashedGatherAttrs): tf.TensorInfo {
  const n = dy.shape[0] ?? 1;
  const out = b.makeTensorInfo(dy.shape.slice(), 'float32');
  if (n === 0) return out;
  const block = blockElements(b);
  zeroBlocks(b, out, n, block);
  for (const [v0, v1] of ranges(n, block)) {
    for (const [r0, r1] of ranges(n, block)) {
      const program = flatProgram(`hashed_gather_grad_${block}`, ['dy'], [v1 - v0], r1 - r0, `
    let g = dy[index];
    if (g != 0.0) {
      for (var j = 0u; j < uniforms.degree; j++) {
        let s = contact(uniforms.base + index, j);
        if (s >= uniforms.v0 && s < uniforms.v1) { atomicAddF32(s - uniforms.v0, g); }
      }
    }`, { uniforms: UNIFORMS, atomic: true, prelude: `${MIX32_WGSL}${CONTACT}${ATOMIC_ADD_F32_WGSL}` });
      run(b, program, [view(dy, r0, r1 - r0)], r1 - r0, uniforms(a, n, r0, v0, v1, 1), view(out, v0, v1 - v0));
    }
  }
  return out;
}

function uniforms(a: HashedGatherAttrs, agents: number, base: number, v0: number, v1: number, first: number): ProgramUniform[] {
  return [
    { type: 'uint32', data: [a.degree >>> 0] },
    { type: 'uint32', data: [a.key >>> 0] },
    ...[agents, base, v0, v1, first].map((v): ProgramUniform => ({ type: 'int32', data: [v] })),
  ];
}

/** The hashed-gather kernel functions on webgpu. */
export function hashedGatherWebgpu(): Record<string, tf.KernelFunc> {
  return {
    [HASHED_GATHER]: ({ inputs, backend, attrs }) => forward(backend as unknown as WebgpuBackendLike, inputs['values']!, attrs as unknown as HashedGatherAttrs),
    [HASHED_GATHER_GRAD]: ({ inputs, backend, attrs }) => backward(backend as unknown as WebgpuBackendLike, inputs['dy']!, attrs as unknown as HashedGatherAttrs),
  };
}
