/**
 * The run store: every job and its metric series in a SQLite file
 * (better-sqlite3, WAL). Metric rows are written as the steps complete, so a
 * killed server leaves the part it did; on open, jobs whose server is gone are
 * marked `failed` with an `interrupted` error, never silently lost.
 */
import { randomBytes } from 'node:crypto';
import { closest, PopulaceError, type ParamValue } from '@populace/core';
import { describe } from './describe.js';
import { RUN_KINDS, RUN_STATUSES, type RunError, type RunKind, type RunOutcome, type RunProgress, type RunRecord, type RunStatus } from './run-record.js';
import { openSqlite, type SqliteDatabase, type SqliteStatement } from './sqlite.js';
import { liveOwners, registerOwner } from './store-owners.js';
import { migrate } from './store-schema.js';

/** Options of `openRunStore`. */
export interface RunStoreOptions {
  /** The SQLite file (created if missing; its directory must exist), or ':memory:'. */
  readonly path: string;
  /** How often this store refreshes its heartbeat and looks for interrupted runs (default 5000 ms). */
  readonly heartbeatMs?: number;
  /** After how long without a heartbeat an owner on another host counts as gone (default 600000 ms). */
  readonly staleMs?: number;
  /** How long a write waits for another process's lock (default 5000 ms). */
  readonly busyTimeoutMs?: number;
}

/** What a new job is recorded with. */
export interface NewRun {
  readonly kind: RunKind;
  readonly label?: string | null;
  readonly parentId?: string | null;
  readonly model: string;
  readonly population: string | null;
  readonly agents: number;
  readonly steps: number;
  readonly seed: number;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly metricNames: readonly string[];
  readonly options?: Readonly<Record<string, unknown>>;
  readonly progress: Pick<RunProgress, 'total' | 'unit'>;
  /** Default `queued`. */
  readonly status?: 'queued' | 'running';
}

/** Which runs `list` returns; newest first. */
export interface RunFilter {
  readonly status?: RunStatus | readonly RunStatus[];
  readonly kind?: RunKind | readonly RunKind[];
  /** Full model id. */
  readonly model?: string;
  /** Runs of one sweep; `null` for runs that belong to none. */
  readonly parentId?: string | null;
  /** Default 50, at most 1000. */
  readonly limit?: number;
  readonly offset?: number;
}

/** Metric rows of a run. */
export interface StoredSeries {
  /** Step numbers (from 1), ascending. */
  readonly steps: number[];
  /** One array per metric, aligned with `steps` (NaN where a value was not finite). */
  readonly series: Record<string, number[]>;
}

interface RunRow {
  seq: number;
  id: string;
  kind: RunKind;
  parent_id: string | null;
  label: string | null;
  model: string;
  population: string | null;
  agents: number;
  steps: number;
  seed: number;
  params: string;
  backend: string | null;
  status: RunStatus;
  progress_done: number;
  progress_total: number;
  progress_unit: RunProgress['unit'];
  metric_names: string;
  options: string;
  result: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  steps_recorded: number;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const SELECT = 'SELECT * FROM runs';

function toRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    kind: row.kind,
    label: row.label,
    parentId: row.parent_id,
    model: row.model,
    population: row.population,
    agents: row.agents,
    steps: row.steps,
    seed: row.seed,
    params: JSON.parse(row.params),
    backend: row.backend,
    status: row.status,
    progress: { done: row.progress_done, total: row.progress_total, unit: row.progress_unit },
    metricNames: JSON.parse(row.metric_names),
    stepsRecorded: row.steps_recorded,
    options: JSON.parse(row.options),
    result: row.result === null ? null : JSON.parse(row.result),
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    wallMs: row.started_at !== null && row.finished_at !== null ? row.finished_at - row.started_at : null,
  };
}

/** Metric values as JSON: non-finite values become null (read back as NaN). */
const encodeValues = (values: readonly number[]): string => JSON.stringify(values.map((v) => (Number.isFinite(v) ? v : null)));

