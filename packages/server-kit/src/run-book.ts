/**
 * The bookkeeping both executors keep of their jobs, whatever runs them: the
 * listeners and the events they receive, the callers waiting for a job's end
 * (RunWaiters), a job's end in the store, and the sweeps, whose parent run
 * counts its ended runs and ends (sweepEnd) once all of them have.
 */
import type { CancelResult, RunEvent, RunListener } from './executor.js';
import type { SingleJob, SweepJob } from './job-records.js';
import { singleRun, sweepChildren, sweepRun } from './job-records.js';
import { checkLimit, type RunLimits } from './limits.js';
import { isTerminal, type RunError, type RunKind, type RunOutcome, type RunProgress, type RunRecord } from './run-record.js';
import { toRunError } from './run-error.js';
import type { RunStore } from './run-store.js';
import { interruptedMessage } from './store-rows.js';
import { sweepEnd } from './sweep-end.js';
import { RunWaiters } from './run-waiters.js';

/** What an executor knows of a job it holds (progress events are described from it without a store read). */
export interface LiveJob {
  readonly kind: RunKind;
  readonly parentId: string | null;
  /** Every metric's series so far (empty before the job runs). */
  readonly series: Readonly<Record<string, readonly number[]>>;
}

/** A sweep being run: its job, its runs and whether it was cancelled. */
export interface Sweep {
  readonly job: SweepJob;
  readonly children: { readonly id: string; readonly scenario: string; readonly seed: number }[];
  cancelled: boolean;
}

/** The event fields an executor gives; the rest come from the job or its record. */
export type EventInput = Partial<RunEvent> & Pick<RunEvent, 'type'>;

/** Why a running job was stopped from outside. */
export type StopReason = 'cancel' | 'shutdown' | 'wall-time';

/** How a job stopped for `stop` ends: its status and error; `done` counts its recorded steps or epochs. */
export function stoppedEnd(stop: StopReason, progress: RunProgress, done: number, limits: Pick<RunLimits, 'maxWallMs'>): { status: 'failed' | 'cancelled'; error: RunError } {
  const where = `after ${done} of ${progress.total} ${progress.unit}`;
  if (stop === 'cancel') return { status: 'cancelled', error: { code: 'cancelled', message: `cancelled ${where}; what was recorded until then is kept.` } };
  if (stop === 'shutdown') return { status: 'failed', error: { code: 'interrupted', message: interruptedMessage('running', progress) } };
  return {
    status: 'failed',
    error: { code: 'limit-exceeded', message: `stopped ${where}: the job ran past this server's wall-time limit of ${limits.maxWallMs} ms (maxWallMs); what was recorded until then is kept. Use fewer agents or steps, or ask the operator to raise --max-wall-ms.` },
  };
}

/**
 * Refuses (`limit-exceeded`, maxQueued) a job whose runs would leave more than the limit waiting:
 * `waiting` jobs wait now and `free` slots would take some of them at once.
 */
export function checkQueueRoom(limits: RunLimits, job: SweepJob | SingleJob, waiting: number, free: number): void {
  const count = job.kind === 'scenarios' ? job.scenarios.length * job.seeds.length : 1;
  checkLimit(limits, 'maxQueued', waiting + count - Math.max(0, free), `jobs waiting after this one${count > 1 ? ` (its ${count} runs included)` : ''}`, 'Wait for queued jobs to finish or cancel some.');
}

/** Options of a RunBook. */
export interface RunBookOptions {
  readonly store: RunStore;
  /** The executor's own view of a job it holds, if it holds it. */
  readonly live: (id: string) => LiveJob | undefined;
  /** Called when a job has ended: the executor drops what it held of it. */
  readonly forget: (id: string) => void;
}

/** One executor's bookkeeping of its jobs. */
export class RunBook {
  readonly sweeps = new Map<string, Sweep>();
  readonly #store: RunStore;
  readonly #o: RunBookOptions;
  readonly #listeners = new Set<{ fn: RunListener; runId: string | undefined }>();
  readonly #waiters: RunWaiters;

  constructor(o: RunBookOptions) {
    this.#o = o;
    this.#store = o.store;
    this.#waiters = new RunWaiters(o.store);
  }

  wait(id: string, options: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {}): Promise<RunRecord> {
    return this.#waiters.wait(id, options);
  }

