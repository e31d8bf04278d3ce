/**
 * The in-process executor: jobs run as async tasks of this process (a
 * simulation yields between steps, so several interleave), at most
 * `concurrency` at once, the rest waiting in FIFO order. Every job is in the
 * run store from the moment it is submitted.
 */
import { availableParallelism } from 'node:os';
import { RunWaiters } from './run-waiters.js';
import { PopulaceError, type Runtime, type Simulation } from '@populace/core';
import { checkJob } from './check-job.js';
import { comparisonTable } from './compare.js';
import type { CancelResult, Executor, ExecutorStats, RunEvent, RunListener } from './executor.js';
import type { CheckedJob, CheckedSimulation, JobRequest } from './job-request.js';
import { builtPopulation, createJobSimulation, runJob } from './job-runners.js';
import { checkLimit, resolveLimits, type RunLimits } from './limits.js';
import { isTerminal, type RunError, type RunOutcome, type RunRecord, type ScenariosOutcome } from './run-record.js';
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
}

/** What a run record keeps of a population manifest: the path as the request gave it and the digest of its files. */
/** A record's `options.schedules`, when the job has any. */
const scheduleOption = (sim: CheckedSimulation): { schedules?: CheckedSimulation['schedules'] } => (Object.keys(sim.schedules).length > 0 ? { schedules: sim.schedules } : {});

function populationFileOption(sim: CheckedSimulation): { populationFile?: { manifest: string; digest: string } } {
  return sim.populationFile ? { populationFile: { manifest: sim.population!, digest: sim.populationFile.digest } } : {};
}

/** Why a job was stopped from outside. */
type StopReason = 'cancel' | 'shutdown' | 'wall-time';
const STOP = Symbol('populace.stop');
const stopReason = (signal: AbortSignal): StopReason | undefined => (signal.aborted ? ((signal.reason as { [STOP]?: StopReason })?.[STOP] ?? 'cancel') : undefined);

interface Queued {
  readonly id: string;
  readonly job: Exclude<CheckedJob, { kind: 'scenarios' }>;
  readonly parentId: string | null;
  /** Its memory estimate, reserved from the budget while it runs. */
  readonly bytes: number;
}

interface Active {
  readonly bytes: number;
  readonly controller: AbortController;
  readonly series: Record<string, number[]>;
  readonly done: Promise<void>;
}

interface Sweep {
  readonly job: Extract<CheckedJob, { kind: 'scenarios' }>;
  readonly children: { readonly id: string; readonly scenario: string; readonly seed: number }[];
  cancelled: boolean;
}

class InProcessExecutor implements Executor {
  readonly concurrency: number;
  readonly limits: RunLimits;
  readonly #runtime: Runtime;
  readonly #store: RunStore;
  readonly #queue: Queued[] = [];
  readonly #active = new Map<string, Active>();
  readonly #sweeps = new Map<string, Sweep>();
  readonly #listeners = new Set<{ fn: RunListener; runId: string | undefined }>();
  readonly #waiters: RunWaiters;
  /** Kind and sweep of the jobs this executor runs (progress events need no store read). */
  readonly #meta = new Map<string, Pick<RunEvent, 'kind' | 'parentId'>>();
  #closed = false;
  readonly #behaviorModel: unknown;
  readonly #dataDirs: DataDirs;
  readonly #populationBuilder: PopulationBuilder | undefined;
  readonly #memoryBudget: number;
  #memoryInUse = 0;

  constructor(options: InProcessExecutorOptions) {
    this.#populationBuilder = options.populationBuilder;
    this.#memoryBudget = options.memoryBudget === undefined ? defaultMemoryBudget() : resolveMemoryBudget(options.memoryBudget);
    this.#runtime = options.runtime;
    this.#behaviorModel = options.behaviorModel;
    this.#dataDirs = options.dataDirs ?? { dirs: [] };
    this.#store = options.store;
    this.#waiters = new RunWaiters(options.store);
    this.limits = resolveLimits(options.limits);
    const c = options.concurrency ?? availableParallelism();
    if (!Number.isSafeInteger(c) || c < 1) throw new PopulaceError('invalid-argument', `concurrency: expected a positive integer, received ${String(c)}.`);
    this.concurrency = c;
  }

