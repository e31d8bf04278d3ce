/**
 * Resource estimates before any build: the bytes a simulation will hold
 * (population, state tensors, metric series, gradient tape), the memory this
 * machine has for it (free memory, the cgroup limit, the JS heap), and the
 * check that refuses a run that cannot fit with both numbers and the fix.
 * Estimates are deliberately simple arithmetic over declared sizes and a few
 * measured rates; they catch sizes that cannot fit, not a tight bound.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import { PopulaceError } from './errors.js';
import type { ModelDefinition, StateDtype } from './model.js';
import type { PopulationDefinition } from './population.js';
import { DEFAULT_POPULATION_BYTES_PER_AGENT, type PopulationSizeEstimate } from './population-size.js';

const DTYPE_BYTES: Readonly<Record<StateDtype, number>> = { float32: 4, int32: 4, bool: 1 };

/**
 * Measured rates (network-SIR on the cpu backend, 200k and 2M agents, peak RSS; see the bench
 * README): the forward pass held ~260 bytes per agent beyond the population, and the reverse
 * pass ~500 bytes per agent plus a few bytes per agent and step. The constants below round up.
 */
/** Copies of each state tensor alive during a step (current, next, intermediates). */
const STATE_COPIES = 4;
/** Per-agent working memory of the kernels (random draws, messages, masks), bytes. */
const SCRATCH_BYTES_PER_AGENT = 96;
/** Tape bytes kept per agent and step of a gradient pass, per byte of state per agent. */
const TAPE_BYTES_PER_STATE_BYTE_STEP = 1;
/** Bytes a metric value costs in the series (a JS number in an array, and its copy in the result). */
const METRIC_VALUE_BYTES = 16;

/** Bytes a simulation will hold, by part. */
export interface MemoryEstimate {
  /** Agents of the primary type. */
  readonly agents: number;
  readonly steps: number;
  /** Stored contact edges. */
  readonly edges: number;
  /** The built population's data. */
  readonly population: number;
  /** State tensors, the uploaded networks and the kernels' working memory. */
  readonly state: number;
  /** Metric series (on the JS heap). */
  readonly metrics: number;
  /** The gradient tape (0 for a forward run). */
  readonly tape: number;
  /** The sum. */
  readonly bytes: number;
}

/** What a simulation is, for its estimate. */
export interface MemoryEstimateInput {
  readonly model: ModelDefinition;
  readonly population?: PopulationDefinition | undefined;
  /** Requested agents (default: the population's or the model's default). */
  readonly agents?: number | undefined;
  readonly steps: number;
  /** Whether the run is differentiated (calibrate, sensitivity). */
  readonly gradient?: boolean;
}

/** The population's own estimate at `agents`, or the default rate. */
export function estimatePopulationSize(population: PopulationDefinition, agents: number): PopulationSizeEstimate {
  return population.estimateSize?.({ agents }) ?? { agents, edges: 0, bytes: agents * DEFAULT_POPULATION_BYTES_PER_AGENT };
}

/**
 * The bytes a simulation of `model` on `population` will hold, before anything is built.
 *
 * @example
 * ```ts
 * const e = estimateSimulationMemory({ model: sir, population: randomGraph, agents: 1_000_000, steps: 60 });
 * formatBytes(e.bytes); // '...'
 * ```
 */
