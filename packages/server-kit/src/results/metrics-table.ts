/**
 * Metric series as a table: a step column, then one column per metric (what
 * the CSV and Parquet files of a run hold).
 */
import type { ParquetColumn } from './parquet.js';

/** Metric series with their steps: `series[name][i]` is the value at `steps[i]`. */
export interface MetricsTable {
  /** The metrics, in column order. */
  readonly names: readonly string[];
  readonly steps: readonly number[];
  readonly series: Readonly<Record<string, readonly (number | null)[]>>;
}

/**
 * The table of series that start at step 1 (a simulation's `metrics()`): steps 1 to the longest
 * series' length.
 *
 * @example
 * ```ts
 * metricsTable({ I: [1, 3], R: [0] }); // { names: ['I', 'R'], steps: [1, 2], series: ... }
 * ```
 */
export function metricsTable(metrics: Readonly<Record<string, readonly number[]>>): MetricsTable {
  const names = Object.keys(metrics);
  const steps = Math.max(0, ...names.map((n) => metrics[n]!.length));
  return { names, steps: Array.from({ length: steps }, (_, i) => i + 1), series: metrics };
}

/** Values the table holds, its step column included (what a file size limit counts). */
export const metricsCells = (table: MetricsTable): number => table.steps.length * (table.names.length + 1);

/** The columns: `step` (INT32), then one nullable DOUBLE per metric (null past a shorter series). */
export function metricsColumns(table: MetricsTable): ParquetColumn[] {
  return [
    { name: 'step', data: Int32Array.from(table.steps), type: 'INT32', nullable: false },
    ...table.names.map((n): ParquetColumn => ({ name: n, data: table.steps.map((_, i) => table.series[n]![i] ?? null), type: 'DOUBLE', nullable: true })),
  ];
}
