/**
 * Text output: aligned tables, readable numbers and compact-but-readable JSON.
 */
import { outputWidth, wrapLine, wrapWords } from './text-width.js';

/** Column alignment of a table. */
export type Align = 'left' | 'right';

/** A cell's lines at column width `w`: word-wrapped, continuation lines indented like the cell. */
function cellLines(cell: string, w: number): string[] {
  if (cell.length <= w) return [cell];
  const lead = cell.length - cell.trimStart().length;
  return wrapWords(cell.slice(lead), Math.max(1, w - lead)).map((part) => ' '.repeat(lead) + part);
}

/**
 * Column widths that fit `width`, or null when they cannot: the natural widths, with the widest
 * text columns narrowed one character at a time, never below their header, 12 characters or their
 * longest word (up to 30 characters). Right-aligned columns narrow only when wider than 16 (a vector
 * of values, not a number).
 */
function fitColumns(natural: readonly number[], headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[], width: number): number[] | null {
  const widths = [...natural];
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  const longestWord = (c: number) => Math.max(0, ...rows.map((r) => Math.max(0, ...(r[c] ?? '').trim().split(/[ ,]/).map((w) => w.length + 1))));
  const floor = headers.map((h, c) => (align[c] === 'right' && natural[c]! <= 16 ? natural[c]! : Math.min(natural[c]!, Math.max(h.length, 12, Math.min(longestWord(c), 30)))));
  for (let excess = total() - width; excess > 0; excess--) {
    let widest = -1;
    widths.forEach((w, c) => {
      if (w > floor[c]! && (widest < 0 || w > widths[widest]!)) widest = c;
    });
    if (widest < 0) return null;
    widths[widest]! -= 1;
  }
  return widths;
}

/** A table too wide for `width` as records: each row's first cell, then its other cells as `header  value` lines. */
function records(headers: readonly string[], rows: readonly (readonly string[])[], width: number): string {
  const lead = (cell: string) => cell.length - cell.trimStart().length;
  return rows
    .map((r) => {
      const indent = ' '.repeat(lead(r[0] ?? '') + 2);
      const fields = headers.slice(1).map((h, k) => [`${indent}${h.trim().toLowerCase()}`, (r[k + 1] ?? '').trim()] as const).filter(([, v]) => v !== '');
      return wrapLine(r[0] ?? '', width, lead(r[0] ?? '')) + '\n' + (fields.length ? keyValues(fields, width) : '');
    })
    .join('');
}

/**
 * Renders rows as an aligned plain-text table with a header line, fitted to `width` (default: the
 * terminal's, see ./text-width.ts): text columns that would not fit wrap their cells onto more
 * lines, and a table that cannot fit even so prints as records (a block per row). Columns are
 * separated by two spaces; trailing spaces are trimmed.
 *
 * @example
 * ```ts
 * table(['ID', 'AGENTS'], [['example/random-graph', '100000']], ['left', 'right']);
 * ```
 */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = [], width: number = outputWidth()): string {
  const natural = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const widths = fitColumns(natural, headers, rows, align, width);
  if (widths === null) return records(headers, rows, width);
  const render = (cells: readonly string[]): string[] => {
    const columns = headers.map((_, c) => cellLines(cells[c] ?? '', widths[c]!));
    const height = Math.max(...columns.map((l) => l.length));
    return Array.from({ length: height }, (_, k) =>
      columns
        .map((lines, c) => {
          const text = lines[k] ?? '';
          return align[c] === 'right' && lines.length === 1 ? text.padStart(widths[c]!) : text.padEnd(widths[c]!);
        })
        .join('  ')
        .trimEnd(),
    );
  };
  return [...render(headers), ...rows.flatMap(render)].join('\n') + '\n';
}

/** Key/value lines with aligned values (`model   example/network-sir`), long values wrapped under themselves to `width`. */
export function keyValues(entries: readonly (readonly [string, string])[], width: number = outputWidth()): string {
  const keys = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => wrapLine(`${k.padEnd(keys)}  ${v}`, width, keys + 2)).join('\n') + '\n';
}

/**
 * A number for people: integers as they are, others with at most 6 significant digits
 * (float32 metrics then print as 0.3 rather than 0.30000001192092896).
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}

/** A parameter value (scalar or vector) for people. */
export function formatValue(value: number | readonly number[]): string {
  return typeof value === 'number' ? formatNumber(value) : `[${value.map(formatNumber).join(', ')}]`;
}

/** Parameter bounds for people: `[0, 5]`, `[0, inf)`, or `-` when unbounded (null sides are open). */
export function formatBounds(bounds: readonly [number | null, number | null]): string {
  if (bounds[0] === null && bounds[1] === null) return '-';
  const lo = bounds[0] === null ? '(-inf' : `[${formatNumber(bounds[0])}`;
  const hi = bounds[1] === null ? 'inf)' : `${formatNumber(bounds[1])}]`;
  return `${lo}, ${hi}`;
}

/** Milliseconds for people: `840 ms`, `12.3 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

const isScalar = (v: unknown): boolean => v === null || typeof v !== 'object';

/**
 * JSON with two-space indentation, except that arrays of numbers, strings and booleans stay on
 * one line (a metric series of 365 days is one line, not 365). Non-finite numbers become null,
 * as in JSON.stringify. The text always parses back with JSON.parse.
 */
export function toJson(value: unknown, indent = ''): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return toJson((value as { toJSON(): unknown }).toJSON(), indent);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isScalar)) return `[${value.map((v) => JSON.stringify(v) ?? 'null').join(', ')}]`;
    const inner = indent + '  ';
    return `[\n${value.map((v) => inner + (toJson(v, inner) ?? 'null')).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
    if (entries.length === 0) return '{}';
    const inner = indent + '  ';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${toJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
