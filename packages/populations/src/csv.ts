/**
 * CSV (RFC 4180) reading and writing: streaming, so files larger than a
 * JavaScript string work; quoted fields with commas, doubled quotes and line
 * breaks; CRLF or LF; an optional UTF-8 byte-order mark.
 */
import { createReadStream } from 'node:fs';
import { fileError } from './file-errors.js';

/** Splits one record that contains quotes into its fields. Returns undefined when a quote is never closed. */
function parseQuoted(record: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let i = 0;
  const n = record.length;
  while (i <= n) {
    if (record[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) return undefined;
        const c = record[i]!;
        if (c === '"') {
          if (record[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          field += c;
          i++;
        }
      }
      // Text between the closing quote and the next comma is kept as is.
      const comma = record.indexOf(',', i);
      const end = comma === -1 ? n : comma;
      field += record.slice(i, end);
      i = end;
    } else {
      const comma = record.indexOf(',', i);
      const end = comma === -1 ? n : comma;
      field += record.slice(i, end);
      i = end;
    }
    fields.push(field);
    field = '';
    i++;
  }
  return fields;
}

const quotes = (text: string): number => {
  let count = 0;
  for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1)) count++;
  return count;
};

/**
 * Reads a CSV file record by record: `onRecord(fields, line)` gets each record's fields and the
 * (1-based) line it starts on; the first record is the header. Blank lines are skipped. A quote that
 * is never closed throws a PopulaceError naming the line.
 */
export async function readCsv(file: string, display: string, onRecord: (fields: string[], line: number) => void): Promise<void> {
  let carry = '';
  let line = 0;
  let pending: string | undefined;
  let pendingLine = 0;
  let first = true;
  const handle = (raw: string): void => {
    line++;
    let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (pending !== undefined) {
      pending += '\n' + text;
      if (quotes(pending) % 2 === 0) {
        const record = pending;
        pending = undefined;
        onRecord(parseQuoted(record) ?? [record], pendingLine);
      }
      return;
    }
    if (text.indexOf('"') === -1) {
      if (text.trim() !== '') onRecord(text.split(','), line);
    } else if (quotes(text) % 2 === 0) {
      onRecord(parseQuoted(text) ?? [text], line);
    } else {
      pending = text;
      pendingLine = line;
    }
  };
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = carry + chunk;
    let pos = 0;
    for (let nl = text.indexOf('\n', pos); nl !== -1; nl = text.indexOf('\n', pos)) {
      handle(text.slice(pos, nl));
      pos = nl + 1;
    }
    carry = text.slice(pos);
  }
  if (carry !== '') handle(carry);
  if (pending !== undefined) throw fileError({ file: display, line: pendingLine }, 'a closing quote (") for the field opened on this line', 'the end of the file', 'Close the quoted field or escape inner quotes as "".');
}

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
