/**
 * Building and running Populace's WGSL compute programs on tfjs's webgpu
 * backend. A program is tfjs's `WebGPUProgram` shape (typed here locally, so
 * core does not depend on the optional package's types): tfjs adds the
 * bindings (`result`, one read-only storage array per input, a uniform block
 * with the shapes and our own fields) and the `_start` entry point, which
 * calls our `main(index)` with the flat invocation index (a dispatch beyond
 * 65,535 workgroups is folded into y and z by tfjs and unfolded by its
 * `getGlobalIndex`).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { PopulaceError } from '../../errors.js';

/** tfjs-backend-webgpu's program description (the fields we set). */
export interface WgslProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms?: string;
  atomic?: boolean;
  size?: boolean;
  getUserCode: () => string;
}

/** A uniform value: tfjs packs them after the shapes, in declaration order. */
export interface ProgramUniform {
  type: 'int32' | 'uint32' | 'float32';
  data: number[];
}

/** The parts of tfjs's WebGPUBackend the kernels use. */
export interface WebgpuBackendLike {
  runWebGPUProgram(program: WgslProgram, inputs: tf.TensorInfo[], outputDtype: tf.DataType, uniforms?: ProgramUniform[], output?: tf.TensorInfo): tf.TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  makeTensorInfo(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  device: { limits: { maxStorageBufferBindingSize: number; maxStorageBuffersPerShaderStage: number } };
}

/** Invocations per workgroup of the element-wise programs (compatibility mode allows 128). */
export const WORKGROUP = 64;

/**
 * A program of `threads` invocations, each running `body` with `index` (i32)
 * bound and `index < uniforms.threads` checked. `uniforms` declares extra
 * fields after `threads : i32` (values passed to {@link run} after the count).
 */
export function flatProgram(key: string, variableNames: string[], outputShape: number[], threads: number, body: string, options: { uniforms?: string; atomic?: boolean; prelude?: string } = {}): WgslProgram {
  const workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  return {
    variableNames,
    outputShape,
    shaderKey: `populace_${key}`,
    dispatchLayout: { x: [0] },
    dispatch: [Math.max(1, Math.ceil(threads / WORKGROUP)), 1, 1],
    workgroupSize,
    uniforms: `threads : i32, ${options.uniforms ?? ''}`,
    atomic: options.atomic === true,
    getUserCode: () => `
${options.prelude ?? ''}
fn main(index : i32) {
  if (index < uniforms.threads) {
${body}
  }
}`,
  };
}

/** `uint32At`/`uniformAt` of ../../random.ts in WGSL: u32 products wrap as Math.imul does. */
export const MIX32_WGSL = `
fn mix32(v : u32) -> u32 {
  var x = v;
  x = x ^ (x >> 16u);
  x = x * 0x7feb352du;
  x = x ^ (x >> 15u);
  x = x * 0x846ca68bu;
  x = x ^ (x >> 16u);
  return x;
}
fn uint32At(key : u32, index : u32) -> u32 {
  return mix32(mix32(index ^ key) ^ 0x632be5abu);
}
// ((h >>> 9) + 0.5) / 2^23: exact in f32 (24 significant bits), the number uniformAt returns.
fn uniformAt(key : u32, index : u32) -> f32 {
  let h = mix32(mix32(index ^ key) + 0x9e3779b9u);
  return (f32(h >> 9u) + 0.5) * (1.0 / 8388608.0);
}`;

/** A float add on an `array<atomic<i32>>` result (compare-and-swap on the bits; WGSL has no float atomics). */
export const ATOMIC_ADD_F32_WGSL = `
fn atomicAddF32(at : i32, value : f32) {
  var old = atomicLoad(&result[at]);
  loop {
    let swapped = atomicCompareExchangeWeak(&result[at], old, bitcast<i32>(bitcast<f32>(old) + value));
    if (swapped.exchanged) { break; }
    old = swapped.old_value;
  }
}`;

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Checks that every tensor of a kernel call fits one storage binding; throws
 * `resource-limit` naming the limit and the bytes needed otherwise.
 */
export function checkBindings(backend: WebgpuBackendLike, kernel: string, tensors: { name: string; shape: readonly number[] }[]): void {
  const limit = backend.device.limits.maxStorageBufferBindingSize;
  for (const t of tensors) {
    const bytes = sizeOf(t.shape) * 4;
    if (bytes > limit) {
      throw new PopulaceError(
        'limit-exceeded',
        `${kernel} on webgpu: ${t.name} [${t.shape.join(', ')}] needs ${bytes} bytes in one storage binding; this device allows ${limit} (maxStorageBufferBindingSize). Use fewer agents or edges per tensor, or --backend cpu.`,
        { details: { kernel, tensor: t.name, bytes, limit } },
      );
    }
  }
}

/** Runs `program` on `inputs`; uniforms: the thread count, then `extra`. */
export function run(backend: WebgpuBackendLike, program: WgslProgram, inputs: tf.TensorInfo[], threads: number, extra: ProgramUniform[] = [], output?: tf.TensorInfo): tf.TensorInfo {
  return backend.runWebGPUProgram(program, inputs, 'float32', [{ type: 'int32', data: [threads] }, ...extra], output);
}

/**
 * A float32 tensor of `shape` filled with zeros (buffers are reused by tfjs, so never assumed
 * zero); with `output`, that tensor (or view, ./blocks.ts) is filled instead.
 */
export function zeros(backend: WebgpuBackendLike, shape: number[], output?: tf.TensorInfo): tf.TensorInfo {
  const n = sizeOf(shape);
  return run(backend, flatProgram('zeros', [], shape, n, '    result[index] = 0.0;'), [], n, [], output);
}

/** Threads per workgroup of the sum reduction, and elements each thread adds before the tree. */
const SUM_GROUP = 128;
const SUM_PER_THREAD = 16;
const SUM_CHUNK = SUM_GROUP * SUM_PER_THREAD;

function sumProgram(n: number, outputShape: number[]): WgslProgram {
  const groups = Math.ceil(n / SUM_CHUNK);
  return {
    variableNames: ['x'],
    outputShape,
    shaderKey: 'populace_sum_chunks',
    dispatchLayout: { x: [0] },
    dispatch: [Math.max(1, groups), 1, 1],
    workgroupSize: [SUM_GROUP, 1, 1],
    uniforms: 'threads : i32,',
    getUserCode: () => `
var<workgroup> partial : array<f32, ${SUM_GROUP}>;
fn main(index : i32) {
  let lid = i32(localIndex);
  let group = index / ${SUM_GROUP};
  let base = group * ${SUM_CHUNK};
  var acc = 0.0;
  for (var k = 0; k < ${SUM_PER_THREAD}; k++) {
    let i = base + k * ${SUM_GROUP} + lid;
    if (i < uniforms.threads) { acc = acc + f32(x[i]); }
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = ${SUM_GROUP / 2}; s > 0; s = s / 2) {
    if (lid < s) { partial[lid] = partial[lid] + partial[lid + s]; }
    workgroupBarrier();
  }
  // a dispatch folded into y (over 65,535 workgroups) rounds up: extra groups write nothing
  if (lid == 0 && (group == 0 || group * ${SUM_CHUNK} < uniforms.threads)) { result[group] = partial[0]; }
}`,
  };
}

/**
 * The sum of every element of `x` as a tensor of `shape` (one element): chunks
 * of 2,048 summed in workgroups (a fixed order, so a given input always gives
 * the same bits), repeated on the partial sums until one is left.
 */
export function sumAllTo(backend: WebgpuBackendLike, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  let current = x;
  let n = sizeOf(x.shape);
  for (;;) {
    const groups = Math.max(1, Math.ceil(n / SUM_CHUNK));
    const out = run(backend, sumProgram(n, groups === 1 ? shape : [groups]), [current], n);
    if (current !== x) backend.disposeData(current.dataId);
    if (groups === 1) return out;
    current = out;
    n = groups;
  }
}
