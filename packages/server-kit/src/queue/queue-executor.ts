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
import { RunWaiters } from '../run-waiters.js';
import { PopulaceError, type Runtime } from '@populace/core';
import { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkJob } from '../check-job.js';
import type { CancelResult, Executor, ExecutorStats, RunEvent, RunListener } from '../executor.js';
import type { CheckedJob, CheckedSimulation, JobRequest } from '../job-request.js';
import { checkLimit, resolveLimits, type RunLimits } from '../limits.js';
import type { DataDirs } from '../population-files.js';
import { isTerminal, type RunError, type RunOutcome, type RunRecord } from '../run-record.js';
import type { RunStore } from '../run-store.js';
import { interruptedMessage } from '../store-rows.js';
import { cancelKey, decodeFailure, DEFAULT_QUEUE_NAME, fromWire, pluginsOf, type QueueJobData, type QueueProgress, type QueueResult, type RedisTarget } from './queue-protocol.js';
import { openRedis } from './redis-connection.js';
import { sweepEnd } from './sweep-outcome.js';

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

type Single = Exclude<CheckedJob, { kind: 'scenarios' }>;

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
}

interface Sweep {
  readonly job: Extract<CheckedJob, { kind: 'scenarios' }>;
  readonly children: { readonly id: string; readonly scenario: string }[];
  cancelled: boolean;
}

