/**
 * Counting the rows of a table without parsing it (a file population must
 * declare its size before it is built): CSV records outside quotes, or the
 * row count in a Parquet footer.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parquetMetadata } from 'hyparquet';
import { fileError } from './file-errors.js';
import type { TableFile } from './table-io.js';

function countCsvRecords(fd: number): number {
  const buffer = Buffer.alloc(1 << 20);
  let records = 0;
  let inQuotes = false;
  let content = false;
  for (let read = readSync(fd, buffer, 0, buffer.length, null); read > 0; read = readSync(fd, buffer, 0, buffer.length, null)) {
    for (let i = 0; i < read; i++) {
      const c = buffer[i]!;
      if (c === 0x22) {
        inQuotes = !inQuotes;
        content = true;
      } else if (c === 0x0a && !inQuotes) {
        if (content) records++;
        content = false;
      } else if (c !== 0x0d && c !== 0x20 && c !== 0x09 && c !== 0xef && c !== 0xbb && c !== 0xbf) content = true;
    }
  }
  if (content) records++;
  return Math.max(0, records - 1);
}

function countParquetRows(fd: number, table: TableFile): number {
  const size = fstatSync(fd).size;
  const bad = (): never => {
    throw fileError({ file: table.display }, 'a Parquet file', 'data without a Parquet footer', 'Write the file with a Parquet writer, or use a .csv file.');
  };
  if (size < 12) bad();
  const tail = Buffer.alloc(8);
  readSync(fd, tail, 0, 8, size - 8);
  const length = tail.readUInt32LE(0);
  if (tail.toString('latin1', 4) !== 'PAR1' || length + 8 > size) bad();
  const footer = Buffer.alloc(length + 8);
  readSync(fd, footer, 0, length + 8, size - length - 8);
  try {
    return Number(parquetMetadata(footer.buffer.slice(footer.byteOffset, footer.byteOffset + footer.byteLength) as ArrayBuffer).num_rows);
  } catch {
    return bad();
  }
}

/** Rows of a table (CSV: records after the header, blank lines not counted; Parquet: from the footer). */
export function countRows(table: TableFile): number {
  const fd = openSync(table.path, 'r');
  try {
    return table.format === 'csv' ? countCsvRecords(fd) : countParquetRows(fd, table);
  } finally {
    closeSync(fd);
  }
}
