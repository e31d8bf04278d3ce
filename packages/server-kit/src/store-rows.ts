/**
 * The encoding of stored metric values, and the message of interrupted runs
 * (the rows of `runs` and their records: store-columns.ts).
 */
import type { RunProgress, RunStatus } from './run-record.js';

/** Metric values as JSON: non-finite values become null (read back as NaN). */
export const encodeValues = (values: readonly number[]): string => JSON.stringify(values.map((v) => (Number.isFinite(v) ? v : null)));

/** The message of a job found unfinished after its server stopped. */
export function interruptedMessage(status: RunStatus, progress: RunProgress): string {
  return status === 'queued'
    ? 'interrupted: the server stopped before the run started. Submit it again.'
    : `interrupted: the server stopped during the run (after ${progress.done} of ${progress.total} ${progress.unit}; what was recorded until then is kept). Start it again to finish it.`;
}

/** Every column of `runs`. */
export const SELECT = 'SELECT * FROM runs';
