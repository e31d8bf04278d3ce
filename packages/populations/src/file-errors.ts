/**
 * Errors about population files: each names the file, and where it applies
 * the row, the column, what was expected and what was received.
 */
import { PopulaceError } from '@populace/core';

/** Where in a file a problem is. Rows are 1-based data rows (the header is not a row); `line` is the CSV line. */
export interface FileLocation {
  readonly file: string;
  readonly row?: number;
  readonly line?: number;
  readonly column?: string;
}

/** Thrown by a column parser for one cell; the table reader adds the file, row and column. */
export class CellError extends Error {
  constructor(
    readonly expected: string,
    readonly received: string,
    readonly fix?: string,
  ) {
    super(`expected ${expected}, received ${received}`);
  }
}

/** A cell value as it reads in a message: strings quoted, empty cells named. */
export function showValue(value: unknown): string {
  if (value === undefined || value === null) return 'an empty value';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty value' : JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'bigint') return `${value}`;
  return String(value);
}

function where(at: FileLocation): string {
  const parts = [at.file];
  if (at.row !== undefined) parts.push(at.line !== undefined ? `row ${at.row} (line ${at.line})` : `row ${at.row}`);
  else if (at.line !== undefined) parts.push(`line ${at.line}`);
  if (at.column !== undefined) parts.push(`column '${at.column}'`);
  return parts.join(', ');
}

/**
 * The error of a bad population file: `<file>, row R (line L), column 'C': expected X, received Y. <fix>`.
 *
 * @example
 * ```ts
 * throw fileError({ file: 'people.csv', row: 3, column: 'age' }, 'an integer in [0, 255]', '"abc"');
 * ```
 */
export function fileError(at: FileLocation, expected: string, received: string, fix?: string): PopulaceError {
  return new PopulaceError('invalid-argument', `${where(at)}: expected ${expected}, received ${received}.${fix ? ` ${fix}` : ''}`, {
    details: { ...at, expected, received },
  });
}
