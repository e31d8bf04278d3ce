/**
 * How a job's failure is recorded: a PopulaceError's code and message, an
 * allocation failure as `limit-exceeded` with the memory numbers, anything
 * else `internal`.
 */
import { allocationError, PopulaceError } from '@populace/core';
import type { RunError } from './run-record.js';

/** Whether `error` is the store's failure to record a job (it ends the job, whatever else stopped it). */
export const isWriteFailure = (error: unknown): boolean => PopulaceError.isInstance(error) && error.code === 'write-failed';

/** A job's failure as recorded: a PopulaceError's code and message, anything else `internal`. */
export function toRunError(thrown: unknown): RunError {
  // an allocation that failed: the memory numbers, as a limit, not an internal error
  const error = allocationError(thrown, 'the job');
  if (PopulaceError.isInstance(error)) return { code: error.code, message: error.message };
  return { code: 'internal', message: `the job failed unexpectedly: ${error instanceof Error ? error.message : String(error)}` };
}
