/**
 * The in-process executor: jobs run as async tasks of this process (a
 * simulation yields between steps, so several interleave), at most
 * `concurrency` at once, the rest waiting in FIFO order. Every job is in the
 * run store from the moment it is submitted.
 */
import { availableParallelism } from 'node:os';
import { PopulaceError, type Runtime, type Simulation } from '@populace/core';
import { checkJob } from './check-job.js';
import type { CancelResult, Executor, ExecutorStats, RunListener } from './executor.js';
import type { JobRequest } from './job-request.js';
import type { SingleJob } from './job-records.js';
import { builtPopulation, createJobSimulation, runJob } from './job-runners.js';
import { resolveLimits, type RunLimits } from './limits.js';
import type { RunOutcome, RunRecord } from './run-record.js';
import { ClientSlots, submitClient, type SubmitOptions } from './client-slots.js';
import { checkQueueRoom, RunBook, stoppedEnd, type EventInput, type StopReason } from './run-book.js';
import type { RunStore } from './run-store.js';
import { interruptedMessage } from './store-rows.js';
import type { DataDirs } from './population-files.js';
import { isWriteFailure, toRunError } from './run-error.js';

export { toRunError } from './run-error.js';
import { defaultMemoryBudget, jobEstimate, memoryBudgetError, resolveMemoryBudget } from './job-memory.js';
import type { PopulationBuilder } from './population-worker.js';

/** Options of `createInProcessExecutor`. */
export interface InProcessExecutorOptions {
  readonly runtime: Runtime;
  readonly store: RunStore;
  /** Operator limits (default DEFAULT_LIMITS). */
  readonly limits?: Partial<RunLimits>;
  /** Jobs running at once (default `os.availableParallelism()`). */
  readonly concurrency?: number;
  /**
   * The chat model (a LangChain BaseChatModel) LLM archetypes ask when a job fills a behaviour slot;
   * default none, so archetypes use their offline, deterministic priors.
   */
  readonly behaviorModel?: unknown;
  /** Directories population manifests may be read from (`--data-dir`, resolved with resolveDataDirs); default none: manifests are refused. */
  readonly dataDirs?: DataDirs;
  /** Builds jobs' populations (`createPopulationBuilder`: large ones in a worker thread, dropped on cancel); default: in this thread. Manifests always build here. */
  readonly populationBuilder?: PopulationBuilder | undefined;
  /**
   * Bytes the running jobs may hold together, by their estimates (core's estimateSimulationMemory):
   * a job waits in the queue while it would go over, and a job larger than the whole budget is
   * refused when submitted. Default: the memory available when the executor starts (free memory,
   * the cgroup limit or POPULACE_MAX_MEMORY, whichever is lowest); Infinity for none.
   */
  readonly memoryBudget?: number | undefined;
  /**
   * Called with each job's simulation once it is created, before it runs (the CLI reads its backend,
   * agents and behaviours from it); the function it returns, if any, is called when the job has
   * ended, before the simulation is disposed, with what the job threw (undefined if nothing: the
   * CLI reports the error itself, with its stack). Exceptions it throws fail the job.
   */
  readonly onSimulation?: ((runId: string, sim: Simulation) => ((failure: unknown) => void) | void) | undefined;
}

const STOP = Symbol('populace.stop');
const stopReason = (signal: AbortSignal): StopReason | undefined => (signal.aborted ? ((signal.reason as { [STOP]?: StopReason })?.[STOP] ?? 'cancel') : undefined);

interface Queued {
  readonly id: string;
  readonly job: SingleJob;
  readonly parentId: string | null;
  /** Its memory estimate, reserved from the budget while it runs. */
  readonly bytes: number;
  /** Who submitted it (counted against maxClientRunning while it runs). */
  readonly client: string | undefined;
}

interface Active {
  readonly bytes: number;
  readonly controller: AbortController;
  readonly series: Record<string, number[]>;
  readonly done: Promise<void>;
}

class InProcessExecutor implements Executor {
  readonly concurrency: number;
  readonly limits: RunLimits;
  readonly #runtime: Runtime;
  readonly #store: RunStore;
  readonly #queue: Queued[] = [];
  readonly #active = new Map<string, Active>();
  /** Kind and sweep of the jobs this executor runs (progress events need no store read). */
  readonly #meta = new Map<string, { readonly kind: RunRecord['kind']; readonly parentId: string | null }>();
  readonly #book: RunBook;
  readonly #clients: ClientSlots;
  #closed = false;
  readonly #behaviorModel: unknown;
  readonly #dataDirs: DataDirs;
  readonly #populationBuilder: PopulationBuilder | undefined;
  readonly #memoryBudget: number;
  readonly #onSimulation: InProcessExecutorOptions['onSimulation'];
  #memoryInUse = 0;

