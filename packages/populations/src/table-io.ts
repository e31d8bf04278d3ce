/**
 * Reading and writing the tables of a population (agents, edge lists) as CSV
 * or Parquet, column by column into typed arrays.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { parquetMetadata, parquetRead, parquetSchema } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import type { ColumnSink } from './columns.js';
import { csvField, readCsv } from './csv.js';
import { CellError, fileError } from './file-errors.js';

/** File formats of population tables. */
export const TABLE_FORMATS = ['csv', 'parquet'] as const;
/** `csv` or `parquet`. */
export type TableFormat = (typeof TABLE_FORMATS)[number];

/** A column to read into a sink; an optional column that the file lacks is skipped. */
export interface ColumnRequest {
  readonly name: string;
  readonly sink: ColumnSink;
  readonly optional?: boolean;
}

/** A table file: its path, the name used in messages, and its format. */
export interface TableFile {
  readonly path: string;
  readonly display: string;
  readonly format: TableFormat;
}

function missingColumn(file: string, name: string, header: readonly string[]): never {
  throw fileError({ file, column: name }, `a column named '${name}'`, `the columns [${header.join(', ')}]`, 'Add the column or name the right one in the manifest.');
}

function put(file: string, request: ColumnRequest, row: number, value: unknown, line?: number): void {
  try {
    request.sink.put(row, value as never);
  } catch (error) {
    if (error instanceof CellError) throw fileError({ file, row: row + 1, ...(line === undefined ? {} : { line }), column: request.name }, error.expected, error.received, error.fix);
    throw error;
  }
}

async function readCsvTable(table: TableFile, columns: readonly ColumnRequest[], allowNoRows: boolean): Promise<{ rows: number; present: Set<string> }> {
  let header: string[] | undefined;
  let bound: { index: number; request: ColumnRequest }[] = [];
  let rows = 0;
  await readCsv(table.path, table.display, (fields, line) => {
    if (!header) {
      header = fields.map((f) => f.trim());
      const seen = new Set<string>();
      for (const name of header) {
        if (seen.has(name)) throw fileError({ file: table.display, line, column: name }, 'unique column names in the header', `'${name}' twice`);
        seen.add(name);
      }
      bound = columns.flatMap((request) => {
        const index = header!.indexOf(request.name);
        if (index === -1 && !request.optional) missingColumn(table.display, request.name, header!);
        return index === -1 ? [] : [{ index, request }];
      });
      return;
    }
    if (fields.length !== header.length) throw fileError({ file: table.display, row: rows + 1, line }, `${header.length} fields, as in the header`, `${fields.length}`, 'Quote fields that contain commas.');
    for (const { index, request } of bound) put(table.display, request, rows, fields[index], line);
    rows++;
  });
  if (!header) throw fileError({ file: table.display }, 'a header line naming the columns, then the rows', 'an empty file');
  if (rows === 0 && !allowNoRows) throw fileError({ file: table.display }, 'at least one row after the header', 'only the header');
  return { rows, present: new Set(bound.map((b) => b.request.name)) };
}

async function readParquetTable(table: TableFile, columns: readonly ColumnRequest[], allowNoRows: boolean): Promise<{ rows: number; present: Set<string> }> {
  const buffer = readFileSync(table.path);
  if (buffer.byteLength === 0) throw fileError({ file: table.display }, 'a Parquet file with at least one row', 'an empty file');
  const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
  let metadata: ReturnType<typeof parquetMetadata>;
  try {
    metadata = parquetMetadata(file);
  } catch (error) {
    throw fileError({ file: table.display }, 'a Parquet file', `unreadable data (${(error as Error).message})`, 'Write the file with a Parquet writer, or use a .csv file.');
  }
  const header = parquetSchema(metadata).children.map((c) => c.element.name);
  const bound = columns.filter((request) => {
    if (header.includes(request.name)) return true;
    if (!request.optional) missingColumn(table.display, request.name, header);
    return false;
  });
  const rows = Number(metadata.num_rows);
  if (rows === 0 && !allowNoRows) throw fileError({ file: table.display }, 'at least one row', 'a table with no rows');
  let failure: unknown;
  const byName = new Map<string, ColumnRequest[]>();
  for (const b of bound) byName.set(b.name, [...(byName.get(b.name) ?? []), b]);
  if (bound.length > 0 && rows > 0) {
    await parquetRead({
      file,
      metadata,
      columns: [...byName.keys()],
      onChunk: ({ columnName, columnData, rowStart }) => {
        if (failure) return;
        try {
          for (const request of byName.get(columnName)!) for (let k = 0; k < columnData.length; k++) put(table.display, request, rowStart + k, columnData[k]);
        } catch (error) {
          failure = error;
        }
      },
    });
  }
  if (failure) throw failure;
  return { rows, present: new Set(bound.map((b) => b.name)) };
}