const populationFileOption = (sim: CheckedSimulation) => (sim.populationFile ? { populationFile: { manifest: sim.population!, digest: sim.populationFile.digest } } : {});
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
  readonly #sweeps = new Map<string, Sweep>();
  readonly #listeners = new Set<{ fn: RunListener; runId: string | undefined }>();
  readonly #waiters: RunWaiters;
  readonly #reconcile: NodeJS.Timeout;
  #reconciling = false;
  #closed = false;

  constructor(o: QueueExecutorOptions) {
    this.#o = o;
    this.#store = o.store;
    this.#waiters = new RunWaiters(o.store);
    this.limits = resolveLimits(o.limits);
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

  submit(request: JobRequest): RunRecord {
    if (this.#closed) throw new PopulaceError('disposed', 'the executor is closed (the server is shutting down); submit the job to a running server.');
    const job = checkJob(this.#o.runtime, request, this.limits, this.#o.dataDirs ?? { dirs: [] });
    const count = job.kind === 'scenarios' ? job.scenarios.length * job.seeds.length : 1;
    const { running, queued } = this.stats();
    checkLimit(this.limits, 'maxQueued', queued + count - Math.max(0, this.concurrency - running), `jobs waiting after this one${count > 1 ? ` (its ${count} runs included)` : ''}`, 'Wait for queued jobs to finish or cancel some.');
    if (job.kind !== 'scenarios') return this.#store.get(this.#insert(job, null, job.sim.label).id)!;
    const { sim, steps, seeds, scenarios } = job;
    const parent = this.#store.insert({
      kind: 'scenarios', label: sim.label, model: sim.model, population: sim.population, agents: sim.agents, steps, seed: seeds[0]!, params: sim.params, metricNames: sim.metricNames,
      options: { seeds, scenarios: scenarios.map((s) => ({ name: s.name, params: s.overrides })), ...(Object.keys(sim.behaviors).length > 0 ? { behaviors: sim.behaviors } : {}), ...populationFileOption(sim) }, progress: { total: count, unit: 'runs' }, status: 'running',
    });
    const sweep: Sweep = { job, children: [], cancelled: false };
    this.#sweeps.set(parent.id, sweep);
    for (const s of scenarios) {
      for (const seed of seeds) {
        const child = this.#insert({ kind: 'run', steps, sim: { ...sim, seed, params: s.params, overrides: { ...sim.overrides, ...s.overrides }, label: s.name } }, parent.id, s.name);
        sweep.children.push({ id: child.id, scenario: s.name });
      }
    }
    this.#emit(parent.id, { type: 'started' });
    return this.#store.get(parent.id)!;
  }

  async cancel(id: string): Promise<CancelResult> {
    const record = this.#store.require(id);
    if (isTerminal(record.status)) return { record, outcome: 'already-finished' };
    const sweep = this.#sweeps.get(id);
    if (sweep) {
      sweep.cancelled = true;
      await Promise.all(sweep.children.map((c) => this.cancel(c.id)));
      await this.wait(id);
      return { record: this.#store.require(id), outcome: 'cancelled' };
    }
    const p = this.#pending.get(id);
    if (!p) {
      // another process accepted it: it checks the flag at every step
      this.#store.requestCancel(id);
      return { record: this.#store.require(id), outcome: 'requested' };
    }
    // a waiting job is taken off the queue; one a worker runs stops at its next step
    const removed = !p.started && (await this.#queue.remove(id).catch(() => 0)) === 1;
    if (removed) this.#end(id, 'cancelled', { code: 'cancelled', message: 'cancelled before it started.' }, null);
    else {
      await this.#redis[0]!.set(cancelKey(this.#o.prefix ?? 'bull', this.#queue.name, id), '1', 'EX', CANCEL_TTL_S);
      await this.wait(id);
    }
    return { record: this.#store.require(id), outcome: 'cancelled' };
  }

  wait(id: string, options: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {}): Promise<RunRecord> {
    return this.#waiters.wait(id, options);
  }

  subscribe(listener: RunListener, filter: { readonly runId?: string } = {}): () => void {
    const entry = { fn: listener, runId: filter.runId };
    this.#listeners.add(entry);
    return () => void this.#listeners.delete(entry);
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

  #insert(job: Single, parentId: string | null, label: string | null): RunRecord {
    const { sim } = job;
    const record = this.#store.insert({
      kind: job.kind, label, parentId, model: sim.model, population: sim.population, agents: sim.agents, steps: job.steps, seed: sim.seed, params: sim.params, metricNames: sim.metricNames,
      options: { ...(job.kind === 'calibrate' ? { observed: job.observed, fit: job.fit, loss: job.loss, epochs: job.epochs, learningRate: job.learningRate ?? null } : job.kind === 'sensitivity' ? { output: `${job.output.metric}:${job.output.agg}`, wrt: job.wrt } : Object.keys(sim.behaviors).length > 0 ? { behaviors: sim.behaviors } : {}), ...populationFileOption(sim) },
      progress: job.kind === 'calibrate' ? { total: job.epochs, unit: 'epochs' } : { total: job.steps, unit: 'steps' },
    });
    const p: Pending = { kind: record.kind, parentId, series: emptySeries(sim.metricNames), names: sim.metricNames, started: false, added: false, missing: 0 };
    this.#pending.set(record.id, p);
    this.#emit(record.id, { type: 'queued' });
    const data: QueueJobData = { runId: record.id, job, maxWallMs: Number.isFinite(this.limits.maxWallMs) ? this.limits.maxWallMs : null, plugins: pluginsOf(this.#o.runtime.plugins, sim) };
    // the job id is the run id: the job is on the queue once, however often it is added
    this.#queue.add(job.kind, data, { jobId: record.id, attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } }).then(
      () => (p.added = true),
      (error: unknown) => this.#pending.has(record.id) && this.#end(record.id, 'failed', { code: 'internal', message: `the job could not be put on the queue: ${(error as Error).message}` }, null),
    );
    return record;
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
    if (data.t === 'backend') this.#store.setBackend(id, `${data.backend} on ${data.worker}`, data.agents ?? undefined);
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
    if (r.backend !== null) this.#store.setBackend(id, `${r.backend} on ${r.worker}`, r.agents ?? undefined);
    const series = Object.fromEntries(Object.entries(r.series).map(([k, v]) => [k, fromWire(v)]));
    this.#store.replaceSeries(id, series);
    p.series = series;
    const record = this.#store.require(id);
    const where = `after ${record.stepsRecorded} of ${record.progress.total} ${record.progress.unit}`;
    if (r.stop === 'cancel') this.#end(id, 'cancelled', { code: 'cancelled', message: `cancelled ${where}; what was recorded until then is kept.` }, r.outcome);
    else if (r.stop === 'wall-time') this.#end(id, 'failed', { code: 'limit-exceeded', message: `stopped ${where}: the job ran past this server's wall-time limit of ${this.limits.maxWallMs} ms (maxWallMs); what was recorded until then is kept. Use fewer agents or steps, or ask the operator to raise --max-wall-ms.` }, r.outcome);
    else this.#end(id, 'done', null, r.outcome);
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
    const parentId = this.#pending.get(id)?.parentId ?? null;
    let record: RunRecord | undefined;
    try {
      record = this.#store.finish(id, { status, error, result });
    } catch {
      // not a job of this store's: waiters read the store
    }
    if (record) this.#emit(id, { type: 'finished', record });
    this.#pending.delete(id);
    this.#waiters.wake(id);
    if (parentId) this.#childEnded(parentId);
  }

  #childEnded(parentId: string): void {
    const sweep = this.#sweeps.get(parentId);
    if (!sweep) return;
    const children = sweep.children.map((c) => ({ ...c, record: this.#store.require(c.id) }));
    const ended = children.filter((c) => isTerminal(c.record.status)).length;
    this.#store.setProgress(parentId, ended);
    if (ended < children.length) return this.#emit(parentId, { type: 'progress' });
    this.#sweeps.delete(parentId);
    const end = sweepEnd(this.#store, sweep.job, children, sweep.cancelled);
    this.#end(parentId, end.status, end.error, end.result);
  }

  #emit(id: string, e: Partial<RunEvent> & Pick<RunEvent, 'type'>): void {
    if (this.#listeners.size === 0) return;
    const p = this.#pending.get(id);
    const record = e.type === 'progress' && e.progress && p ? { kind: p.kind, parentId: p.parentId, status: 'running' as const, progress: e.progress } : (e.record ?? this.#store.get(id));
    if (!record) return;
    const event: RunEvent = { runId: id, kind: record.kind, parentId: record.parentId, status: record.status, progress: e.progress ?? record.progress, step: e.step ?? null, latest: e.latest ?? null, metrics: p?.series ?? {}, epoch: e.epoch ?? null, record: e.record ?? null, type: e.type };
    for (const l of this.#listeners) {
      if (l.runId !== undefined && l.runId !== id) continue;
      try {
        l.fn(event);
      } catch {
        // a listener's failure is its own
      }
    }
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
