/**
 * A sweep's bands as a table: one row per point, metric and step, with the
 * varied parameters as columns (what --out writes as CSV or Parquet).
 */
import type { sweepOperation } from '@populace/server-kit';

/** The output of the sweep operation (what `populace sweep --json` prints). */
export type SweepDocument = Awaited<ReturnType<typeof sweepOperation.run>>;

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

/** The varied parameters' names, in the order of the first point. */
export const sweepParamNames = (doc: SweepDocument): string[] => Object.keys(doc.points[0]?.params ?? {});

/** Every row: points in order, then metrics, then steps from 1. */
export function sweepRows(doc: SweepDocument): SweepRow[] {
  return doc.points.flatMap((p) =>
    doc.metrics.flatMap((metric) => {
      const b = p.bands[metric]!;
      return b.median.map((median, i) => ({ point: p.name, params: p.params, metric, step: i + 1, median, q25: b.q25[i]!, q75: b.q75[i]!, q025: b.q025[i]!, q975: b.q975[i]! }));
    }),
  );
}

const cell = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
const num = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/** The table as CSV: header `point,<params>,metric,step,median,q25,q75,q025,q975`. */
export function sweepCsv(doc: SweepDocument): string {
  const params = sweepParamNames(doc);
  const lines = [['point', ...params, 'metric', 'step', 'median', 'q25', 'q75', 'q025', 'q975'].map(cell).join(',')];
  for (const r of sweepRows(doc)) lines.push([cell(r.point), ...params.map((n) => num(r.params[n])), cell(r.metric), String(r.step), num(r.median), num(r.q25), num(r.q75), num(r.q025), num(r.q975)].join(','));
  return lines.join('\n') + '\n';
}
