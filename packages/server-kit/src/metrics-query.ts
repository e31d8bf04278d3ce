/**
 * Reading a run's metric series: chosen metrics, a step range, and optional
 * downsampling to at most `maxPoints` points; and the same as CSV.
 */
import { closest, PopulaceError } from '@populace/core';
import { describe } from './describe.js';
import type { RunStatus } from './run-record.js';
import type { RunStore } from './run-store.js';

/** How downsampling picks points: `sample` keeps evenly spaced steps (first and last included); `mean` averages consecutive buckets. */
export type DownsampleMethod = 'sample' | 'mean';
export const DOWNSAMPLE_METHODS: readonly DownsampleMethod[] = ['sample', 'mean'];

/** What to read. */
export interface MetricsQuery {
  /** Metrics to return (default: all of the run's). */
  readonly names?: readonly string[] | undefined;
  /** First step (from 1; default 1). */
  readonly from?: number | undefined;
  /** Last step (inclusive; default the last recorded). */
  readonly to?: number | undefined;
  /** At most this many points per metric (at least 2); default: every step. */
  readonly maxPoints?: number | undefined;
  /** Default 'sample'. */
  readonly method?: DownsampleMethod | undefined;
}

/** Metric series of one run. */
export interface MetricsSlice {
  readonly runId: string;
  readonly status: RunStatus;
  /** Metrics returned, in the model's order. */
  readonly names: readonly string[];
  /** The step of each point (with `mean`, the last step of its bucket). */
  readonly steps: readonly number[];
  readonly series: Readonly<Record<string, readonly number[]>>;
  /** Steps stored for the run in all (the run may still be going). */
  readonly stepsRecorded: number;
  /** How the points were reduced, or null when every step in the range is returned. */
  readonly downsampled: { readonly method: DownsampleMethod; readonly maxPoints: number; readonly pointsBefore: number } | null;
}

function stepOption(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new PopulaceError('invalid-argument', `metrics: ${name} expected a step number, an integer of at least 1, received ${describe(value)}.`, { details: { field: name } });
  }
  return value;
}

/** Indices of `maxPoints` evenly spaced points among `n` (first and last included). */
function sampleIndices(n: number, maxPoints: number): number[] {
  return [...new Set(Array.from({ length: maxPoints }, (_, i) => Math.round((i * (n - 1)) / (maxPoints - 1))))];
}

/**
 * A run's metrics, checked: unknown metric names (with "did you mean"), bad ranges and bad
 * downsampling options throw PopulaceErrors.
 *
 * @example
 * ```ts
 * const slice = getMetrics(store, runId, { names: ['I'], from: 10, to: 60, maxPoints: 20 });
 * slice.steps.length; // <= 20
 * ```
 */
export function getMetrics(store: RunStore, runId: string, query: MetricsQuery = {}): MetricsSlice {
  const run = store.require(runId);
  const names = query.names ?? run.metricNames;
  if (!Array.isArray(names) || names.length === 0) throw new PopulaceError('invalid-argument', `metrics: names expected a non-empty array of metric names from [${run.metricNames.join(', ')}], received ${describe(names)}.`);
  for (const n of names) {
    if (typeof n !== 'string' || !run.metricNames.includes(n)) {
      const guess = typeof n === 'string' ? closest(n, run.metricNames) : undefined;
      throw new PopulaceError('invalid-argument', `metrics: run '${run.id}' (model '${run.model}') has no metric ${describe(n)}.${guess ? ` Did you mean '${guess}'?` : ''} Its metrics: ${run.metricNames.join(', ')}.`, { details: { metric: n, metrics: run.metricNames } });
    }
  }
  const from = stepOption('from', query.from);
  const to = stepOption('to', query.to);
  if (from !== undefined && to !== undefined && from > to) throw new PopulaceError('invalid-argument', `metrics: from (${from}) is after to (${to}); give from <= to.`);
  const maxPoints = query.maxPoints;
  if (maxPoints !== undefined && (typeof maxPoints !== 'number' || !Number.isSafeInteger(maxPoints) || maxPoints < 2)) {
    throw new PopulaceError('invalid-argument', `metrics: maxPoints expected an integer of at least 2, received ${describe(maxPoints)}.`);
  }
  const method = query.method ?? 'sample';
  if (!DOWNSAMPLE_METHODS.includes(method)) throw new PopulaceError('invalid-argument', `metrics: method expected one of ${DOWNSAMPLE_METHODS.join(', ')}, received ${describe(method)}.`);
  const stored = store.series(run.id, { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
  const ordered = run.metricNames.filter((n) => names.includes(n));
  const n = stored.steps.length;
  if (maxPoints === undefined || n <= maxPoints) {
    return { runId: run.id, status: run.status, names: ordered, steps: stored.steps, series: Object.fromEntries(ordered.map((m) => [m, stored.series[m]!])), stepsRecorded: run.stepsRecorded, downsampled: null };
  }
  let steps: number[];
  let series: Record<string, number[]>;
  if (method === 'sample') {
    const idx = sampleIndices(n, maxPoints);
    steps = idx.map((i) => stored.steps[i]!);
    series = Object.fromEntries(ordered.map((m) => [m, idx.map((i) => stored.series[m]![i]!)]));
  } else {
    const bounds = Array.from({ length: maxPoints + 1 }, (_, b) => Math.round((b * n) / maxPoints));
    steps = bounds.slice(1).map((end) => stored.steps[end - 1]!);
    series = Object.fromEntries(ordered.map((m) => [m, bounds.slice(1).map((end, b) => {
      const bucket = stored.series[m]!.slice(bounds[b], end);
      return bucket.reduce((a, v) => a + v, 0) / bucket.length;
    })]));
  }
  return { runId: run.id, status: run.status, names: ordered, steps, series, stepsRecorded: run.stepsRecorded, downsampled: { method, maxPoints, pointsBefore: n } };
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A slice as CSV: a header `step,<metric>...`, then one row per point (an empty cell where a value is not finite). */
export function metricsCsv(slice: Pick<MetricsSlice, 'names' | 'steps' | 'series'>): string {
  const lines = [['step', ...slice.names].map(csvCell).join(',')];
  slice.steps.forEach((step, i) => lines.push([String(step), ...slice.names.map((m) => {
    const v = slice.series[m]![i]!;
    return Number.isFinite(v) ? String(v) : '';
  })].join(',')));
  return lines.join('\n') + '\n';
}
