/**
 * A queue worker: takes jobs from the BullMQ queue and runs them on a
 * runtime built with the plugins it was started with. It never opens the run
 * store: it reports the backend, each step and each epoch as BullMQ progress
 * and returns the whole series, and the server that accepted the job records
 * them. A job whose model, archetype or input this worker cannot use fails
 * once (UnrecoverableError); a worker that dies mid-job leaves the job locked
 * until BullMQ's stalled-job check gives it to another worker, which reruns it
 * from the start (same seed, same metrics).
 */
import { PopulaceError, type Runtime, type Simulation } from '@populace/core';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { toRunError } from '../in-process-executor.js';
import { createJobSimulation, runJob, type JobContext } from '../job-runners.js';
import { cancelKey, DEFAULT_QUEUE_NAME, encodeFailure, pluginMismatch, toWire, workerName, type QueueJobData, type QueueProgress, type QueueResult, type RedisTarget } from './queue-protocol.js';
import { openRedis } from './redis-connection.js';

/** Options of `startQueueWorker`. */
export interface QueueWorkerOptions {
  readonly runtime: Runtime;
  readonly redis: RedisTarget;
  /** Jobs this worker runs at once (default 1). */
  readonly concurrency?: number;
  readonly queueName?: string;
  /** BullMQ key prefix (default 'bull'). */
  readonly prefix?: string;
  /** How long a job's lock lasts without renewal, ms (BullMQ lockDuration, default 30000). */
  readonly lockDurationMs?: number;
  /** How often stalled jobs are looked for, ms (BullMQ stalledInterval, default 30000). */
  readonly stalledIntervalMs?: number;
  /** How often a running job checks for a cancel, ms (default 250). */
  readonly cancelPollMs?: number;
  /** The chat model LLM archetypes ask (default: their offline priors). */
  readonly behaviorModel?: unknown;
}

/** A started worker. */
export interface QueueWorker {
  /** host:pid, recorded with each run it completes. */
  readonly name: string;
  /** Jobs it completed (for logs). */
  completed(): number;
  /** Stops taking jobs; waits for running ones to finish (`force`: releases them to another worker). */
  close(force?: boolean): Promise<void>;
}

/**
 * Starts a worker on the queue.
 *
 * @example
 * ```ts
 * const worker = startQueueWorker({ runtime, redis: parseRedisUrl('redis://127.0.0.1:6379'), concurrency: 2 });
 * process.once('SIGTERM', () => void worker.close());
 * ```
 */
export function startQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const name = workerName();
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const prefix = options.prefix ?? 'bull';
  const concurrency = options.concurrency ?? 1;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new PopulaceError('invalid-argument', `concurrency: expected a positive integer, received ${String(concurrency)}.`);
  const connection = openRedis(options.redis);
  const control = openRedis(options.redis);
  const models = new Set(options.runtime.models.ids());
  let completed = 0;
  const processor = (job: Job<QueueJobData, QueueResult>) => runQueueJob(job, { runtime: options.runtime, models, name, control, key: cancelKey(prefix, queueName, job.data.runId), pollMs: options.cancelPollMs ?? 250, behaviorModel: options.behaviorModel });
  const worker = new Worker<QueueJobData, QueueResult>(queueName, processor, {
    connection,
    prefix,
    concurrency,
    name,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: 3,
  });
  worker.on('error', () => {});
  worker.on('completed', () => completed++);
  return {
    name,
    completed: () => completed,
    close: async (force = false) => {
      await worker.close(force);
      connection.disconnect();
      control.disconnect();
    },
  };
}

interface RunContext {
  readonly runtime: Runtime;
  readonly models: ReadonlySet<string>;
  readonly name: string;
  readonly control: Redis;
  readonly key: string;
  readonly pollMs: number;
  readonly behaviorModel: unknown;
}

/** Runs one queue job; the result, or an UnrecoverableError carrying the run error. */
async function runQueueJob(job: Job<QueueJobData, QueueResult>, ctx: RunContext): Promise<QueueResult> {
  const { job: checked, runId, maxWallMs } = job.data;
  const mismatch = pluginMismatch(ctx.runtime.plugins, job.data.plugins ?? [], ctx.name);
  if (mismatch) throw new UnrecoverableError(encodeFailure({ code: 'missing-requirement', message: mismatch }));
  if (!ctx.models.has(checked.sim.model)) {
    throw new UnrecoverableError(encodeFailure({ code: 'unknown-id', message: `worker ${ctx.name} has no model '${checked.sim.model}' (its models: ${[...ctx.models].join(', ') || 'none'}). Start workers with the --plugin that provides it.` }));
  }
  const controller = new AbortController();
  let stop: 'cancel' | 'wall-time' | null = null;
  const abort = (why: 'cancel' | 'wall-time') => {
    stop ??= why;
    controller.abort();
  };
  // progress is sent in order; the job waits for the last one before it returns
  let sending: Promise<unknown> = Promise.resolve();
  const send = (p: QueueProgress) => {
    sending = sending.then(() => job.updateProgress(p as unknown as object)).catch(() => {});
  };
  const wall = maxWallMs === null ? undefined : setTimeout(() => abort('wall-time'), maxWallMs);
  const poll = setInterval(() => {
    ctx.control.exists(ctx.key).then((n) => n > 0 && abort('cancel'), () => {});
  }, ctx.pollMs);
  let built: { backend: string | null; agents: number | null } = { backend: null, agents: null };
  const series: Record<string, number[]> = Object.fromEntries(checked.sim.metricNames.map((n) => [n, [] as number[]]));
  // what runJob writes to the store goes to the accepting server as progress instead
  const store = {
    setBackend: (_id: string, backend: string, agents?: number) => {
      built = { backend, agents: agents ?? null };
      send({ t: 'backend', worker: ctx.name, backend, agents: agents ?? null });
    },
    recordStep: (_id: string, step: number, values: readonly number[]) => {
      send({ t: 'step', step, values: toWire(values) });
      return false;
    },
    setProgress: () => false,
    replaceSeries: (_id: string, fitted: Readonly<Record<string, readonly number[]>>) => {
      for (const n of checked.sim.metricNames) series[n] = [...(fitted[n] ?? [])];
    },
  };
  const context: JobContext = {
    id: runId,
    store,
    signal: controller.signal,
    series,
    onCancelRequested: () => abort('cancel'),
    emit: (e) => e.epoch && send({ t: 'epoch', epoch: e.epoch.epoch, loss: e.epoch.loss, params: e.epoch.params }),
  };
  let sim: Simulation | undefined;
  try {
    sim = createJobSimulation(ctx.runtime, checked.sim, checked.sim.overrides, ctx.behaviorModel === undefined ? {} : { model: ctx.behaviorModel });
    const outcome = await runJob(sim, checked, context);
    await sending;
    const aborted = (outcome as { stopped?: string } | null)?.stopped === 'aborted';
    return { worker: ctx.name, ...built, series: wire(series), outcome, stop: aborted ? stop : null };
  } catch (error) {
    await sending;
    // stopped from outside: what was computed until then goes back with the reason
    if (stop !== null) return { worker: ctx.name, ...built, series: wire(series), outcome: null, stop };
    throw new UnrecoverableError(encodeFailure(toRunError(error)));
  } finally {
    clearTimeout(wall);
    clearInterval(poll);
    sim?.dispose();
  }
}

const wire = (series: Record<string, number[]>): Record<string, (number | null)[]> => Object.fromEntries(Object.entries(series).map(([k, v]) => [k, toWire(v)]));
