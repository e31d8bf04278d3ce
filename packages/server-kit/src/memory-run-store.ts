/**
 * A run store in memory, with no SQLite: the store of a CLI command run
 * without --db (no file is written and better-sqlite3, an optional native
 * addon, is not needed). It keeps the records and metric rows of the jobs of
 * one process and answers as the SQLite store does (same records, same list
 * order and filters, non-finite values read back as NaN); there is no other
 * process to share it with, so nothing is ever interrupted by an owner gone.
 */
import { randomBytes } from 'node:crypto';
import { closest, PopulaceError } from '@populace/core';
import { describe } from './describe.js';
import { RUN_KINDS, RUN_STATUSES, type RunError, type RunOutcome, type RunRecord } from './run-record.js';
import type { RunStore } from './run-store.js';
import { newRecord } from './new-record.js';
import { interruptedMessage } from './store-rows.js';
import type { NewRun, RunFilter, StoredSeries } from './store-types.js';

type Live = { -readonly [K in keyof RunRecord]: RunRecord[K] };

/** A stored copy: the caller cannot change what the store holds. */
const copy = (r: Live): RunRecord => structuredClone(r);

class MemoryRunStore {
  readonly path = ':memory:';
  readonly ownerId = `${process.pid}-${randomBytes(6).toString('hex')}`;
  readonly recoveredOnOpen = 0;
  readonly #runs = new Map<string, Live>();
  /** Metric rows by run: step -> values (non-finite values already NaN). */
  readonly #rows = new Map<string, Map<number, number[]>>();
  readonly #cancel = new Set<string>();
  #open = true;

  get open(): boolean {
    return this.#open;
  }

  recoverInterrupted(): number {
    return 0;
  }

  get(id: string): RunRecord | undefined {
    this.#checkOpen();
    const r = this.#runs.get(id);
    return r && copy(r);
  }

  unwrittenRuns(): string[] {
    return [];
  }

  flush(): number {
    return 0;
  }

