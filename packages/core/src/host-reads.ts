/**
 * Host copies of the small tensors a substep may read as numbers, for
 * backends whose device Node reads asynchronously only (webgpu: `dataSync()`
 * on a GPU tensor is impossible there).
 *
 * Before each substep the step engine asks {@link HostReads.prepare} for the
 * step's parameter tensors and the substep's declared environment reads
 * (`env/...`, never agent arrays). In `fetch` mode it reads the ones not yet on
 * the host with `await data()` (tfjs keeps the values beside the device
 * buffer, so a later `dataSync()` on the same tensor is answered from the
 * host) and, when asked to, logs them under (step, substep, name). In `replay`
 * mode (a differentiable segment re-run synchronously on the tape) it puts
 * the logged values back on the re-computed tensors without touching the
 * device: randomness is counter-based, so the re-run computes the same values
 * the forward pass read. A backend that reads synchronously (cpu, wasm,
 * tensorflow) costs nothing: `prepare` returns at once.
 */
import { tf } from './tf.js';

/** The parts of a tfjs backend's bookkeeping used here (tfjs-backend-webgpu's WebGPUBackend has them). */
interface HostCachingBackend {
  tensorMap: { get(dataId: object): { values?: ArrayLike<number> | null; resource?: unknown } | undefined };
  convertAndCacheOnCPU(dataId: object, values: ArrayLike<number>): unknown;
  uploadToGPU(dataId: object): void;
}

/** Environment entries larger than this many elements are never copied to the host. */
export const HOST_READ_MAX_ELEMENTS = 1 << 16;

/** Whether the active backend reads its device asynchronously only (webgpu under Node). */
export function readsAsyncOnly(): boolean {
  return tf.getBackend() === 'webgpu';
}

function cachingBackend(): HostCachingBackend | undefined {
  const b = tf.backend() as unknown as Partial<HostCachingBackend>;
  return b.tensorMap !== undefined && typeof b.convertAndCacheOnCPU === 'function' && typeof b.uploadToGPU === 'function' ? (b as HostCachingBackend) : undefined;
}

/** The host copy of a tensor's values where the backend holds one, else undefined. */
export function hostValues(t: tf.Tensor): ArrayLike<number> | undefined {
  if (!readsAsyncOnly()) return undefined;
  return cachingBackend()?.tensorMap.get(t.dataId)?.values ?? undefined;
}

/**
 * Gives a tensor a host copy of its values (which the caller vouches for), so that `dataSync()`
 * answers from it. A tensor still on the host only is uploaded first: tfjs drops the host copy
 * when it uploads, which would otherwise happen inside the substep, between two reads.
 */
export function cacheOnHost(t: tf.Tensor, values: ArrayLike<number>): void {
  const b = cachingBackend();
  const data = b?.tensorMap.get(t.dataId);
  if (b === undefined || data === undefined) return;
  if (data.resource == null) {
    if (data.values == null) b.convertAndCacheOnCPU(t.dataId, values);
    b.uploadToGPU(t.dataId);
  }
  b.convertAndCacheOnCPU(t.dataId, values);
}

/** Host copies for one run of the engine: fetched from the device (and optionally logged), or replayed from the log. */
export class HostReads {
  /** `fetch`: read the device asynchronously; `replay`: answer from the log, synchronously. */
  mode: 'fetch' | 'replay';
  readonly #log: Map<string, ArrayLike<number>> | undefined;

  /**
   * @param mode where values come from at first.
   * @param record whether fetched values are logged for a later replay.
   */
  constructor(mode: 'fetch' | 'replay', record: boolean) {
    this.mode = mode;
    this.#log = record ? new Map() : undefined;
  }

  /**
   * Makes `candidates()` (name, tensor) readable synchronously before the substep `key` runs:
   * a promise when the device must be read, undefined when nothing had to wait.
   */
  prepare(key: string, candidates: () => readonly (readonly [string, tf.Tensor])[]): Promise<void> | undefined {
    if (!readsAsyncOnly()) return undefined;
    const list = candidates();
    if (this.mode === 'replay') {
      for (const [name, t] of list) {
        const v = this.#log?.get(`${key}/${name}`);
        if (v !== undefined && hostValues(t) === undefined) cacheOnHost(t, v);
      }
      return undefined;
    }
    const missing = list.filter(([, t]) => hostValues(t) === undefined);
    // on the host only: kept there after the upload the substep would make
    for (const [, t] of list) {
      const v = hostValues(t);
      if (v !== undefined) cacheOnHost(t, v);
    }
    const log = this.#log;
    if (log !== undefined) {
      for (const [name, t] of list) {
        const v = hostValues(t);
        if (v !== undefined) log.set(`${key}/${name}`, v);
      }
    }
    if (missing.length === 0) return undefined;
    return Promise.all(missing.map(async ([name, t]) => {
      const values = (await t.data()) as ArrayLike<number>;
      log?.set(`${key}/${name}`, values);
    })).then(() => undefined);
  }

  /** Forgets the log (its arrays are the only host copies kept alive by it). */
  clear(): void {
    this.#log?.clear();
  }
}