/** The message of a job found unfinished after its server stopped. */
export function interruptedMessage(status: RunStatus, progress: RunProgress): string {
  return status === 'queued'
    ? 'interrupted: the server stopped before the run started. Submit it again.'
    : `interrupted: the server stopped during the run (after ${progress.done} of ${progress.total} ${progress.unit}; what was recorded until then is kept). Start it again to finish it.`;
}

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

  /** @internal use `openRunStore` */
  constructor(options: RunStoreOptions) {
    const { path, heartbeatMs = 5000, staleMs = 600_000, busyTimeoutMs = 5000 } = options;
    this.path = path;
    this.#staleMs = staleMs;
    this.ownerId = `${process.pid}-${randomBytes(6).toString('hex')}`;
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
      throw error;
    }
    this.#stmt = {
      get: this.#db.prepare(`${SELECT} WHERE id = ?`),
      step: this.#db.prepare('INSERT OR REPLACE INTO run_metrics (run_id, step, vals) VALUES (?, ?, ?)'),
      recorded: this.#db.prepare('UPDATE runs SET steps_recorded = MAX(steps_recorded, ?) WHERE id = ?'),
      progress: this.#db.prepare('UPDATE runs SET progress_done = ? WHERE id = ? RETURNING cancel_requested'),
      finish: this.#db.prepare("UPDATE runs SET status = ?, error_code = ?, error_message = ?, result = COALESCE(?, result), finished_at = ? WHERE id = ? AND status IN ('queued', 'running')"),
      start: this.#db.prepare("UPDATE runs SET status = 'running', started_at = COALESCE(started_at, ?) WHERE id = ? AND status IN ('queued', 'running')"),
      backend: this.#db.prepare('UPDATE runs SET backend = ?, agents = COALESCE(?, agents) WHERE id = ?'),
    };
    this.#timer = setInterval(() => {
      try {
        this.#beat();
        this.recoverInterrupted();
      } catch {
        // a locked or vanished file: try again at the next beat
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
      type Open = Pick<RunRow, 'id' | 'status' | 'progress_done' | 'progress_total' | 'progress_unit'> & { owner: string | null };
      const orphans = (this.#db.prepare("SELECT id, owner, status, progress_done, progress_total, progress_unit FROM runs WHERE status IN ('queued', 'running')").all() as Open[]).filter((r) => r.owner === null || !live.has(r.owner));
      const mark = this.#db.prepare("UPDATE runs SET status = 'failed', error_code = 'interrupted', error_message = ?, finished_at = ? WHERE id = ?");
      const now = Date.now();
      for (const r of orphans) mark.run(interruptedMessage(r.status, { done: r.progress_done, total: r.progress_total, unit: r.progress_unit }), now, r.id);
      return orphans.length;
    }).immediate();
  }

  // ---- reading ----

  /** The run, or undefined. */
  get(id: string): RunRecord | undefined {
    this.#checkOpen();
    const row = this.#stmt.get.get(id) as RunRow | undefined;
    return row ? toRecord(row) : undefined;
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
    const where: string[] = [];
    const args: unknown[] = [];
    const oneOf = (column: string, value: string | readonly string[] | undefined, allowed: readonly string[], name: string) => {
      if (value === undefined) return;
      const values = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(values) || values.some((v) => !allowed.includes(v))) {
        throw new PopulaceError('invalid-argument', `list runs: ${name} expected one or more of ${allowed.join(', ')}, received ${describe(value)}.`, { details: { expected: allowed } });
      }
      where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
      args.push(...values);
    };
    oneOf('status', filter.status, RUN_STATUSES, 'status');
    oneOf('kind', filter.kind, RUN_KINDS, 'kind');
    if (filter.model !== undefined) {
      where.push('model = ?');
      args.push(filter.model);
    }
    if (filter.parentId !== undefined) {
      where.push(filter.parentId === null ? 'parent_id IS NULL' : 'parent_id = ?');
      if (filter.parentId !== null) args.push(filter.parentId);
    }
    const limit = filter.limit ?? 50;
    const offset = filter.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new PopulaceError('invalid-argument', `list runs: limit expected an integer in [1, 1000], received ${describe(limit)}.`);
    if (!Number.isInteger(offset) || offset < 0) throw new PopulaceError('invalid-argument', `list runs: offset expected a non-negative integer, received ${describe(offset)}.`);
    const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    const total = (this.#db.prepare(`SELECT COUNT(*) AS n FROM runs${clause}`).get(...args) as { n: number }).n;
    const rows = this.#db.prepare(`${SELECT}${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...args, limit, offset) as RunRow[];
    return { runs: rows.map(toRecord), total };
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
    const now = Date.now();
    const status = run.status ?? 'queued';
    this.#db
      .prepare('INSERT INTO runs (id, kind, parent_id, label, model, population, agents, steps, seed, params, status, progress_total, progress_unit, metric_names, options, created_at, started_at, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, run.kind, run.parentId ?? null, run.label ?? null, run.model, run.population, run.agents, run.steps, run.seed, JSON.stringify(run.params), status, run.progress.total, run.progress.unit, JSON.stringify(run.metricNames), JSON.stringify(run.options ?? {}), now, status === 'running' ? now : null, this.ownerId);
    return this.get(id)!;
  }

  /** Marks a job running (its start time is set once). */
  markStarted(id: string): void {
    this.#checkOpen();
    this.#stmt.start.run(Date.now(), id);
  }

  /** Records the tensor backend a job runs on and, once the population is built, its actual agent count. */
  setBackend(id: string, backend: string, agents?: number): void {
    this.#checkOpen();
    this.#stmt.backend.run(backend, agents ?? null, id);
  }

  /** Stores the metrics of one step and sets the progress; returns whether a cancel was requested. */
  recordStep(id: string, step: number, values: readonly number[], progressDone: number = step): boolean {
    this.#checkOpen();
    return this.#db.transaction(() => {
      this.#stmt.step.run(id, step, encodeValues(values));
      this.#stmt.recorded.run(step, id);
      return this.#setProgress(id, progressDone);
    })();
  }

  /** Sets the progress; returns whether a cancel was requested (by another process). */
  setProgress(id: string, done: number): boolean {
    this.#checkOpen();
    return this.#setProgress(id, done);
  }

  /** Replaces a run's stored metrics (e.g. with a calibration's fitted trajectory). */
  replaceSeries(id: string, series: Readonly<Record<string, readonly number[]>>): void {
    this.#checkOpen();
    const run = this.require(id);
    const steps = Math.max(0, ...run.metricNames.map((n) => series[n]?.length ?? 0));
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM run_metrics WHERE run_id = ?').run(id);
      for (let i = 0; i < steps; i++) this.#stmt.step.run(id, i + 1, encodeValues(run.metricNames.map((n) => series[n]?.[i] ?? Number.NaN)));
      this.#db.prepare('UPDATE runs SET steps_recorded = ? WHERE id = ?').run(steps, id);
    })();
  }

  /** Ends a job (only one that is queued or running); returns the final record. */
  finish(id: string, end: { status: 'done' | 'failed' | 'cancelled'; error?: RunError | null; result?: RunOutcome | null }): RunRecord {
    this.#checkOpen();
    const e = end.error ?? null;
    this.#stmt.finish.run(end.status, e?.code ?? null, e?.message ?? null, end.result === undefined || end.result === null ? null : JSON.stringify(end.result), Date.now(), id);
    return this.require(id);
  }

  /** Asks the process that runs a job to cancel it (it checks at every step). */
  requestCancel(id: string): void {
    this.#checkOpen();
    this.#db.prepare('UPDATE runs SET cancel_requested = 1 WHERE id = ?').run(id);
  }

  /** Whether a job's owner is this store. */
  owns(id: string): boolean {
    const row = this.#db.prepare('SELECT owner FROM runs WHERE id = ?').get(id) as { owner: string | null } | undefined;
    return row?.owner === this.ownerId;
  }

  /**
   * Closes the store. Jobs of this store still queued or running are marked `failed`
   * (`interrupted`); an executor's `close()` ends them properly first.
   */
  close(): void {
    if (!this.#db.open) return;
    clearInterval(this.#timer);
    const unfinished = this.#db.prepare("SELECT id, status, progress_done, progress_total, progress_unit FROM runs WHERE owner = ? AND status IN ('queued', 'running')").all(this.ownerId) as RunRow[];
    for (const r of unfinished) {
      this.#stmt.finish.run('failed', 'interrupted', interruptedMessage(r.status, { done: r.progress_done, total: r.progress_total, unit: r.progress_unit }), null, Date.now(), r.id);
    }
    this.#db.prepare('DELETE FROM owners WHERE id = ?').run(this.ownerId);
    this.#db.close();
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