  submit(request: JobRequest): RunRecord {
    if (this.#closed) throw new PopulaceError('disposed', 'the executor is closed (the server is shutting down); submit the job to a running server.');
    const job = checkJob(this.#runtime, request, this.limits, this.#dataDirs);
    // a job that could never fit the budget is refused now, not queued forever
    const estimate = jobEstimate(this.#runtime, job);
    const bytes = estimate.bytes;
    if (bytes > this.#memoryBudget) throw memoryBudgetError(job, estimate, this.#memoryBudget);
    const count = job.kind === 'scenarios' ? job.scenarios.length * job.seeds.length : 1;
    const free = Math.max(0, this.concurrency - this.#active.size);
    checkLimit(this.limits, 'maxQueued', this.#queue.length + count - free, `jobs waiting after this one${count > 1 ? ` (its ${count} runs included)` : ''}`, 'Wait for queued jobs to finish or cancel some.');
    if (job.kind !== 'scenarios') {
      const record = this.#insert(job, null, job.sim.label, bytes);
      this.#pump();
      return this.#store.get(record.id)!;
    }
    const { sim, steps, seeds, scenarios } = job;
    const parent = this.#store.insert({
      kind: 'scenarios', label: sim.label, model: sim.model, population: sim.population, agents: sim.agents, steps, seed: seeds[0]!, params: sim.params, metricNames: sim.metricNames,
      options: { seeds, scenarios: scenarios.map((s) => ({ name: s.name, params: s.overrides })), ...(Object.keys(sim.behaviors).length > 0 ? { behaviors: sim.behaviors } : {}), ...scheduleOption(sim), ...populationFileOption(sim) }, progress: { total: count, unit: 'runs' }, status: 'running',
    });
    const sweep: Sweep = { job, children: [], cancelled: false };
    this.#sweeps.set(parent.id, sweep);
    try {
      for (const s of scenarios) {
        for (const seed of seeds) {
          const child = this.#insert({ kind: 'run', steps, sim: { ...sim, seed, params: s.params, overrides: { ...sim.overrides, ...s.overrides }, label: s.name } }, parent.id, s.name, bytes);
          sweep.children.push({ id: child.id, scenario: s.name, seed });
        }
      }
    } catch (error) {
      // the store refused a run of the sweep: none of it runs, and the sweep ends failed
      const reason = toRunError(error);
      for (const c of sweep.children) {
        const at = this.#queue.findIndex((q) => q.id === c.id);
        if (at >= 0) this.#queue.splice(at, 1);
        this.#end(c.id, null, 'failed', reason, null);
      }
      this.#sweeps.delete(parent.id);
      this.#end(parent.id, null, 'failed', { code: reason.code, message: `the sweep could not be recorded: ${reason.message}` }, null);
      throw error;
    }
    this.#emit(parent.id, { type: 'started' });
    this.#pump();
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
    return this.#waiters.wait(id, options);
  }

  subscribe(listener: RunListener, filter: { readonly runId?: string } = {}): () => void {
    const entry = { fn: listener, runId: filter.runId };
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  stats(): ExecutorStats {
    const free = this.concurrency - this.#active.size;
    const head = this.#queue[0];
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

  #insert(job: Exclude<CheckedJob, { kind: 'scenarios' }>, parentId: string | null, label: string | null, bytes: number): RunRecord {
    const { sim } = job;
    const record = this.#store.insert({
      kind: job.kind, label, parentId, model: sim.model, population: sim.population, agents: sim.agents, steps: job.steps, seed: sim.seed, params: sim.params, metricNames: sim.metricNames,
      options: { ...(job.kind === 'calibrate' ? { observed: job.observed, fit: job.fit, loss: job.loss, epochs: job.epochs, learningRate: job.learningRate ?? null } : job.kind === 'sensitivity' ? { output: `${job.output.metric}:${job.output.agg}`, wrt: job.wrt } : Object.keys(sim.behaviors).length > 0 ? { behaviors: sim.behaviors } : {}), ...scheduleOption(sim), ...populationFileOption(sim) },
      progress: job.kind === 'calibrate' ? { total: job.epochs, unit: 'epochs' } : { total: job.steps, unit: 'steps' },
    });
    this.#meta.set(record.id, { kind: record.kind, parentId });
    this.#queue.push({ id: record.id, job, parentId, bytes });
    this.#emit(record.id, { type: 'queued' });
    return record;
  }

  #pump(): void {
    // FIFO: the first job waits for memory rather than being overtaken by smaller ones
    while (!this.#closed && this.#active.size < this.concurrency && this.#queue.length > 0 && this.#memoryInUse + this.#queue[0]!.bytes <= this.#memoryBudget) this.#start(this.#queue.shift()!);
  }

  #start(q: Queued): void {
    const controller = new AbortController();
    const series: Record<string, number[]> = Object.fromEntries(q.job.sim.metricNames.map((n) => [n, [] as number[]]));
    const wall = Number.isFinite(this.limits.maxWallMs) ? setTimeout(() => controller.abort({ [STOP]: 'wall-time' }), this.limits.maxWallMs) : undefined;
    let done!: () => void;
    this.#active.set(q.id, { bytes: q.bytes, controller, series, done: new Promise<void>((r) => (done = r)) });
    this.#memoryInUse += q.bytes;
    void (async () => {
      let sim: Simulation | undefined;
      let outcome: RunOutcome | null = null;
      let failure: unknown;
      try {
        // recorded as running first, so the started event carries RUNNING (a store that cannot
        // record it fails the job below, without a started event)
        this.#store.markStarted(q.id);
        this.#emit(q.id, { type: 'started' });
        sim = createJobSimulation(this.#runtime, q.job.sim, q.job.sim.overrides, this.#behaviorModel === undefined ? {} : { model: this.#behaviorModel }, builtPopulation(this.#runtime, this.#populationBuilder, q.job.sim, controller.signal));
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
        sim?.dispose();
      }
      try {
        // a job that completed is done even when a stop arrived during its last step
        const completed = failure === undefined && (outcome as { stopped?: string } | null)?.stopped !== 'aborted';
        // a store that failed to record the job ends it, whatever else stopped it
        const stop = completed || isWriteFailure(failure) ? undefined : stopReason(controller.signal);
        const record = this.#store.require(q.id);
        const where = `after ${record.progress.done} of ${record.progress.total} ${record.progress.unit}`;
        if (stop === 'cancel') this.#end(q.id, q.parentId, 'cancelled', { code: 'cancelled', message: `cancelled ${where}; what was recorded until then is kept.` }, outcome);
        else if (stop === 'shutdown') this.#end(q.id, q.parentId, 'failed', { code: 'interrupted', message: interruptedMessage('running', record.progress) }, outcome);
        else if (stop === 'wall-time') this.#end(q.id, q.parentId, 'failed', { code: 'limit-exceeded', message: `stopped ${where}: the job ran past this server's wall-time limit of ${this.limits.maxWallMs} ms (maxWallMs); what was recorded until then is kept. Use fewer agents or steps, or ask the operator to raise --max-wall-ms.` }, outcome);
        else if (failure !== undefined) this.#end(q.id, q.parentId, 'failed', toRunError(failure), outcome);
        else this.#end(q.id, q.parentId, 'done', null, outcome);
      } catch (error) {
        // the store cannot even be read: end the job from what this executor knows
        this.#end(q.id, q.parentId, 'failed', toRunError(failure ?? error), outcome);
      }
      this.#active.delete(q.id);
      this.#memoryInUse -= q.bytes;
      done();
      this.#pump();
    })();
  }

  #end(id: string, parentId: string | null, status: 'done' | 'failed' | 'cancelled', error: RunError | null, result: RunOutcome | null): void {
    let record: RunRecord | undefined;
    try {
      // kept in memory by the store when it cannot be written
      record = this.#store.finish(id, { status, error, result });
    } catch {
      // not a job of this store's (cannot happen for the executor's own jobs): waiters read the store
    }
    if (record) this.#emit(id, { type: 'finished', record });
    this.#waiters.wake(id);
    this.#meta.delete(id);
    if (parentId) this.#childEnded(parentId);
  }

  #childEnded(parentId: string): void {
    const sweep = this.#sweeps.get(parentId);
    if (!sweep) return;
    const children = sweep.children.map((c) => ({ ...c, record: this.#store.require(c.id) }));
    const ended = children.filter((c) => isTerminal(c.record.status));
    try {
      this.#store.setProgress(parentId, ended.length);
    } catch {
      // a store that cannot be written: the sweep's end below is kept in memory by the store
    }
    if (ended.length < children.length) {
      this.#emit(parentId, { type: 'progress' });
      return;
    }
    this.#sweeps.delete(parentId);
    const ok = children.filter((c) => c.record.status === 'done');
    const { job } = sweep;
    const entries = job.scenarios
      .map((s) => ({ label: s.name, runs: ok.filter((c) => c.scenario === s.name) }))
      .filter((e) => e.runs.length > 0)
      .map((e) => ({ label: e.label, runIds: e.runs.map((c) => c.id), series: e.runs.map((c) => this.#store.series(c.id).series) }));
    const result: ScenariosOutcome = {
      scenarios: job.scenarios.map((s) => ({ name: s.name, params: s.overrides, runIds: children.filter((c) => c.scenario === s.name).map((c) => c.id) })),
      seeds: job.seeds,
      table: entries.length > 0 ? comparisonTable(entries, job.sim.metricNames) : null,
    };
    const bad = children.filter((c) => c.record.status !== 'done');
    if (bad.length === 0) return this.#end(parentId, null, 'done', null, result);
    const interrupted = bad.find((c) => c.record.error?.code === 'interrupted');
    if (interrupted) return this.#end(parentId, null, 'failed', { code: 'interrupted', message: interruptedMessage('running', { done: ok.length, total: children.length, unit: 'runs' }) }, result);
    if (sweep.cancelled) return this.#end(parentId, null, 'cancelled', { code: 'cancelled', message: `cancelled after ${ok.length} of ${children.length} runs; the table compares the finished ones.` }, result);
    const first = bad[0]!.record;
    this.#end(parentId, null, 'failed', { code: first.error?.code ?? 'internal', message: `${bad.length} of ${children.length} runs did not finish; the first, ${first.id} (${first.label}, seed ${first.seed}): ${first.error?.message ?? first.status}` }, result);
  }

  #emit(id: string, e: Partial<RunEvent> & Pick<RunEvent, 'type'>): void {
    if (this.#listeners.size === 0) return;
    const meta = this.#meta.get(id);
    // a step or epoch of a running job is described without reading the store
    const record = e.type === 'progress' && e.progress && meta ? { ...meta, status: 'running' as const, progress: e.progress } : (e.record ?? this.#store.get(id));
    if (!record) return;
    const event: RunEvent = {
      runId: id,
      kind: record.kind,
      parentId: record.parentId,
      status: record.status,
      progress: e.progress ?? record.progress,
      step: e.step ?? null,
      latest: e.latest ?? null,
      metrics: this.#active.get(id)?.series ?? {},
      epoch: e.epoch ?? null,
      record: e.record ?? null,
      type: e.type,
    };
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
