/**
 * Reuse of the SharedArrayBuffers behind large kernel outputs on the cpu
 * backend. Parallel kernels write their outputs on SharedArrayBuffers so the
 * worker threads can fill them in place, but V8 does not count shared backing
 * stores as memory pressure: dropped ones pile up until an unrelated
 * collection (200 dropped 35 MB buffers: 6.7 GB resident, against 175 MB for
 * ordinary ArrayBuffers), and every fresh one costs page faults on first touch.
 *
 * So when the cpu backend frees the data of an output this module handed out,
 * its buffer goes back to a pool (up to `sharedOutputPool.maxBytes`) and the
 * next output of the same size reuses it (not zeroed: every kernel writes all
 * of its outputs). A buffer is recycled only if
 * nothing outside the kernels can still see it: the first time its data is
 * read through the backend's public data paths (`readSync`, `read`,
 * `bufferSync`: what `dataSync()` and `data()` return), or a view of it is
 * stored as another tensor's data (a contiguous `slice`, say), it is marked
 * exposed and left to the garbage collector for good.
 *
 * Inputs too: a parallel kernel's workers can read only shared memory, so
 * {@link sharedData} moves a tensor's float32 data there the first time such
 * a kernel reads it (one copy per tensor, not one per call: per-agent
 * parameters read every step, the outputs of stock tfjs kernels), on a buffer
 * of this pool that is reused once the tensor is freed.
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { isShared } from './worker-pool.js';

/** Outputs from this many bytes are pooled; `maxBytes` caps the idle buffers kept. */
export const sharedOutputPool = { minBytes: 1 << 20, maxBytes: 1.5 * 2 ** 30 };

interface Owned {
  /** The one array handed out on this buffer. */
  readonly array: Float32Array;
  /** Stored as the data of one tensor (by the kernel that made it). */
  stored: boolean;
  /** Seen outside the kernels: never recycled. */
  exposed: boolean;
}

const owned = new WeakMap<ArrayBufferLike, Owned>();
const idle = new Map<number, SharedArrayBuffer[]>();
let idleBytes = 0;
const wrapped = new WeakSet<object>();

/** Counters, for tests and benchmarks (`adopted`: tensors whose data {@link sharedData} moved to shared memory). */
export const sharedOutputStats = { allocated: 0, reused: 0, recycled: 0, adopted: 0 };

function expose(values: unknown): void {
  if (!ArrayBuffer.isView(values)) return;
  const info = owned.get(values.buffer);
  if (info !== undefined) info.exposed = true;
}

/** Data stored as a tensor's: the kernel's own array once, anything else on an owned buffer exposes it. */
function storing(values: unknown): void {
  if (!ArrayBuffer.isView(values)) return;
  const info = owned.get(values.buffer);
  if (info === undefined) return;
  if (values === info.array && !info.stored) info.stored = true;
  else info.exposed = true;
}

function recycle(values: unknown): void {
  if (!(values instanceof Float32Array)) return;
  const buffer = values.buffer;
  const info = owned.get(buffer);
  if (info === undefined || info.exposed || !info.stored || values !== info.array) return;
  owned.delete(buffer);
  if (idleBytes + buffer.byteLength > sharedOutputPool.maxBytes) return;
  const list = idle.get(buffer.byteLength) ?? [];
  list.push(buffer as SharedArrayBuffer);
  idle.set(buffer.byteLength, list);
  idleBytes += buffer.byteLength;
  sharedOutputStats.recycled++;
}

/** Hooks the backend's data paths once (instance properties shadowing its prototype's methods). */
function watch(cpu: MathBackendCPU): void {
  if (wrapped.has(cpu)) return;
  wrapped.add(cpu);
  const b = cpu as unknown as Record<string, (...args: any[]) => any>;
  const data = cpu.data;
  const disposeData = b.disposeData!.bind(cpu);
  b.disposeData = (dataId: object, force?: boolean) => {
    const values = data.has(dataId) ? data.get(dataId)!.values : undefined;
    const result = disposeData(dataId, force);
    if (values !== undefined && !data.has(dataId)) recycle(values);
    return result;
  };
  const readSync = b.readSync!.bind(cpu);
  b.readSync = (dataId: object) => {
    if (data.has(dataId)) expose(data.get(dataId)!.values);
    return readSync(dataId);
  };
  const bufferSync = b.bufferSync!.bind(cpu);
  b.bufferSync = (t: { dataId: object }) => {
    if (data.has(t.dataId)) expose(data.get(t.dataId)!.values);
    return bufferSync(t);
  };
  const write = b.write!.bind(cpu);
  b.write = (values: unknown, shape: number[], dtype: string) => {
    storing(values);
    return write(values, shape, dtype);
  };
  const move = b.move!.bind(cpu);
  b.move = (dataId: object, values: unknown, shape: number[], dtype: string, refCount: number) => {
    storing(values);
    return move(dataId, values, shape, dtype, refCount);
  };
}

/**
 * A float32 output of `n` elements on a SharedArrayBuffer of the cpu backend `cpu`, reused when one
 * is idle. Not zeroed when reused: kernels write every element of their outputs.
 */
export function sharedOutput(cpu: MathBackendCPU, n: number): Float32Array {
  const bytes = 4 * n;
  if (bytes < sharedOutputPool.minBytes) return new Float32Array(new SharedArrayBuffer(bytes));
  watch(cpu);
  const reused = idle.get(bytes)?.pop();
  const buffer = reused ?? new SharedArrayBuffer(bytes);
  const array = new Float32Array(buffer);
  if (reused !== undefined) {
    idleBytes -= bytes;
    sharedOutputStats.reused++;
  } else {
    sharedOutputStats.allocated++;
  }
  owned.set(buffer, { array, stored: false, exposed: false });
  return array;
}

/**
 * The data of tensor `dataId` on the cpu backend `cpu`, on shared memory when it is float32: its own
 * array when it already is there (or is a single value), else a copy that from now on is the
 * tensor's data (a buffer of this pool, reused once the tensor is freed). The values are the same;
 * only where they live changes, so every later parallel kernel reads them in place.
 */
export function sharedData(cpu: MathBackendCPU, dataId: object): Float32Array | Int32Array {
  const entry = cpu.data.get(dataId)!;
  const values = entry.values as Float32Array | Int32Array;
  if (!(values instanceof Float32Array) || values.length <= 1 || isShared(values)) return values;
  const copy = sharedOutput(cpu, values.length);
  copy.set(values);
  const info = owned.get(copy.buffer);
  if (info !== undefined) info.stored = true;
  entry.values = copy;
  sharedOutputStats.adopted++;
  return copy;
}
