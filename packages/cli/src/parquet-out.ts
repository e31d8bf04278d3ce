/**
 * `--out file.parquet`: metric series and sweep bands as Parquet files
 * (hyparquet-writer, pure JavaScript), the same tables as the CSV outputs.
 */
import { sweepParamNames, sweepRows, type SweepDocument } from './sweep-table.js';

type Column = { name: string; data: unknown[] | Int32Array | Float64Array; type: 'INT32' | 'DOUBLE' | 'STRING'; nullable?: boolean };

/** hyparquet-writer is loaded on first use: the CLI starts without it. */
async function bytes(columns: Column[]): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  return new Uint8Array(parquetWriteBuffer({ columnData: columns as never }));
}

/** Metric series as Parquet: a column `step` (INT32, from 1), then one DOUBLE column per metric (null past a shorter series). */
export async function metricsParquet(metrics: Readonly<Record<string, readonly number[]>>): Promise<Uint8Array> {
  const names = Object.keys(metrics);
  const steps = Math.max(0, ...names.map((n) => metrics[n]!.length));
  return bytes([
    { name: 'step', data: Int32Array.from({ length: steps }, (_, i) => i + 1), type: 'INT32', nullable: false },
    ...names.map((n): Column => ({ name: n, data: Array.from({ length: steps }, (_, i) => metrics[n]![i] ?? null), type: 'DOUBLE', nullable: true })),
  ]);
}

/** A sweep's bands as Parquet: the columns of the CSV (point, the varied parameters, metric, step, median, q25, q75, q025, q975). */
export async function sweepParquet(doc: SweepDocument): Promise<Uint8Array> {
  const rows = sweepRows(doc);
  const band = (k: 'median' | 'q25' | 'q75' | 'q025' | 'q975'): Column => ({ name: k, data: rows.map((r) => r[k]), type: 'DOUBLE', nullable: true });
  return bytes([
    { name: 'point', data: rows.map((r) => r.point), type: 'STRING', nullable: false },
    ...sweepParamNames(doc).map((n): Column => ({ name: n, data: rows.map((r) => r.params[n] ?? null), type: 'DOUBLE', nullable: true })),
    { name: 'metric', data: rows.map((r) => r.metric), type: 'STRING', nullable: false },
    { name: 'step', data: Int32Array.from(rows.map((r) => r.step)), type: 'INT32', nullable: false },
    band('median'), band('q25'), band('q75'), band('q025'), band('q975'),
  ]);
}
