/**
 * A sweep's bands as CSV: one row per point, metric and step, with the varied
 * parameters as columns (the table of @populace/server-kit's sweepRows, whose
 * sweepParquet writes the same table as Parquet).
 */
import { sweepParamNames, sweepRows, type SweepDocument } from '@populace/server-kit';

const cell = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
const num = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/** The table as CSV: header `point,<params>,metric,step,median,q25,q75,q025,q975`. */
export function sweepCsv(doc: SweepDocument): string {
  const params = sweepParamNames(doc);
  const lines = [['point', ...params, 'metric', 'step', 'median', 'q25', 'q75', 'q025', 'q975'].map(cell).join(',')];
  for (const r of sweepRows(doc)) lines.push([cell(r.point), ...params.map((n) => num(r.params[n])), cell(r.metric), String(r.step), num(r.median), num(r.q25), num(r.q75), num(r.q025), num(r.q975)].join(','));
  return lines.join('\n') + '\n';
}
