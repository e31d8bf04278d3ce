/**
 * Parquet encoding of the result tables (hyparquet-writer, pure JavaScript,
 * loaded on first use so nothing that never writes Parquet pays for it):
 * metric series, a sweep's bands and per-agent snapshots. The CLI's `--out`
 * and `--snapshot-out` files, the MCP resources and the GraphQL server's file
 * routes all come from here, so the same run gives the same bytes everywhere.
 */
import { metricsColumns, type MetricsTable } from './metrics-table.js';
import { snapshotColumns, type AnySnapshot } from './snapshot-table.js';
import { sweepParamNames, sweepRows, type SweepTable } from './sweep-table.js';

/** The media type of a Parquet file (registered with IANA as application/vnd.apache.parquet). */
export const PARQUET_MIME_TYPE = 'application/vnd.apache.parquet';

/** One column of a table to encode: INT32 and DOUBLE numbers (null where `nullable`), or strings. */
export interface ParquetColumn {
  readonly name: string;
  readonly data: readonly unknown[] | Int32Array | Float64Array;
  readonly type: 'INT32' | 'DOUBLE' | 'STRING';
  readonly nullable: boolean;
}

/**
 * Encodes columns (all of one length) as a Parquet file.
 *
 * @example
 * ```ts
 * const bytes = await parquetBytes([{ name: 'step', data: Int32Array.of(1, 2), type: 'INT32', nullable: false }]);
 * ```
 */
export async function parquetBytes(columns: readonly ParquetColumn[]): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  return new Uint8Array(parquetWriteBuffer({ columnData: columns.map((c) => ({ ...c })) as never }));
}

/**
 * Metric series as Parquet: a column `step` (INT32), then one DOUBLE column per metric (null
 * past a shorter series).
 *
 * @example
 * ```ts
 * const bytes = await metricsParquet(metricsTable({ I: [1, 3, 7] })); // steps 1, 2, 3
 * ```
 */
export function metricsParquet(table: MetricsTable): Promise<Uint8Array> {
  return parquetBytes(metricsColumns(table));
}

/**
 * A sweep's bands as Parquet: the columns point, the varied parameters, metric, step, median,
 * q25, q75, q025, q975 (one row per point, metric and step).
 *
 * @example
 * ```ts
 * const bytes = await sweepParquet(await callOperation(sweepOperation, input, context));
 * ```
 */
export function sweepParquet(doc: SweepTable): Promise<Uint8Array> {
  const rows = sweepRows(doc);
  const band = (k: 'median' | 'q25' | 'q75' | 'q025' | 'q975'): ParquetColumn => ({ name: k, data: rows.map((r) => r[k]), type: 'DOUBLE', nullable: true });
  return parquetBytes([
    { name: 'point', data: rows.map((r) => r.point), type: 'STRING', nullable: false },
    ...sweepParamNames(doc).map((n): ParquetColumn => ({ name: n, data: rows.map((r) => r.params[n] ?? null), type: 'DOUBLE', nullable: true })),
    { name: 'metric', data: rows.map((r) => r.metric), type: 'STRING', nullable: false },
    { name: 'step', data: Int32Array.from(rows.map((r) => r.step)), type: 'INT32', nullable: false },
    band('median'), band('q25'), band('q75'), band('q025'), band('q975'),
  ]);
}

/**
 * A per-agent snapshot as Parquet, one row per agent per step: INT32 step, agent and integer
 * states; DOUBLE the others (NaN where a value is not finite).
 *
 * @example
 * ```ts
 * const bytes = await snapshotParquet(record.result.snapshot);
 * ```
 */
export function snapshotParquet(snapshot: AnySnapshot): Promise<Uint8Array> {
  return parquetBytes(snapshotColumns(snapshot).map((c) => ({ name: c.name, data: c.data, type: c.integer ? 'INT32' : 'DOUBLE', nullable: false })));
}
