/**
 * The queue executor: jobs go on a BullMQ queue in Redis and `populace-worker`
 * processes (any number, on any machine reaching Redis) run them. This
 * process checks and records every job as the in-process executor does and
 * stays the only writer of its run store: it records each job's start, steps,
 * epochs, end and the worker that ran it from the queue's events, and every
 * second reads the state of its unfinished jobs from Redis, so an event missed
 * while Redis restarted is not a job lost.
 */
import { availableParallelism } from 'node:os';
import { PopulaceError, type Runtime } from '@populace/core';
import { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkJob } from '../check-job.js';
import type { CancelResult, Executor, ExecutorStats, RunListener } from '../executor.js';
import type { JobRequest } from '../job-request.js';
import type { SingleJob } from '../job-records.js';
import { resolveLimits, type RunLimits } from '../limits.js';
import type { DataDirs } from '../population-files.js';
import type { RunError, RunOutcome, RunRecord } from '../run-record.js';
import { ClientSlots, submitClient, type SubmitOptions } from '../client-slots.js';
import { checkQueueRoom, RunBook, stoppedEnd, type EventInput } from '../run-book.js';
import type { RunStore } from '../run-store.js';
import { interruptedMessage } from '../store-rows.js';
import { cancelKey, decodeFailure, DEFAULT_QUEUE_NAME, fromWire, pluginsOf, type QueueJobData, type QueueProgress, type QueueResult, type RedisTarget } from './queue-protocol.js';
import { openRedis } from './redis-connection.js';

/** Options of `createQueueExecutor`. */
export interface QueueExecutorOptions {
  readonly runtime: Runtime;
  readonly store: RunStore;
  readonly redis: RedisTarget;
  readonly limits?: Partial<RunLimits>;
  /** Worker slots this server counts on for the queue-length limit (default os.availableParallelism()). */
  readonly concurrency?: number;
  readonly queueName?: string;
  /** BullMQ key prefix (default 'bull'). */
  readonly prefix?: string;
  readonly dataDirs?: DataDirs;
  /** How often unfinished jobs are read back from Redis, ms (default 1000). */
  readonly reconcileMs?: number;
}

interface Pending {
  readonly kind: RunRecord['kind'];
  readonly parentId: string | null;
  series: Record<string, number[]>;
  readonly names: readonly string[];
  started: boolean;
  /** On the queue (the add resolved). */
  added: boolean;
  /** Reconciliations that found no job on the queue. */
  missing: number;
  /** Who submitted it (see ClientSlots). */
  readonly client: string | undefined;
  /** Its queue data while it waits for a slot of its client (maxClientRunning), before it goes on the queue; then null. */
  held: QueueJobData | null;
}

const parse = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
const CANCEL_TTL_S = 24 * 3600;

class QueueExecutor implements Executor {
  readonly concurrency: number;
  readonly limits: RunLimits;
  readonly #o: QueueExecutorOptions;
  readonly #store: RunStore;
  readonly #queue: Queue<QueueJobData, QueueResult>;
  readonly #events: QueueEvents;
  readonly #redis: Redis[];
  readonly #pending = new Map<string, Pending>();
  readonly #book: RunBook;
  readonly #clients: ClientSlots;
  readonly #reconcile: NodeJS.Timeout;
  #reconciling = false;
  #closed = false;

