/**
 * The shapes the run store takes and gives: its options, a new job, a list
 * filter and stored metric rows.
 */
import type { RunKind, RunProgress, RunRecord, RunStatus } from './run-record.js';

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

/** What a new job is recorded with: the record's identifying fields (label, parent and options optional). */
export type NewRun = Pick<RunRecord, 'kind' | 'model' | 'population' | 'agents' | 'steps' | 'seed' | 'params' | 'metricNames'> &
  Partial<Pick<RunRecord, 'label' | 'parentId' | 'options'>> & {
    readonly progress: Pick<RunProgress, 'total' | 'unit'>;
    /** Default `queued`. */
    readonly status?: 'queued' | 'running';
  };

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
