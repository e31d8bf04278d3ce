/**
 * The rows of the run store's `runs` table and their conversion to records,
 * the encoding of stored metric values, and the message of interrupted runs.
 */
import type { RunKind, RunProgress, RunRecord, RunStatus } from './run-record.js';

/** Metric values as JSON: non-finite values become null (read back as NaN). */
export const encodeValues = (values: readonly number[]): string => JSON.stringify(values.map((v) => (Number.isFinite(v) ? v : null)));

/** The message of a job found unfinished after its server stopped. */
export function interruptedMessage(status: RunStatus, progress: RunProgress): string {
  return status === 'queued'
    ? 'interrupted: the server stopped before the run started. Submit it again.'
    : `interrupted: the server stopped during the run (after ${progress.done} of ${progress.total} ${progress.unit}; what was recorded until then is kept). Start it again to finish it.`;
}

/** A row of `runs` as SQLite returns it. */
export interface RunRow {
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
  worker: string | null;
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
/** Every column of `runs`. */
export const SELECT = 'SELECT * FROM runs';

/** The record of a row. */
export function toRecord(row: RunRow): RunRecord {
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
    worker: row.worker,
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
