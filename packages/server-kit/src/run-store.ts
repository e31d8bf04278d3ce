/**
 * The run store: every job and its metric series in a SQLite file
 * (better-sqlite3, WAL). Metric rows are written as the steps complete, so a
 * killed server leaves the part it did; on open, jobs whose server is gone are
 * marked `failed` with an `interrupted` error, never silently lost.
 *
 * A write that fails (a full disk, a lock held too long) throws a
 * `write-failed` PopulaceError that says what was not recorded and why; the
 * executor then ends the job as failed. The end of a job is never lost: when
 * it cannot be written it is kept in memory (readers see it), written again at
 * every heartbeat, and at close.
 */
import { randomBytes } from 'node:crypto';
import { closest, PopulaceError } from '@populace/core';
import { describe } from './describe.js';
import { type RunError, type RunOutcome, type RunRecord } from './run-record.js';
import { openSqlite, type SqliteDatabase, type SqliteStatement } from './sqlite.js';
import { checkStoreFile, isSqliteError, openFailed, writeFailed } from './store-errors.js';
import { liveOwners, registerOwner } from './store-owners.js';
import { newRecord } from './new-record.js';
import { assignments, INSERT_RUN, STORED_FIELDS, toRecord, valuesOf, type RecordField, type RunRow } from './store-columns.js';
import { encodeValues, interruptedMessage, SELECT } from './store-rows.js';
import type { NewRun, RunFilter, RunStoreOptions, StoredSeries } from './store-types.js';
import { migrate } from './store-schema.js';
import { listRuns } from './store-list.js';

/** A record this store keeps up to date in memory while it writes the job. */
type LiveRecord = { -readonly [K in keyof RunRecord]: RunRecord[K] };

/** What the end of a job sets (a null result keeps the stored one). */
const END: readonly RecordField[] = ['status', 'error', 'result', 'finishedAt'];
/** What marking a job interrupted sets. */
const INTERRUPTED: readonly RecordField[] = ['status', 'error', 'finishedAt'];
/** The record fields of an interrupted job that ended at `now`. */
const interrupted = (r: RunRecord, now: number): Partial<RunRecord> => ({ status: 'failed', error: { code: 'interrupted', message: interruptedMessage(r.status, r.progress) }, result: null, finishedAt: new Date(now).toISOString() });

export type { NewRun, RunFilter, RunStoreOptions, StoredSeries } from './store-types.js';

/**
 * A run store. Reading (`get`, `require`, `list`, `series`) is for anyone; the writing methods
 * are the executor's. One store per process and file is enough; several processes may share a file.
 */
export class RunStore {
  /** The database file. */
  readonly path: string;
  /** This store's owner id (stamped on the runs it records). */
  readonly ownerId: string;
  /** Runs found interrupted when the store was opened. */
  readonly recoveredOnOpen: number;
  readonly #db: SqliteDatabase;
  readonly #staleMs: number;
  readonly #beat: () => void;
  readonly #timer: NodeJS.Timeout;
  readonly #stmt: Record<'get' | 'step' | 'recorded' | 'progress' | 'finish' | 'start' | 'backend', SqliteStatement>;
  /** Jobs this store writes, as last written (or attempted), until their end is in the file. */
  readonly #live = new Map<string, LiveRecord>();
  /** Ended jobs whose end could not be written yet: their final records, written again at every heartbeat. */
  readonly #unwritten = new Map<string, RunRecord>();