  subscribe(listener: RunListener, filter: { readonly runId?: string } = {}): () => void {
    const entry = { fn: listener, runId: filter.runId };
    this.#listeners.add(entry);
    return () => void this.#listeners.delete(entry);
  }

  /**
   * Records a sweep and its runs: `insert` records and queues each run (its job, parent id and
   * label). When the store refuses one, none of the sweep runs: `unqueue` takes the runs recorded
   * so far off the queue, they and the sweep end failed, and the store's error is thrown.
   */
  submitSweep(job: SweepJob, insert: (job: SingleJob, parentId: string, label: string) => RunRecord, unqueue: (id: string) => void): RunRecord {
    const parent = this.#store.insert(sweepRun(job));
    const sweep: Sweep = { job, children: [], cancelled: false };
    this.sweeps.set(parent.id, sweep);
    try {
      for (const c of sweepChildren(job)) sweep.children.push({ id: insert(c.job, parent.id, c.scenario).id, scenario: c.scenario, seed: c.seed });
    } catch (error) {
      const reason = toRunError(error);
      for (const c of sweep.children) {
        unqueue(c.id);
        this.end(c.id, null, 'failed', reason, null);
      }
      this.sweeps.delete(parent.id);
      this.end(parent.id, null, 'failed', { code: reason.code, message: `the sweep could not be recorded: ${reason.message}` }, null);
      throw error;
    }
    this.emit(parent.id, { type: 'started' });
    return parent;
  }

  /**
   * Cancels job `id`: an ended one stays as it is, a sweep is marked cancelled and each of its runs
   * cancelled with `cancelRun` (resolving once the sweep has ended), any other job is `cancelRun`'s.
   */
  async cancel(id: string, cancelRun: (id: string) => Promise<CancelResult>): Promise<CancelResult> {
    const record = this.#store.require(id);
    if (isTerminal(record.status)) return { record, outcome: 'already-finished' };
    const sweep = this.sweeps.get(id);
    if (!sweep) return cancelRun(id);
    sweep.cancelled = true;
    await Promise.all(sweep.children.map((c) => this.cancel(c.id, cancelRun)));
    await this.wait(id);
    return { record: this.#store.require(id), outcome: 'cancelled' };
  }

  /** Records a single job (see singleRun). */
  insertSingle(job: SingleJob, parentId: string | null, label: string | null): RunRecord {
    return this.#store.insert(singleRun(job, parentId, label));
  }

  /** Ends a job: its record (kept in memory by the store when it cannot be written), the `finished` event, its waiters, its sweep's count. */
  end(id: string, parentId: string | null, status: 'done' | 'failed' | 'cancelled', error: RunError | null, result: RunOutcome | null): void {
    let record: RunRecord | undefined;
    try {
      record = this.#store.finish(id, { status, error, result });
    } catch {
      // not a job of this store's (cannot happen for an executor's own jobs): waiters read the store
    }
    if (record) this.emit(id, { type: 'finished', record });
    this.#o.forget(id);
    this.#waiters.wake(id);
    if (parentId) this.#childEnded(parentId);
  }

  #childEnded(parentId: string): void {
    const sweep = this.sweeps.get(parentId);
    if (!sweep) return;
    const children = sweep.children.map((c) => ({ ...c, record: this.#store.require(c.id) }));
    const ended = children.filter((c) => isTerminal(c.record.status)).length;
    try {
      this.#store.setProgress(parentId, ended);
    } catch {
      // a store that cannot be written: the sweep's end below is kept in memory by the store
    }
    if (ended < children.length) return this.emit(parentId, { type: 'progress' });
    this.sweeps.delete(parentId);
    const end = sweepEnd(this.#store, sweep.job, children, sweep.cancelled);
    this.end(parentId, null, end.status, end.error, end.result);
  }

  /** Calls the listeners (of every job, or of this one) with an event of job `id`. */
  emit(id: string, e: EventInput): void {
    if (this.#listeners.size === 0) return;
    const live = this.#o.live(id);
    // a step or epoch of a running job is described without reading the store
    const record = e.type === 'progress' && e.progress && live ? { kind: live.kind, parentId: live.parentId, status: 'running' as const, progress: e.progress } : (e.record ?? this.#store.get(id));
    if (!record) return;
    const event: RunEvent = {
      runId: id,
      kind: record.kind,
      parentId: record.parentId,
      status: record.status,
      progress: e.progress ?? record.progress,
      step: e.step ?? null,
      latest: e.latest ?? null,
      metrics: live?.series ?? {},
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