  constructor(o: QueueExecutorOptions) {
    this.#o = o;
    this.#store = o.store;
    this.#book = new RunBook({ store: o.store, live: (id) => this.#pending.get(id), forget: (id) => void this.#forget(id) });
    this.limits = resolveLimits(o.limits);
    this.#clients = new ClientSlots(this.limits.maxClientRunning);
    const c = o.concurrency ?? availableParallelism();
    if (!Number.isSafeInteger(c) || c < 1) throw new PopulaceError('invalid-argument', `concurrency: expected a positive integer, received ${String(c)}.`);
    this.concurrency = c;
    const name = o.queueName ?? DEFAULT_QUEUE_NAME;
    this.#redis = [openRedis(o.redis), openRedis(o.redis)];
    this.#queue = new Queue(name, { connection: this.#redis[0]!, prefix: o.prefix ?? 'bull' });
    this.#queue.on('error', () => {});
    this.#events = new QueueEvents(name, { connection: this.#redis[1]!, prefix: o.prefix ?? 'bull' });
    this.#events.on('error', () => {});
    this.#events.on('active', ({ jobId }) => this.#started(jobId));
    this.#events.on('progress', ({ jobId, data }) => this.#progress(jobId, parse<QueueProgress>(data)));
    this.#events.on('completed', ({ jobId, returnvalue }) => this.#completed(jobId, parse<QueueResult>(returnvalue)));
    this.#events.on('failed', ({ jobId, failedReason }) => this.#pending.has(jobId) && this.#end(jobId, 'failed', decodeFailure(failedReason), null));
    this.#reconcile = setInterval(() => void this.#reconcileAll(), o.reconcileMs ?? 1000);
  }