  /** @internal use `openRunStore` */
  constructor(options: RunStoreOptions) {
    const { path, heartbeatMs = 5000, staleMs = 600_000, busyTimeoutMs = 5000 } = options;
    this.path = path;
    this.#staleMs = staleMs;
    this.ownerId = `${process.pid}-${randomBytes(6).toString('hex')}`;
    checkStoreFile(path);
    this.#db = openSqlite(path, { timeoutMs: busyTimeoutMs });
    try {
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = NORMAL');
      this.#db.pragma('foreign_keys = ON');
      migrate(this.#db, path);
      this.#beat = registerOwner(this.#db, this.ownerId);
      this.recoveredOnOpen = this.recoverInterrupted();
    } catch (error) {
      this.#db.close();
      throw openFailed(path, error);
    }
    this.#stmt = {
      get: this.#db.prepare(`${SELECT} WHERE id = ?`),
      step: this.#db.prepare('INSERT OR REPLACE INTO run_metrics (run_id, step, vals) VALUES (?, ?, ?)'),
      recorded: this.#db.prepare('UPDATE runs SET steps_recorded = MAX(steps_recorded, ?) WHERE id = ?'),
      progress: this.#db.prepare('UPDATE runs SET progress_done = ? WHERE id = ? RETURNING cancel_requested'),
      finish: this.#db.prepare(`UPDATE runs SET ${assignments(END, ['result'])} WHERE id = ? AND status IN ('queued', 'running')`),
      start: this.#db.prepare("UPDATE runs SET status = 'running', started_at = COALESCE(started_at, ?) WHERE id = ? AND status IN ('queued', 'running')"),
      backend: this.#db.prepare(`UPDATE runs SET ${assignments(['backend', 'agents', 'worker'], ['agents', 'worker'])} WHERE id = ?`),
    };
    this.#timer = setInterval(() => {
      this.flush();
      try {
        this.#beat();
        this.recoverInterrupted();
      } catch {
        // a locked, full or vanished file: try again at the next beat
      }
    }, heartbeatMs);
    this.#timer.unref();
  }

  /** Whether the store is open. */
  get open(): boolean {
    return this.#db.open;
  }

  /**
   * Marks `failed` (code `interrupted`) every queued or running job whose owner is gone.
   * Runs on open and at every heartbeat; returns how many it marked.
   */
  recoverInterrupted(): number {
    return this.#db.transaction(() => {
      const live = liveOwners(this.#db, this.#staleMs);
      live.add(this.ownerId);
      const orphans = (this.#db.prepare(`${SELECT} WHERE status IN ('queued', 'running')`).all() as RunRow[]).filter((r) => r.owner === null || !live.has(String(r.owner))).map(toRecord);
      const mark = this.#db.prepare(`UPDATE runs SET ${assignments(INTERRUPTED)} WHERE id = ?`);
      const now = Date.now();
      for (const r of orphans) mark.run(...valuesOf(INTERRUPTED, interrupted(r, now)), r.id);
      return orphans.length;
    }).immediate();
  }

  // ---- reading ----

  /** The run, or undefined. */
  get(id: string): RunRecord | undefined {
    const unwritten = this.#unwritten.get(id);
    if (unwritten) return unwritten;
    this.#checkOpen();
    try {
      const row = this.#stmt.get.get(id) as RunRow | undefined;
      return row ? toRecord(row) : undefined;
    } catch (error) {
      // a file that cannot be read any more: the jobs this store writes are known in memory
      const live = this.#live.get(id);
      if (live && isSqliteError(error)) return { ...live };
      throw error;
    }
  }

  /** Ids of ended jobs whose end is kept in memory because it could not be written yet. */
  unwrittenRuns(): string[] {
    return [...this.#unwritten.keys()];
  }

  /** Writes the ends kept in memory (at every heartbeat and at close); returns how many are still unwritten. */
  flush(): number {
    if (!this.#db.open) return this.#unwritten.size;
    for (const [id, r] of this.#unwritten) {
      try {
        this.#stmt.finish.run(...valuesOf(END, r), id);
        this.#unwritten.delete(id);
      } catch {
        break; // still failing: the next heartbeat tries again
      }
    }
    return this.#unwritten.size;
  }

  /** The run; an unknown id throws `unknown-id` with the closest id and the most recent ones. */
  require(id: string): RunRecord {
    if (typeof id !== 'string' || id.length === 0) {
      throw new PopulaceError('unknown-id', `run id: expected a non-empty string such as 'run-3f2a9c1d0b7e', received ${describe(id)}.`, { details: { kind: 'run' } });
    }
    const run = this.get(id);
    if (run) return run;
    const recent = (this.#db.prepare('SELECT id FROM runs ORDER BY seq DESC LIMIT 1000').all() as { id: string }[]).map((r) => r.id);
    const guess = closest(id, recent);
    throw new PopulaceError(
      'unknown-id',
      `unknown run '${id}'.${guess ? ` Did you mean '${guess}'?` : ''} ${recent.length === 0 ? 'No runs are recorded yet: start one first.' : `Most recent runs: ${recent.slice(0, 10).join(', ')}.`}`,
      { details: { kind: 'run', id, known: recent.slice(0, 10) } },
    );
  }

  /** Runs matching `filter`, newest first, and how many match in all. */
  list(filter: RunFilter = {}): { runs: RunRecord[]; total: number } {
    this.#checkOpen();
    return listRuns(this.#db, filter);
  }

  /** The stored metric rows of a run between steps `from` and `to` (inclusive; default all). */
  series(id: string, range: { from?: number; to?: number } = {}): StoredSeries {
    const run = this.require(id);
    const rows = this.#db.prepare('SELECT step, vals FROM run_metrics WHERE run_id = ? AND step BETWEEN ? AND ? ORDER BY step').all(id, range.from ?? 1, range.to ?? Number.MAX_SAFE_INTEGER) as { step: number; vals: string }[];
    const series: Record<string, number[]> = Object.fromEntries(run.metricNames.map((n) => [n, [] as number[]]));
    const steps: number[] = [];
    for (const row of rows) {
      steps.push(row.step);
      const values = JSON.parse(row.vals) as (number | null)[];
      run.metricNames.forEach((n, k) => series[n]!.push(values[k] ?? Number.NaN));
    }
    return { steps, series };
  }

  // ---- writing (the executor's) ----

  /** Records a new job and returns it. */
  insert(run: NewRun): RunRecord {
    this.#checkOpen();
    const id = `run-${randomBytes(6).toString('hex')}`;
    const created = newRecord(id, run, Date.now());
    this.#write(`a new ${run.kind} job`, () => this.#db.prepare(INSERT_RUN).run(...valuesOf(STORED_FIELDS, created), this.ownerId));
    const record = this.get(id)!;
    this.#live.set(id, { ...record });
    return record;
  }

  /** Marks a job running (its start time is set once). */
  markStarted(id: string): void {
    this.#checkOpen();
    const now = Date.now();
    this.#update(id, (r) => {
      r.status = 'running';
      r.startedAt ??= new Date(now).toISOString();
    });
    this.#write(`the start of job ${id}`, () => this.#stmt.start.run(now, id));
  }

  /**
   * Records the tensor backend a job runs on, once the population is built its actual agent
   * count, and the worker process that runs it (BullMQ executor).
   */
  setBackend(id: string, backend: string, agents?: number, worker?: string): void {
    this.#checkOpen();
    this.#update(id, (r) => {
      r.backend = backend;
      r.agents = agents ?? r.agents;
      r.worker = worker ?? r.worker;
    });
    this.#write(`the backend of job ${id}`, () => this.#stmt.backend.run(backend, agents ?? null, worker ?? null, id));
  }

  /** Stores the metrics of one step and sets the progress; returns whether a cancel was requested. */
  recordStep(id: string, step: number, values: readonly number[], progressDone: number = step): boolean {
    this.#checkOpen();
    const cancel = this.#write(`step ${step} of job ${id}`, () =>
      this.#db.transaction(() => {
        this.#stmt.step.run(id, step, encodeValues(values));
        this.#stmt.recorded.run(step, id);
        return this.#setProgress(id, progressDone);
      })(),
    );
    this.#update(id, (r) => {
      r.stepsRecorded = Math.max(r.stepsRecorded, step);
      r.progress = { ...r.progress, done: progressDone };
    });
    return cancel;
  }

  /** Sets the progress; returns whether a cancel was requested (by another process). */
  setProgress(id: string, done: number): boolean {
    this.#checkOpen();
    this.#update(id, (r) => {
      r.progress = { ...r.progress, done };
    });
    return this.#write(`the progress of job ${id}`, () => this.#setProgress(id, done));
  }

  /** Replaces a run's stored metrics (e.g. with a calibration's fitted trajectory). */
  replaceSeries(id: string, series: Readonly<Record<string, readonly number[]>>): void {
    this.#checkOpen();
    const run = this.require(id);
    const steps = Math.max(0, ...run.metricNames.map((n) => series[n]?.length ?? 0));
    this.#write(`the metric series of job ${id}`, () =>
      this.#db.transaction(() => {
        this.#db.prepare('DELETE FROM run_metrics WHERE run_id = ?').run(id);
        for (let i = 0; i < steps; i++) this.#stmt.step.run(id, i + 1, encodeValues(run.metricNames.map((n) => series[n]?.[i] ?? Number.NaN)));
        this.#db.prepare('UPDATE runs SET steps_recorded = ? WHERE id = ?').run(steps, id);
      })(),
    );
    this.#update(id, (r) => {
      r.stepsRecorded = steps;
    });
  }

  /**
   * Ends a job (only one that is queued or running); returns the final record. When the end of a
   * job this store writes cannot be written (a full disk, a closed store), it is kept in memory,
   * returned, and written again at every heartbeat and at close: a job never stays "running".
   */
  finish(id: string, end: { status: 'done' | 'failed' | 'cancelled'; error?: RunError | null; result?: RunOutcome | null }): RunRecord {
    const e = end.error ?? null;
    const now = Date.now();
    const result = end.result ?? null;
    const live = this.#live.get(id);
    try {
      this.#checkOpen();
      this.#stmt.finish.run(...valuesOf(END, { status: end.status, error: e, result, finishedAt: new Date(now).toISOString() }), id);
      this.#live.delete(id);
      return this.require(id);
    } catch (error) {
      if (!live || !(isSqliteError(error) || PopulaceError.isInstance(error))) throw error;
      this.#live.delete(id);
      const startedAt = live.startedAt === null ? null : Date.parse(live.startedAt);
      const record: RunRecord = { ...live, status: end.status, error: e, result: result ?? live.result, finishedAt: new Date(now).toISOString(), wallMs: startedAt === null ? null : now - startedAt };
      this.#unwritten.set(id, record);
      return record;
    }
  }

  /** Asks the process that runs a job to cancel it (it checks at every step). */
  requestCancel(id: string): void {
    this.#checkOpen();
    this.#write(`the cancel request of job ${id}`, () => this.#db.prepare('UPDATE runs SET cancel_requested = 1 WHERE id = ?').run(id));
  }

  /** Whether a job's owner is this store. */
  owns(id: string): boolean {
    const row = this.#db.prepare('SELECT owner FROM runs WHERE id = ?').get(id) as { owner: string | null } | undefined;
    return row?.owner === this.ownerId;
  }

  /**
   * Closes the store. Jobs of this store still queued or running are marked `failed`
   * (`interrupted`); an executor's `close()` ends them properly first. Ends kept in memory are
   * written first. Closing never throws for a file that cannot be written: it returns the ids of
   * the jobs whose end is lost (they read as interrupted when the file is opened again).
   */
  close(): string[] {
    if (!this.#db.open) return this.unwrittenRuns();
    clearInterval(this.#timer);
    this.flush();
    try {
      this.#db.transaction(() => {
        const unfinished = (this.#db.prepare(`${SELECT} WHERE owner = ? AND status IN ('queued', 'running')`).all(this.ownerId) as RunRow[]).map(toRecord);
        for (const r of unfinished) {
          if (this.#unwritten.has(r.id)) continue;
          this.#stmt.finish.run(...valuesOf(END, interrupted(r, Date.now())), r.id);
        }
        this.#db.prepare('DELETE FROM owners WHERE id = ?').run(this.ownerId);
      })();
    } catch (error) {
      if (!isSqliteError(error)) throw error;
      // a full or read-only file: the next open marks these jobs interrupted (their owner is gone)
    }
    this.#db.close();
    this.#live.clear();
    return this.unwrittenRuns();
  }

  /** Runs a write; a SQLite failure becomes a `write-failed` PopulaceError saying what was not recorded. */
  #write<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw isSqliteError(error) ? writeFailed(what, error) : error;
    }
  }

  /** Updates the in-memory record of a job this store writes. */
  #update(id: string, fn: (r: LiveRecord) => void): void {
    const live = this.#live.get(id);
    if (live) fn(live);
  }

  #setProgress(id: string, done: number): boolean {
    const row = this.#stmt.progress.get(done, id) as { cancel_requested: number } | undefined;
    return row?.cancel_requested === 1;
  }

  #checkOpen(): void {
    if (!this.#db.open) throw new PopulaceError('disposed', `run store ${this.path} is closed; open it again with openRunStore.`);
  }
}

/**
 * Opens (creating and migrating if needed) a run store.
 *
 * @example
 * ```ts
 * const store = openRunStore({ path: resolveDbPath({}) });
 * store.list({ status: 'done', limit: 10 }).runs.map((r) => r.id);
 * store.close();
 * ```
 */
export function openRunStore(options: RunStoreOptions): RunStore {
  if (!options || typeof options.path !== 'string' || options.path.length === 0) {
    throw new PopulaceError('invalid-argument', `openRunStore: expected { path: 'runs.db' }, received ${describe(options?.path)}.`);
  }
  return new RunStore(options);
}
