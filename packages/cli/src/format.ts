/**
 * Text output: aligned tables, readable numbers and compact-but-readable JSON.
 */

/** Column alignment of a table. */
export type Align = 'left' | 'right';

/**
 * Renders rows as an aligned plain-text table with a header line.
 * Columns are separated by two spaces; trailing spaces are trimmed.
 *
 * @example
 * ```ts
 * table(['ID', 'AGENTS'], [['example/random-graph', '100000']], ['left', 'right']);
 * ```
 */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (align[c] === 'right' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** Key/value lines with aligned values (`model   example/network-sir`). */
export function keyValues(entries: readonly (readonly [string, string])[]): string {
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
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