  require(id: string): RunRecord {
    if (typeof id !== 'string' || id.length === 0) {
      throw new PopulaceError('unknown-id', `run id: expected a non-empty string such as 'run-3f2a9c1d0b7e', received ${describe(id)}.`, { details: { kind: 'run' } });
    }
    const run = this.get(id);
    if (run) return run;
    const recent = [...this.#runs.keys()].reverse().slice(0, 1000);
    const guess = closest(id, recent);
    throw new PopulaceError(
      'unknown-id',
      `unknown run '${id}'.${guess ? ` Did you mean '${guess}'?` : ''} ${recent.length === 0 ? 'No runs are recorded yet: start one first.' : `Most recent runs: ${recent.slice(0, 10).join(', ')}.`}`,
      { details: { kind: 'run', id, known: recent.slice(0, 10) } },
    );
  }

  list(filter: RunFilter = {}): { runs: RunRecord[]; total: number } {
    this.#checkOpen();
    const oneOf = (value: string | readonly string[] | undefined, allowed: readonly string[], name: string): readonly string[] | undefined => {
      if (value === undefined) return undefined;
      const values = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(values) || values.some((v) => !allowed.includes(v))) {
        throw new PopulaceError('invalid-argument', `list runs: ${name} expected one or more of ${allowed.join(', ')}, received ${describe(value)}.`, { details: { expected: allowed } });
      }
      return values;
    };
    const statuses = oneOf(filter.status, RUN_STATUSES, 'status');
    const kinds = oneOf(filter.kind, RUN_KINDS, 'kind');
    const limit = filter.limit ?? 50;
    const offset = filter.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new PopulaceError('invalid-argument', `list runs: limit expected an integer in [1, 1000], received ${describe(limit)}.`);
    if (!Number.isInteger(offset) || offset < 0) throw new PopulaceError('invalid-argument', `list runs: offset expected a non-negative integer, received ${describe(offset)}.`);
    const matching = [...this.#runs.values()]
      .reverse()
      .filter((r) => (!statuses || statuses.includes(r.status)) && (!kinds || kinds.includes(r.kind)) && (filter.model === undefined || r.model === filter.model) && (filter.parentId === undefined || r.parentId === filter.parentId));
    return { runs: matching.slice(offset, offset + limit).map(copy), total: matching.length };
  }

  series(id: string, range: { from?: number; to?: number } = {}): StoredSeries {
    const run = this.require(id);
    const from = range.from ?? 1;
    const to = range.to ?? Number.MAX_SAFE_INTEGER;
    const rows = [...(this.#rows.get(id) ?? new Map<number, number[]>())].filter(([step]) => step >= from && step <= to).sort((a, b) => a[0] - b[0]);
    const series: Record<string, number[]> = Object.fromEntries(run.metricNames.map((n, k) => [n, rows.map(([, values]) => values[k] ?? Number.NaN)]));
    return { steps: rows.map(([step]) => step), series };
  }

  insert(run: NewRun): RunRecord {
    this.#checkOpen();
    const id = `run-${randomBytes(6).toString('hex')}`;
    const record: Live = { ...newRecord(id, run, Date.now()) };
    this.#runs.set(id, record);
    return copy(record);
  }

  markStarted(id: string): void {
    this.#update(id, (r) => {
      if (r.status !== 'queued' && r.status !== 'running') return;
      r.status = 'running';
      r.startedAt ??= new Date().toISOString();
    });
  }

  setBackend(id: string, backend: string, agents?: number, worker?: string): void {
    this.#update(id, (r) => {
      r.backend = backend;
      r.agents = agents ?? r.agents;
      r.worker = worker ?? r.worker;
    });
  }

  recordStep(id: string, step: number, values: readonly number[], progressDone: number = step): boolean {
    this.#update(id, (r) => {
      let rows = this.#rows.get(id);
      if (!rows) this.#rows.set(id, (rows = new Map()));
      rows.set(step, values.map((v) => (Number.isFinite(v) ? v : Number.NaN)));
      r.stepsRecorded = Math.max(r.stepsRecorded, step);
      r.progress = { ...r.progress, done: progressDone };
    });
    return this.#cancel.has(id);
  }

  setProgress(id: string, done: number): boolean {
    this.#update(id, (r) => {
      r.progress = { ...r.progress, done };
    });
    return this.#cancel.has(id);
  }

  replaceSeries(id: string, series: Readonly<Record<string, readonly number[]>>): void {
    const run = this.require(id);
    const steps = Math.max(0, ...run.metricNames.map((n) => series[n]?.length ?? 0));
    const rows = new Map<number, number[]>();
    for (let i = 0; i < steps; i++) rows.set(i + 1, run.metricNames.map((n) => series[n]?.[i] ?? Number.NaN).map((v) => (Number.isFinite(v) ? v : Number.NaN)));
    this.#rows.set(id, rows);
    this.#update(id, (r) => {
      r.stepsRecorded = steps;
    });
  }

  finish(id: string, end: { status: 'done' | 'failed' | 'cancelled'; error?: RunError | null; result?: RunOutcome | null }): RunRecord {
    this.#update(id, (r) => {
      if (r.status !== 'queued' && r.status !== 'running') return;
      const now = Date.now();
      r.status = end.status;
      r.error = end.error ? { code: end.error.code, message: end.error.message } : null;
      r.result = end.result === undefined || end.result === null ? r.result : structuredClone(end.result);
      r.finishedAt = new Date(now).toISOString();
      r.wallMs = r.startedAt === null ? null : now - Date.parse(r.startedAt);
    });
    return this.require(id);
  }

  requestCancel(id: string): void {
    this.#checkOpen();
    this.#cancel.add(id);
  }

  owns(id: string): boolean {
    return this.#runs.has(id);
  }

  close(): string[] {
    if (!this.#open) return [];
    for (const r of this.#runs.values()) {
      if (r.status === 'queued' || r.status === 'running') {
        const now = Date.now();
        Object.assign(r, { status: 'failed', error: { code: 'interrupted', message: interruptedMessage(r.status, r.progress) }, finishedAt: new Date(now).toISOString(), wallMs: r.startedAt === null ? null : now - Date.parse(r.startedAt) });
      }
    }
    this.#open = false;
    return [];
  }

  #update(id: string, fn: (r: Live) => void): void {
    this.#checkOpen();
    const r = this.#runs.get(id);
    if (!r) this.require(id);
    else fn(r);
  }

  #checkOpen(): void {
    if (!this.#open) throw new PopulaceError('disposed', 'run store :memory: is closed; open it again with openRunStore.');
  }
}

/**
 * A run store in memory, without SQLite (nothing written, no native addon): for one process's jobs,
 * e.g. a CLI command without --db. Everything the executors and operations use behaves as in
 * `openRunStore({ path: ':memory:' })`.
 *
 * @example
 * ```ts
 * const kit = createServerKit({ runtime, db: createMemoryRunStore() });
 * ```
 */
export function createMemoryRunStore(): RunStore {
  return new MemoryRunStore() as unknown as RunStore;
}
