/**
 * Zod schemas the hand-written tools share: server-kit's (one declaration of
 * a parameter value, a run record and a comparison table for every surface).
 */
export { comparisonTableSchema as comparisonTable, maybeNumber, paramValueSchema as paramValue, runRecordSchema as runRecord } from '@populace/server-kit';

/** Replaces non-finite numbers (anywhere in plain data) by null, as JSON would. */
export function finite<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