/**
 * Reads the requested columns of a table into their sinks; returns the row count and which columns
 * were present. A missing required column, a bad cell, a ragged CSV row or an empty file throws a
 * PopulaceError naming the file (and row and column).
 */
export function readTable(table: TableFile, columns: readonly ColumnRequest[], options: { allowNoRows?: boolean } = {}): Promise<{ rows: number; present: Set<string> }> {
  return table.format === 'csv' ? readCsvTable(table, columns, options.allowNoRows ?? false) : readParquetTable(table, columns, options.allowNoRows ?? false);
}

/** A column to write: integers (int32 in Parquet), float32 or float64. */
export interface ColumnOutput {
  readonly name: string;
  readonly data: ArrayLike<number>;
  readonly type: 'int' | 'float32' | 'float64';
}

const ROWS_PER_WRITE = 65_536;

/** The shortest decimal that reads back as the same float32 (0.1 rather than 0.10000000149011612). */
export function float32Text(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  for (let digits = 1; digits < 9; digits++) {
    const text = String(Number(value.toPrecision(digits)));
    if (Math.fround(Number(text)) === value) return text;
  }
  return String(value);
}

/** Text of the integers 0..65535, made once (most population columns are small integers). */
let smallIntegers: string[] | undefined;

/** Writes columns of equal length as a CSV (header + rows) or a Parquet file. */
export function writeTable(path: string, format: TableFormat, columns: readonly ColumnOutput[]): void {
  const rows = columns[0]?.data.length ?? 0;
  if (format === 'parquet') {
    parquetWriteFile({
      filename: path,
      columnData: columns.map((c) => ({
        name: c.name,
        data: c.type === 'int' ? Int32Array.from(c.data) : c.type === 'float32' ? Float32Array.from(c.data) : Float64Array.from(c.data),
        type: c.type === 'int' ? 'INT32' : c.type === 'float32' ? 'FLOAT' : 'DOUBLE',
        nullable: false,
      })),
    });
    return;
  }
  const small = (smallIntegers ??= Array.from({ length: 65536 }, (_, i) => String(i)));
  const data = columns.map((c) => c.data);
  const integer = columns.map((c) => c.type === 'int');
  const float32 = columns.map((c) => c.type === 'float32');
  const last = columns.map(() => NaN);
  const lastText = columns.map(() => '');
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, columns.map((c) => csvField(c.name)).join(',') + '\n');
    for (let start = 0; start < rows; start += ROWS_PER_WRITE) {
      const end = Math.min(rows, start + ROWS_PER_WRITE);
      let chunk = '';
      for (let r = start; r < end; r++) {
        let line = '';
        for (let c = 0; c < data.length; c++) {
          const v = data[c]![r]!;
          let text: string;
          if (integer[c]) text = v >= 0 && v < 65536 ? small[v]! : String(v);
          else if (float32[c]) {
            // Coordinates and other float32 columns repeat values: format each new value once.
            if (v !== last[c]) {
              last[c] = v;
              lastText[c] = float32Text(v);
            }
            text = lastText[c]!;
          } else text = String(v);
          line = c === 0 ? text : line + ',' + text;
        }
        chunk += line + '\n';
      }
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
}
