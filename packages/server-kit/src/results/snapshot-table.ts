/**
 * A per-agent snapshot as a long table: columns step and agent, then one per
 * state, one row per agent per step (what the CSV and Parquet files hold).
 */
import type { AgentSnapshot } from '@populace/core';
import type { RunSnapshot } from '../check-snapshot.js';

/** A snapshot as core's recorder gives it (typed arrays), or as a run record keeps it (arrays, null where a value was not finite). */
export type AnySnapshot = AgentSnapshot | RunSnapshot;

/** One column of the long table; `integer` when every value is a whole number that fits an INT32. */
export interface SnapshotColumn {
  readonly name: string;
  readonly data: Int32Array | Float64Array;
  readonly integer: boolean;
}

/** Whether every value of a column fits a Parquet INT32. */
const fitsInt32 = (values: readonly ArrayLike<number | null>[]): boolean => values.every((v) => Array.prototype.every.call(v, (x: number | null) => x !== null && Number.isInteger(x) && x >= -2147483648 && x <= 2147483647));

/** Values the long table holds, its step and agent columns included (what a file size limit counts). */
export const snapshotCells = (s: AnySnapshot): number => s.steps.length * s.agents * (s.columns.length + 2);

/**
 * The long table: step and agent (INT32), then one column per state, Int32Array where the state
 * is integer and every value fits, else Float64Array with NaN where a value is not finite.
 *
 * @example
 * ```ts
 * snapshotColumns(record.result.snapshot).map((c) => c.name); // ['step', 'agent', 'status']
 * ```
 */
export function snapshotColumns(s: AnySnapshot): SnapshotColumn[] {
  const rows = s.steps.length * s.agents;
  const step = new Int32Array(rows);
  const agent = new Int32Array(rows);
  s.steps.forEach((t, k) => {
    step.fill(t, k * s.agents, (k + 1) * s.agents);
    for (let i = 0; i < s.agents; i++) agent[k * s.agents + i] = i;
  });
  const states = s.columns.map((c) => {
    const integer = c.integer && fitsInt32(c.values);
    const data = integer ? new Int32Array(rows) : new Float64Array(rows);
    c.values.forEach((v: ArrayLike<number | null>, k) => {
      for (let i = 0; i < s.agents; i++) data[k * s.agents + i] = v[i] ?? Number.NaN;
    });
    return { name: c.name, data, integer };
  });
  return [{ name: 'step', data: step, integer: true }, { name: 'agent', data: agent, integer: true }, ...states];
}