export function estimateSimulationMemory(input: MemoryEstimateInput): MemoryEstimate {
  const { model, population, steps } = input;
  const agents = input.agents ?? population?.defaultAgents ?? model.defaultAgents;
  const pop = population ? estimatePopulationSize(population, agents) : { agents, edges: 0, bytes: 0 };
  // every agent type of the model is sized like the primary one: an upper bound for most models
  let stateBytesPerAgent = 0;
  for (const type of Object.values(model.state.agents)) {
    for (const p of Object.values(type.properties)) stateBytesPerAgent += DTYPE_BYTES[p.dtype] * (p.shape ?? []).reduce((a, b) => a * b, 1);
  }
  const state = agents * (stateBytesPerAgent * STATE_COPIES + SCRATCH_BYTES_PER_AGENT) + pop.edges * 4;
  const metrics = steps * Object.keys(model.metrics).length * METRIC_VALUE_BYTES;
  const tape = input.gradient ? agents * steps * Math.max(1, stateBytesPerAgent) * TAPE_BYTES_PER_STATE_BYTE_STEP + state : 0;
  return { agents, steps, edges: pop.edges, population: pop.bytes, state, metrics, tape, bytes: pop.bytes + state + metrics + tape };
}

/** Memory this process may still use. */
export interface AvailableMemory {
  /** Bytes: free memory, or the cgroup's limit minus its usage if that is lower. */
  readonly bytes: number;
  /** Bytes the JS heap may still grow by (metric series and other JS arrays live there). */
  readonly heapBytes: number;
  /** Where `bytes` comes from, for messages. */
  readonly source: string;
}

/** The environment variable an operator caps the memory of a run with, e.g. `POPULACE_MAX_MEMORY=8GB`. */
export const MAX_MEMORY_ENV = 'POPULACE_MAX_MEMORY';

const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

/**
 * The operator's memory cap from `POPULACE_MAX_MEMORY` (bytes, or a number with kB, MB, GB, TB,
 * KiB, MiB, GiB, TiB), checked; undefined when unset or empty.
 *
 * @throws PopulaceError `invalid-argument` for anything else.
 * @example
 * ```ts
 * memoryLimitFromEnv({ POPULACE_MAX_MEMORY: '8GB' }); // 8e9
 * ```
 */
export function memoryLimitFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number | undefined {
  const text = env[MAX_MEMORY_ENV];
  if (text === undefined || text.trim() === '') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new PopulaceError('invalid-argument', `${MAX_MEMORY_ENV}: expected a size such as 8GB, 512MB or 2000000000 (bytes), received ${JSON.stringify(text)}. Unset it to use the machine's free memory.`, { details: { variable: MAX_MEMORY_ENV, received: text } });
  }
  return bytes;
}

function readNumber(file: string): number | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim();
    const n = Number(text);
    return text === 'max' || !Number.isFinite(n) ? undefined : n;
  } catch {
    return undefined;
  }
}

/**
 * Free memory (os.freemem: the kernel's MemAvailable), the cgroup v2/v1 limit if lower, the
 * operator's POPULACE_MAX_MEMORY of `env` if lower still, and the JS heap's room.
 */
export function availableMemory(env: Readonly<Record<string, string | undefined>> = process.env): AvailableMemory {
  let bytes = os.freemem();
  let source = `free memory of ${formatBytes(os.totalmem())} total`;
  const cap = memoryLimitFromEnv(env);
  const cgroups: [string, string][] = [
    ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory.current'],
    ['/sys/fs/cgroup/memory/memory.limit_in_bytes', '/sys/fs/cgroup/memory/memory.usage_in_bytes'],
  ];
  for (const [limitFile, usageFile] of cgroups) {
    const limit = readNumber(limitFile);
    const usage = readNumber(usageFile);
    if (limit !== undefined && usage !== undefined && limit < os.totalmem() && limit - usage < bytes) {
      bytes = Math.max(0, limit - usage);
      source = `the cgroup limit of ${formatBytes(limit)} minus its use`;
      break;
    }
  }
  if (cap !== undefined && cap < bytes) [bytes, source] = [cap, `the operator's limit ${MAX_MEMORY_ENV}=${env[MAX_MEMORY_ENV]!.trim()}`];
  const heap = v8.getHeapStatistics();
  return { bytes, heapBytes: Math.max(0, heap.heap_size_limit - heap.used_heap_size), source };
}

