/**
 * Whether a population fits the active device, checked before any of its
 * tensors is allocated. On `webgpu` every tensor lives in one GPU buffer (at
 * most `maxBufferSize` bytes), and every stock tfjs op binds its tensors whole,
 * so an agent array (read by stock ops every step) must fit one storage
 * binding (`maxStorageBufferBindingSize`). The arrays of a stored contact
 * network (`rowPtr`, `colIdx`, `weights`) are read only by Populace's own
 * kernels, which bind them in blocks (./kernels/webgpu/blocks.ts): they need
 * only fit one buffer. Other backends have no such per-tensor limit.
 */
import { PopulaceError } from './errors.js';
import type { ModelDefinition } from './model.js';
import type { PopulationData } from './population.js';
import { tf } from './tf.js';

/** The per-tensor limits of the active backend's device, in bytes. */
export interface DeviceLimits {
  readonly backend: string;
  /** Largest tensor a stock op can bind (maxStorageBufferBindingSize). */
  readonly maxBinding: number;
  /** Largest tensor at all (maxBufferSize). */
  readonly maxBuffer: number;
}

/** One tensor a simulation would allocate. */
export interface TensorNeed {
  readonly name: string;
  readonly shape: readonly number[];
  readonly bytes: number;
  /** Read only by Populace's kernels, which bind it in blocks: limited by maxBuffer, not maxBinding. */
  readonly blocked: boolean;
}

/** The active backend's per-tensor limits, or null where it has none (cpu, wasm, tensorflow). */
export function deviceLimits(): DeviceLimits | null {
  const backend = tf.getBackend();
  if (backend !== 'webgpu') return null;
  const limits = (tf.backend() as unknown as { device?: { limits?: { maxStorageBufferBindingSize?: number; maxBufferSize?: number } } }).device?.limits;
  if (limits?.maxStorageBufferBindingSize === undefined || limits.maxBufferSize === undefined) return null;
  return { backend, maxBinding: limits.maxStorageBufferBindingSize, maxBuffer: limits.maxBufferSize };
}

/** Every agent property and network array of `model` for the agent `counts` (4 bytes per element: webgpu stores bool as int32). */
export function populationNeeds(model: ModelDefinition, counts: ReadonlyMap<string, number>, population?: PopulationData): TensorNeed[] {
  const needs: TensorNeed[] = [];
  for (const [type, spec] of Object.entries(model.state.agents)) {
    const count = counts.get(type);
    if (count === undefined) continue;
    for (const [prop, p] of Object.entries(spec.properties)) {
      const shape = [count, ...(p.shape ?? [])];
      needs.push({ name: `agents/${type}/${prop}`, shape, bytes: 4 * shape.reduce((a, b) => a * b, 1), blocked: false });
    }
  }
  for (const [name, spec] of Object.entries(model.state.networks ?? {})) {
    const net = population?.networks?.[spec.layer ?? name];
    if (net === undefined || net.kind === 'hashed') continue;
    const arrays: [string, number][] = [['rowPtr', net.rowPtr.length], ['colIdx', net.colIdx.length], ...(net.weights ? [['weights', net.weights.length] as [string, number]] : [])];
    for (const [part, length] of arrays) needs.push({ name: `networks/${name}/${part}`, shape: [length], bytes: 4 * length, blocked: true });
  }
  return needs;
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/**
 * Throws `limit-exceeded` when a tensor of the population would not fit the active device:
 * names the tensor, the bytes it needs, the limit, the bytes of the whole state, and the largest
 * agent count that fits. Does nothing on backends without per-tensor limits.
 */
export function checkPopulationFits(model: ModelDefinition, modelId: string, counts: ReadonlyMap<string, number>, population?: PopulationData, limits: DeviceLimits | null = deviceLimits()): void {
  if (limits === null) return;
  const needs = populationNeeds(model, counts, population);
  const total = needs.reduce((a, n) => a + n.bytes, 0);
  for (const need of needs) {
    const limit = need.blocked ? limits.maxBuffer : limits.maxBinding;
    if (need.bytes <= limit) continue;
    const limitName = need.blocked ? 'maxBufferSize' : 'maxStorageBufferBindingSize';
    const perAgent = need.shape.slice(1).reduce((a, b) => a * b, 1) * 4;
    const agents = need.shape[0] ?? 0;
    const fits = need.blocked ? Math.floor((agents * limit) / need.bytes) : Math.floor(limit / perAgent);
    const why = need.blocked
      ? 'a GPU buffer holds one tensor'
      : 'stock tfjs ops bind each tensor whole, in one storage binding';
    throw new PopulaceError(
      'limit-exceeded',
      `model '${modelId}' on backend '${limits.backend}': ${need.name} [${need.shape.join(', ')}] needs ${need.bytes} bytes (${mib(need.bytes)}), over this device's ${limitName} of ${limit} bytes (${mib(limit)}; ${why}); the population's state needs ${total} bytes (${mib(total)}) in all. ${need.blocked ? `Use at most about ${fits} agents with this network on this device, hashed contacts instead of a stored network` : `Use at most about ${fits} agents on this device`}, a GPU with larger limits, or the cpu backend.`,
      { details: { model: modelId, backend: limits.backend, tensor: need.name, shape: [...need.shape], bytes: need.bytes, limit, limitName, totalBytes: total } },
    );
  }
}
