/**
 * A sweep's bands as a table: one row per point, metric and step, with the
 * varied parameters as columns (what the CSV and Parquet files hold).
 */
import type { Bands } from '../operations/sweep-bands.js';
import type { sweepOperation } from '../operations/sweep-operation.js';

/** The output of the sweep operation (what `populace sweep --json` prints). */
export type SweepDocument = Awaited<ReturnType<typeof sweepOperation.run>>;

/** What the table is made of: a sweep document, or the bands of a stored sweep (sweepTable). */
export interface SweepTable {
  readonly metrics: readonly string[];
  readonly points: readonly { readonly name: string; readonly params: Readonly<Record<string, number>>; readonly bands: Readonly<Record<string, Bands>> }[];
}

/** One row of the table. */
export interface SweepRow {
  readonly point: string;
  readonly params: Readonly<Record<string, number>>;
  readonly metric: string;
  readonly step: number;
  readonly median: number | null;
  readonly q25: number | null;
  readonly q75: number | null;
  readonly q025: number | null;
  readonly q975: number | null;
}

/**
 * The varied parameters' names, in the order of the first point.
 *
 * @example
 * ```ts
 * sweepParamNames(doc); // ['beta']
 * ```
 */
export const sweepParamNames = (doc: SweepTable): string[] => Object.keys(doc.points[0]?.params ?? {});

/**
 * Every row: points in order, then metrics, then steps from 1.
 *
 * @example
 * ```ts
 * sweepRows(doc)[0]; // { point: 'beta=0.05', params: { beta: 0.05 }, metric: 'S', step: 1, median: ..., ... }
 * ```
 */
export function sweepRows(doc: SweepTable): SweepRow[] {
  return doc.points.flatMap((p) =>
    doc.metrics.flatMap((metric) => {
      const b = p.bands[metric]!;
      return b.median.map((median, i) => ({ point: p.name, params: p.params, metric, step: i + 1, median, q25: b.q25[i]!, q75: b.q75[i]!, q025: b.q025[i]!, q975: b.q975[i]! }));
    }),
  );
}