/** Bytes as a short readable size: 1.5 GB, 820 MB, 12 kB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) [v, u] = [v / 1000, u + 1];
  return `${u === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`;
}

/** The parts of an estimate in words: 'population 4.1 GB (50,000,000 agents, 500,000,000 edges), state 2.0 GB, ...'. */
export function describeEstimate(e: MemoryEstimate): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const parts = [
    `population ${formatBytes(e.population)} (${n(e.agents)} agents${e.edges ? `, ${n(e.edges)} edges` : ''})`,
    `state ${formatBytes(e.state)}`,
    `metrics ${formatBytes(e.metrics)} (${n(e.steps)} steps)`,
    ...(e.tape ? [`gradient tape ${formatBytes(e.tape)}`] : []),
  ];
  return parts.join(', ');
}

/**
 * Throws `limit-exceeded` when the estimate does not fit in `available` (default: this machine's
 * now), saying both numbers, the parts, and the fix. `what` names the job ('run', 'calibrate').
 *
 * @example
 * ```ts
 * checkMemory(estimateSimulationMemory({ model, population, agents: 50_000_000, steps: 60 }), 'run');
 * ```
 */
export function checkMemory(estimate: MemoryEstimate, what: string, available: AvailableMemory = availableMemory()): void {
  const fix = `Use fewer agents or steps, or run it on a machine with more memory${available.source.includes(MAX_MEMORY_ENV) ? ` (or raise ${MAX_MEMORY_ENV})` : ''}.`;
  if (estimate.bytes > available.bytes) {
    const share = estimate.bytes / Math.max(1, estimate.agents);
    const fits = Math.floor(available.bytes / share);
    throw new PopulaceError(
      'limit-exceeded',
      `${what} needs about ${formatBytes(estimate.bytes)} of memory (${describeEstimate(estimate)}), but ${formatBytes(available.bytes)} is available (${available.source}). ${fix}${fits >= 1 ? ` About ${fits.toLocaleString('en-US')} agents fit at ${estimate.steps.toLocaleString('en-US')} steps.` : ''}`,
      { details: { neededBytes: estimate.bytes, availableBytes: available.bytes, estimate } },
    );
  }
  if (estimate.metrics > available.heapBytes) {
    throw new PopulaceError(
      'limit-exceeded',
      `${what} needs about ${formatBytes(estimate.metrics)} of JS heap for its metric series (${estimate.steps.toLocaleString('en-US')} steps), but the heap has ${formatBytes(available.heapBytes)} left. Use fewer steps (or raise the heap with NODE_OPTIONS=--max-old-space-size=<MB>).`,
      { details: { neededBytes: estimate.metrics, availableBytes: available.heapBytes, estimate } },
    );
  }
}

/** Whether `error` is a failed allocation (a typed array or array too large for the memory left). */
export function isAllocationFailure(error: unknown): error is Error {
  // tfjs and workers may rethrow a RangeError's message in a plain Error
  return error instanceof Error && (error instanceof RangeError || /allocation failed/i.test(error.message)) && /Array buffer allocation failed|Invalid typed array length|allocation failed/i.test(error.message);
}

/**
 * A failed allocation as a `limit-exceeded` PopulaceError with the estimate and what is available;
 * anything else is returned as it is.
 */
export function allocationError(error: unknown, what: string, estimate?: MemoryEstimate): unknown {
  if (!isAllocationFailure(error)) return error;
  const available = availableMemory();
  const needed = estimate ? `it was estimated to need about ${formatBytes(estimate.bytes)} (${describeEstimate(estimate)}); ` : '';
  return new PopulaceError('limit-exceeded', `${what} ran out of memory (${error.message}): ${needed}${formatBytes(available.bytes)} is available now (${available.source}). Use fewer agents or steps, or a machine with more memory.`, {
    cause: error,
    details: { availableBytes: available.bytes, ...(estimate ? { neededBytes: estimate.bytes } : {}) },
  });
}