  constructor(options: InProcessExecutorOptions) {
    this.#populationBuilder = options.populationBuilder;
    this.#onSimulation = options.onSimulation;
    this.#memoryBudget = options.memoryBudget === undefined ? defaultMemoryBudget() : resolveMemoryBudget(options.memoryBudget);
    this.#runtime = options.runtime;
    this.#behaviorModel = options.behaviorModel;
    this.#dataDirs = options.dataDirs ?? { dirs: [] };
    this.#store = options.store;
    this.#book = new RunBook({
      store: options.store,
      live: (id) => {
        const meta = this.#meta.get(id);
        return meta && { ...meta, series: this.#active.get(id)?.series ?? {} };
      },
      forget: (id) => this.#meta.delete(id),
    });
    this.limits = resolveLimits(options.limits);
    this.#clients = new ClientSlots(this.limits.maxClientRunning);
    const c = options.concurrency ?? availableParallelism();
    if (!Number.isSafeInteger(c) || c < 1) throw new PopulaceError('invalid-argument', `concurrency: expected a positive integer, received ${String(c)}.`);
    this.concurrency = c;
  }

  submit(request: JobRequest, options?: SubmitOptions): RunRecord {
    const client = submitClient(options);
    if (this.#closed) throw new PopulaceError('disposed', 'the executor is closed (the server is shutting down); submit the job to a running server.');
    const job = checkJob(this.#runtime, request, this.limits, this.#dataDirs);
    // a job that could never fit the budget is refused now, not queued forever
    const estimate = jobEstimate(this.#runtime, job);
    const bytes = estimate.bytes;
    if (bytes > this.#memoryBudget) throw memoryBudgetError(job, estimate, this.#memoryBudget);
    checkQueueRoom(this.limits, job, this.#queue.length, this.concurrency - this.#active.size);
    if (job.kind !== 'scenarios') {
      const record = this.#insert(job, null, job.sim.label, bytes, client);
      this.#pump();
      return this.#store.get(record.id)!;
    }
    const parent = this.#book.submitSweep(job, (child, parentId, label) => this.#insert(child, parentId, label, bytes, client), (id) => {
      const at = this.#queue.findIndex((q) => q.id === id);
      if (at >= 0) this.#queue.splice(at, 1);
    });
    this.#pump();
    return this.#store.get(parent.id)!;
  }

  cancel(id: string): Promise<CancelResult> {
    return this.#book.cancel(id, (run) => this.#cancelRun(run));
  }

  async #cancelRun(id: string): Promise<CancelResult> {
    const queued = this.#queue.findIndex((q) => q.id === id);
    if (queued >= 0) {
      const [q] = this.#queue.splice(queued, 1);
      this.#end(q!.id, q!.parentId, 'cancelled', { code: 'cancelled', message: 'cancelled before it started.' }, null);
      return { record: this.#store.require(id), outcome: 'cancelled' };
    }
    const active = this.#active.get(id);
    if (active) {
      active.controller.abort({ [STOP]: 'cancel' });
      await active.done;
      return { record: this.#store.require(id), outcome: 'cancelled' };
    }
    // another process runs it: it checks the flag at every step
    this.#store.requestCancel(id);
    return { record: this.#store.require(id), outcome: 'requested' };
  }

  wait(id: string, options: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {}): Promise<RunRecord> {
    return this.#book.wait(id, options);
  }

  subscribe(listener: RunListener, filter: { readonly runId?: string } = {}): () => void {
    return this.#book.subscribe(listener, filter);
  }

  stats(): ExecutorStats {
    const free = this.concurrency - this.#active.size;
    // the first job a free slot would take (the first whose client is under its cap)
    const head = this.#queue.find((q) => this.#clients.free(q.client));
    // jobs that a free slot would run now but the memory budget holds back
    const memoryWait = head && free > 0 && this.#memoryInUse + head.bytes > this.#memoryBudget ? Math.min(free, this.#queue.length) : 0;
    return { running: this.#active.size, queued: this.#queue.length, concurrency: this.concurrency, memoryBudget: this.#memoryBudget, memoryInUse: this.#memoryInUse, memoryWait };
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const q of this.#queue.splice(0)) this.#end(q.id, q.parentId, 'failed', { code: 'interrupted', message: interruptedMessage('queued', { done: 0, total: 0, unit: 'steps' }) }, null);
    const running = [...this.#active.values()];
    for (const a of running) a.controller.abort({ [STOP]: 'shutdown' });
    await Promise.all(running.map((a) => a.done));
  }

  #insert(job: SingleJob, parentId: string | null, label: string | null, bytes: number, client: string | undefined): RunRecord {
    const record = this.#book.insertSingle(job, parentId, label);
    this.#meta.set(record.id, { kind: record.kind, parentId });
    this.#queue.push({ id: record.id, job, parentId, bytes, client });
    this.#emit(record.id, { type: 'queued' });
    return record;
  }

  #pump(): void {
    // FIFO among the jobs whose client is under its cap: the first of them waits for memory
    // rather than being overtaken by smaller ones
    while (!this.#closed && this.#active.size < this.concurrency) {
      const at = this.#queue.findIndex((q) => this.#clients.free(q.client));
      if (at < 0 || this.#memoryInUse + this.#queue[at]!.bytes > this.#memoryBudget) return;
      this.#start(this.#queue.splice(at, 1)[0]!);
    }
  }

  #start(q: Queued): void {
    const controller = new AbortController();
    const series: Record<string, number[]> = Object.fromEntries(q.job.sim.metricNames.map((n) => [n, [] as number[]]));
    const wall = Number.isFinite(this.limits.maxWallMs) ? setTimeout(() => controller.abort({ [STOP]: 'wall-time' }), this.limits.maxWallMs) : undefined;
    let done!: () => void;
    this.#active.set(q.id, { bytes: q.bytes, controller, series, done: new Promise<void>((r) => (done = r)) });
    this.#memoryInUse += q.bytes;
    this.#clients.take(q.client);
    void (async () => {
      let sim: Simulation | undefined;
      let ended: ((failure: unknown) => void) | void = undefined;
      let outcome: RunOutcome | null = null;
      let failure: unknown;
      try {
        // recorded as running first, so the started event carries RUNNING (a store that cannot
        // record it fails the job below, without a started event)
        this.#store.markStarted(q.id);
        this.#emit(q.id, { type: 'started' });
        sim = createJobSimulation(this.#runtime, q.job.sim, q.job.sim.overrides, this.#behaviorModel === undefined ? {} : { model: this.#behaviorModel }, builtPopulation(this.#runtime, this.#populationBuilder, q.job.sim, controller.signal));
        ended = this.#onSimulation?.(q.id, sim);
        outcome = await runJob(sim, q.job, {
          id: q.id,
          store: this.#store,
          signal: controller.signal,
          series,
          onCancelRequested: () => controller.abort({ [STOP]: 'cancel' }),
          emit: (e) => this.#emit(q.id, { type: 'progress', ...e }),
        });
      } catch (error) {
        failure = error;
      } finally {
        clearTimeout(wall);
        try {
          ended?.(failure);
        } catch (error) {
          failure ??= error;
        }
        sim?.dispose();
      }
      try {
        // a job that completed is done even when a stop arrived during its last step
        const completed = failure === undefined && (outcome as { stopped?: string } | null)?.stopped !== 'aborted';
        // a store that failed to record the job ends it, whatever else stopped it
        const stop = completed || isWriteFailure(failure) ? undefined : stopReason(controller.signal);
        const record = this.#store.require(q.id);
        if (stop !== undefined) {
          const end = stoppedEnd(stop, record.progress, record.progress.done, this.limits);
          this.#end(q.id, q.parentId, end.status, end.error, outcome);
        } else if (failure !== undefined) this.#end(q.id, q.parentId, 'failed', toRunError(failure), outcome);
        else this.#end(q.id, q.parentId, 'done', null, outcome);
      } catch (error) {
        // the store cannot even be read: end the job from what this executor knows
        this.#end(q.id, q.parentId, 'failed', toRunError(failure ?? error), outcome);
      }
      this.#active.delete(q.id);
      this.#memoryInUse -= q.bytes;
      this.#clients.release(q.client);
      done();
      this.#pump();
    })();
  }

  #end(id: string, parentId: string | null, status: 'done' | 'failed' | 'cancelled', error: Parameters<RunBook['end']>[3], result: RunOutcome | null): void {
    this.#book.end(id, parentId, status, error, result);
  }

  #emit(id: string, e: EventInput): void {
    this.#book.emit(id, e);
  }
}

/**
 * An executor running jobs in this process.
 *
 * @example
 * ```ts
 * const executor = createInProcessExecutor({ runtime, store, limits: { maxAgents: 500_000 }, concurrency: 2 });
 * const run = executor.submit({ kind: 'run', model: 'network-sir', population: 'random-graph', agents: 5000, steps: 60, seed: 1 });
 * const done = await executor.wait(run.id);
 * ```
 */
export function createInProcessExecutor(options: InProcessExecutorOptions): Executor {
  return new InProcessExecutor(options);
}