  /** Resolves once the queue's connections are ready (a server waits for it before it listens). */
  async ready(): Promise<void> {
    await Promise.all([this.#queue.waitUntilReady(), this.#events.waitUntilReady()]);
  }

  submit(request: JobRequest, options?: SubmitOptions): RunRecord {
    const client = submitClient(options);
    if (this.#closed) throw new PopulaceError('disposed', 'the executor is closed (the server is shutting down); submit the job to a running server.');
    const job = checkJob(this.#o.runtime, request, this.limits, this.#o.dataDirs ?? { dirs: [] });
    const { running, queued } = this.stats();
    checkQueueRoom(this.limits, job, queued, this.concurrency - running);
    if (job.kind !== 'scenarios') return this.#store.get(this.#insert(job, null, job.sim.label, client).id)!;
    const parent = this.#book.submitSweep(job, (child, parentId, label) => this.#insert(child, parentId, label, client), (id) => {
      // taken off the queue once it is on it (the add may still be under way)
      if (this.#forget(id)) void this.#queue.remove(id).catch(() => {});
    });
    return this.#store.get(parent.id)!;
  }

  cancel(id: string): Promise<CancelResult> {
    return this.#book.cancel(id, (run) => this.#cancelRun(run));
  }

  async #cancelRun(id: string): Promise<CancelResult> {
    const p = this.#pending.get(id);
    if (!p) {
      // another process accepted it: it checks the flag at every step
      this.#store.requestCancel(id);
      return { record: this.#store.require(id), outcome: 'requested' };
    }
    // a waiting job is taken off the queue (or was never on it); one a worker runs stops at its next step
    const removed = p.held !== null || (!p.started && (await this.#queue.remove(id).catch(() => 0)) === 1);
    if (removed) this.#end(id, 'cancelled', { code: 'cancelled', message: 'cancelled before it started.' }, null);
    else {
      await this.#redis[0]!.set(cancelKey(this.#o.prefix ?? 'bull', this.#queue.name, id), '1', 'EX', CANCEL_TTL_S);
      await this.wait(id);
    }
    return { record: this.#store.require(id), outcome: 'cancelled' };
  }

  wait(id: string, options: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {}): Promise<RunRecord> {
    return this.#book.wait(id, options);
  }

  subscribe(listener: RunListener, filter: { readonly runId?: string } = {}): () => void {
    return this.#book.subscribe(listener, filter);
  }

  stats(): ExecutorStats {
    let running = 0;
    for (const p of this.#pending.values()) if (p.started) running++;
    // memory is the workers' own: each worker holds the jobs it takes (its --concurrency); no budget here
    return { running, queued: this.#pending.size - running, concurrency: this.concurrency, memoryBudget: Infinity, memoryInUse: 0, memoryWait: 0 };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#reconcile);
    // nobody records what the workers would still compute: waiting jobs leave the queue, running ones are asked to stop
    const ids = [...this.#pending.keys()];
    // with Redis down these would wait for it: the server stops after a few seconds regardless
    await within(5000, Promise.all(ids.map(async (id) => {
      const p = this.#pending.get(id)!;
      if (p.held !== null) return;
      if (!p.started && (await this.#queue.remove(id).catch(() => 0)) === 1) return;
      await this.#redis[0]!.set(cancelKey(this.#o.prefix ?? 'bull', this.#queue.name, id), '1', 'EX', CANCEL_TTL_S).catch(() => {});
    })));
    for (const id of ids) {
      const p = this.#pending.get(id);
      if (p) this.#end(id, 'failed', { code: 'interrupted', message: interruptedMessage(p.started ? 'running' : 'queued', this.#store.require(id).progress) }, null);
    }
    await within(2000, Promise.all([this.#events.close(), this.#queue.close()]));
    for (const r of this.#redis) r.disconnect();
  }

  #insert(job: SingleJob, parentId: string | null, label: string | null, client: string | undefined): RunRecord {
    const { sim } = job;
    const record = this.#book.insertSingle(job, parentId, label);
    const data: QueueJobData = { runId: record.id, job, maxWallMs: Number.isFinite(this.limits.maxWallMs) ? this.limits.maxWallMs : null, plugins: pluginsOf(this.#o.runtime.plugins, sim) };
    const p: Pending = { kind: record.kind, parentId, series: emptySeries(sim.metricNames), names: sim.metricNames, started: false, added: false, missing: 0, client, held: data };
    this.#pending.set(record.id, p);
    this.#emit(record.id, { type: 'queued' });
    this.#release();
    return record;
  }

  /**
   * Puts the held jobs whose client is under its cap on the queue, in the order they were
   * submitted: a client's jobs are on the queue (waiting there or running) at most
   * maxClientRunning at once, the rest are held here.
   */
  #release(): void {
    if (this.#closed) return;
    for (const [id, p] of this.#pending) {
      if (p.held === null || !this.#clients.free(p.client)) continue;
      const data = p.held;
      p.held = null;
      this.#clients.take(p.client);
      // the job id is the run id: the job is on the queue once, however often it is added
      this.#queue.add(data.job.kind, data, { jobId: id, attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } }).then(
        () => (p.added = true),
        (error: unknown) => this.#pending.has(id) && this.#end(id, 'failed', { code: 'internal', message: `the job could not be put on the queue: ${(error as Error).message}` }, null),
      );
    }
  }

  /** Drops an ended job (its client's slot freed for a held one); false when it was not pending. */
  #forget(id: string): boolean {
    const p = this.#pending.get(id);
    if (!p) return false;
    this.#pending.delete(id);
    if (p.held === null) {
      this.#clients.release(p.client);
      this.#release();
    }
    return true;
  }

  #started(id: string): void {
    const p = this.#pending.get(id);
    if (!p) return;
    if (p.started) {
      // another worker took it over from one that stopped: it runs again from step 1
      p.series = emptySeries(p.names);
      return;
    }
    p.started = true;
    this.#store.markStarted(id);
    this.#emit(id, { type: 'started' });
  }

  #progress(id: string, data: QueueProgress): void {
    const p = this.#pending.get(id);
    if (!p) return;
    if (!p.started) this.#started(id);
    let cancel = false;
    if (data.t === 'backend') this.#store.setBackend(id, data.backend, data.agents ?? undefined, data.worker);
    else if (data.t === 'step') {
      if (data.step === 1) p.series = emptySeries(p.names);
      const values = fromWire(data.values);
      p.names.forEach((n, k) => p.series[n]!.push(values[k]!));
      cancel = this.#store.recordStep(id, data.step, values);
      this.#emit(id, { type: 'progress', progress: { done: data.step, total: this.#store.require(id).progress.total, unit: 'steps' }, step: data.step, latest: Object.fromEntries(p.names.map((n, k) => [n, values[k]!])) });
    } else {
      cancel = this.#store.setProgress(id, data.epoch);
      this.#emit(id, { type: 'progress', progress: { done: data.epoch, total: this.#store.require(id).progress.total, unit: 'epochs' }, epoch: { epoch: data.epoch, loss: data.loss, params: data.params } });
    }
    if (cancel) void this.cancel(id).catch(() => {});
  }

  #completed(id: string, r: QueueResult): void {
    const p = this.#pending.get(id);
    if (!p) return;
    if (!p.started) this.#started(id);
    // the worker's whole series is the record: steps whose events were missed are in it too
    if (r.backend !== null) this.#store.setBackend(id, r.backend, r.agents ?? undefined, r.worker);
    const series = Object.fromEntries(Object.entries(r.series).map(([k, v]) => [k, fromWire(v)]));
    this.#store.replaceSeries(id, series);
    p.series = series;
    const record = this.#store.require(id);
    if (r.stop === 'cancel' || r.stop === 'wall-time') {
      const end = stoppedEnd(r.stop, record.progress, record.stepsRecorded, this.limits);
      this.#end(id, end.status, end.error, r.outcome);
    } else this.#end(id, 'done', null, r.outcome);
    void this.#queue.remove(id).catch(() => {});
  }

  /** Reads back jobs whose end this executor has not seen (an event lost while Redis restarted). */
  async #reconcileAll(): Promise<void> {
    if (this.#reconciling || this.#closed) return;
    this.#reconciling = true;
    try {
      for (const [id, p] of [...this.#pending]) {
        if (!p.added) continue;
        const job = await Job.fromId<QueueJobData, QueueResult>(this.#queue, id).catch(() => null);
        if (!this.#pending.has(id)) continue;
        if (job === null) continue;
        if (job === undefined) {
          // three looks a second apart: the queue lost it (Redis restarted without persistence)
          if (++p.missing >= 3) this.#end(id, 'failed', { code: 'interrupted', message: 'the job is no longer on the queue: Redis lost it (run Redis with persistence, appendonly yes). Submit it again.' }, null);
          continue;
        }
        p.missing = 0;
        if (!job.finishedOn) continue;
        if (job.failedReason) this.#end(id, 'failed', decodeFailure(job.failedReason), null);
        else if (job.returnvalue) this.#completed(id, parse<QueueResult>(job.returnvalue));
      }
    } finally {
      this.#reconciling = false;
    }
  }

  #end(id: string, status: 'done' | 'failed' | 'cancelled', error: RunError | null, result: RunOutcome | null): void {
    this.#book.end(id, this.#pending.get(id)?.parentId ?? null, status, error, result);
  }

  #emit(id: string, e: EventInput): void {
    this.#book.emit(id, e);
  }
}

/** Resolves when `promise` settles or after `ms`, whichever is first. */
async function within(ms: number, promise: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => {}), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

const emptySeries = (names: readonly string[]): Record<string, number[]> => Object.fromEntries(names.map((n) => [n, [] as number[]]));

/** An executor that puts jobs on a BullMQ queue for `populace-worker` processes; `ready()` resolves once Redis answers. */
export type QueueBackedExecutor = Executor & { ready(): Promise<void> };

/**
 * An executor running jobs on `populace-worker` processes through Redis.
 *
 * @example
 * ```ts
 * const executor = createQueueExecutor({ runtime, store, redis: parseRedisUrl('redis://127.0.0.1:6379') });
 * await executor.ready();
 * const run = executor.submit({ kind: 'run', model: 'network-sir', population: 'random-graph', agents: 5000, steps: 60 });
 * ```
 */
export function createQueueExecutor(options: QueueExecutorOptions): QueueBackedExecutor {
  return new QueueExecutor(options);
}
