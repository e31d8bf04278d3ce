/**
 * Blocks: binding an array as ranges of its buffer, so one kernel covers an
 * array larger than one storage binding (`maxStorageBufferBindingSize`; 128
 * MiB under Mesa's llvmpipe, while a buffer may hold 2 GiB). A block is a
 * view `{ buffer, offset, size }` of the tensor's buffer; tfjs binds whole
 * buffers, so the backend's `tensorToBinding` is wrapped (./dawn.ts) to give a
 * view's range. The message-passing kernels (./gather-reduce.ts,
 * ./hashed-gather.ts) read arrays across blocks through generated accessors
 * (`valuesAt(i)` picks the block and the index in it) and dispatch once per
 * output block (and per group of blocks when they exceed the bindings a
 * shader may have).
 *
 * The block size is the device's binding limit, or lower where the
 * `POPULACE_WEBGPU_BLOCK_BYTES` environment variable says so (read once, when
 * the webgpu backend is installed; a multiple of 8192 bytes): tests use it to
 * split a 100k-agent population into many blocks.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { PopulaceError } from '../../errors.js';
import { zeros, type WebgpuBackendLike } from './program.js';

/** Blocks hold a multiple of this many elements (8 KiB: every offset is aligned for any device). */
export const BLOCK_UNIT = 2048;

let configuredBytes: number | null = null;

/** Reads `POPULACE_WEBGPU_BLOCK_BYTES` (called once, when the backend is installed); throws `invalid-argument` on a bad value. */
export function readBlockSetting(env: Readonly<Record<string, string | undefined>> = process.env): void {
  const raw = env['POPULACE_WEBGPU_BLOCK_BYTES'];
  if (raw === undefined || raw === '') {
    configuredBytes = null;
    return;
  }
  const bytes = Number(raw);
  if (!Number.isSafeInteger(bytes) || bytes < BLOCK_UNIT * 4 || bytes % (BLOCK_UNIT * 4) !== 0) {
    throw new PopulaceError('invalid-argument', `POPULACE_WEBGPU_BLOCK_BYTES: expected a positive multiple of ${BLOCK_UNIT * 4} bytes (the webgpu kernels' block size), received '${raw}'. Unset it to use the device's maxStorageBufferBindingSize.`, {
      details: { variable: 'POPULACE_WEBGPU_BLOCK_BYTES', value: raw },
    });
  }
  configuredBytes = bytes;
}

/** Elements per block on this device: its binding limit (or the configured size, if lower), in whole units. */
export function blockElements(backend: WebgpuBackendLike): number {
  const limit = backend.device.limits.maxStorageBufferBindingSize;
  const bytes = configuredBytes === null ? limit : Math.min(limit, configuredBytes);
  return Math.max(BLOCK_UNIT, Math.floor(bytes / 4 / BLOCK_UNIT) * BLOCK_UNIT);
}

/** Storage bindings a shader may have, beyond those named in `reserved`. */
export const bindingsLeft = (backend: WebgpuBackendLike, reserved: number): number => backend.device.limits.maxStorageBuffersPerShaderStage - reserved;

const views = new WeakMap<object, { offset: number; size: number }>();

/**
 * Elements `[start, start + length)` of `t` as a tensor of their own for one program: the same
 * buffer, bound at that range. `start` must be a multiple of {@link BLOCK_UNIT} (alignment).
 */
export function view(t: tf.TensorInfo, start: number, length: number): tf.TensorInfo {
  const v: tf.TensorInfo = { dataId: t.dataId, shape: [length], dtype: t.dtype };
  views.set(v, { offset: start * 4, size: length * 4 });
  return v;
}

/** The binding tfjs made for `tensor`, narrowed to the view's range where `tensor` is a view. */
export function narrowBinding(tensor: object | null | undefined, binding: unknown): unknown {
  const range = tensor == null ? undefined : views.get(tensor);
  if (range === undefined) return binding;
  return { ...(binding as { buffer: unknown }), offset: range.offset, size: range.size };
}

/** `[start, end)` ranges of at most `size` covering `[0, total)` (one empty range when total is 0). */
export function ranges(total: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < total; s += size) out.push([s, Math.min(total, s + size)]);
  return out.length === 0 ? [[0, 0]] : out;
}

/** Splits `items` into groups of at most `size`. */
export function groups<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let s = 0; s < items.length; s += size) out.push(items.slice(s, s + size));
  return out;
}

/**
 * A blocked array's part in one program: its views (bound as `${name}0`, `${name}1`, ...) over
 * elements `[start, end)`, and the WGSL accessor `${name}At(i)` for `start <= i < end`, `i`
 * relative to `start`.
 */
export interface BlockGroup {
  readonly names: string[];
  readonly inputs: tf.TensorInfo[];
  readonly start: number;
  readonly end: number;
  readonly wgsl: string;
}

/** The blocks `[first, first + count)` of `t` (blocks of `block` elements) as one {@link BlockGroup}. */
export function blockGroup(name: string, t: tf.TensorInfo, block: number, blockIndices: readonly number[], type: 'f32' | 'i32'): BlockGroup {
  const total = t.shape.reduce((a, b) => a * b, 1);
  const start = blockIndices[0]! * block;
  const end = Math.min(total, (blockIndices[blockIndices.length - 1]! + 1) * block);
  const names = blockIndices.map((_, q) => `${name}${q}`);
  const inputs = blockIndices.map((k) => view(t, k * block, Math.max(1, Math.min(total, (k + 1) * block) - k * block)));
  const picks = names.map((n, q) => (q === names.length - 1 ? `  return ${type}(${n}[i - ${q * block}]);` : `  if (i < ${(q + 1) * block}) { return ${type}(${n}[i - ${q * block}]); }`));
  const wgsl = `fn ${name}At(i : i32) -> ${type} {\n${picks.join('\n')}\n}`;
  return { names, inputs, start, end, wgsl };
}

/** The indices of the blocks of an array of `total` elements. */
export const blockIndices = (total: number, block: number): number[] => Array.from({ length: Math.max(1, Math.ceil(total / block)) }, (_, k) => k);

/** Fills `out` (`total` elements) with zeros, a block at a time. */
export function zeroBlocks(b: WebgpuBackendLike, out: tf.TensorInfo, total: number, block: number): tf.TensorInfo {
  for (const [s, e] of ranges(total, block)) zeros(b, [e - s], view(out, s, e - s));
  return out;
}
