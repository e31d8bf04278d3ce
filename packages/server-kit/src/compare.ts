/**
 * Comparing runs: per metric the final value, the peak, the step of the peak
 * and the total, for each run, with differences to the first (the baseline).
 */
import { PopulaceError } from '@populace/core';
import { describe } from './describe.js';
import type { ComparisonRow, ComparisonTable, SeriesSummary } from './run-record.js';
import type { RunStore } from './run-store.js';

/**
 * Final, peak, peak step (from 1) and total of a series; non-finite values are skipped.
 *
 * @example
 * ```ts
 * summarizeSeries([1, 5, 2]); // { final: 2, peak: 5, peakStep: 2, total: 8 }
 * ```
 */
export function summarizeSeries(values: readonly number[]): SeriesSummary {
  let peak = Number.NaN;
  let peakStep = Number.NaN;
  let total = 0;
  let final = Number.NaN;
  let seen = 0;
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    seen += 1;
    total += v;
    final = v;
    if (!(v <= peak)) {
      peak = v;
      peakStep = i + 1;
    }
  });
  return { final, peak, peakStep, total: seen === 0 ? Number.NaN : total };
}

/** One labelled entry of a comparison: the series of one run, or of each seed of one scenario. */
export interface ComparisonEntry {
  readonly label: string;
  readonly runIds: readonly string[];
  /** One record of series per run (per seed), each by metric. */
  readonly series: readonly Readonly<Record<string, readonly number[]>>[];
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const relative = (d: number, base: number): number | null => (base === 0 || !Number.isFinite(base) ? null : d / base);

/**
 * The comparison table of `entries` over `metrics`: each entry's summaries (averaged over its
 * series when it has several), and each row's difference to the first entry's row.
 */
export function comparisonTable(entries: readonly ComparisonEntry[], metrics: readonly string[]): ComparisonTable {
  if (entries.length === 0) throw new PopulaceError('invalid-argument', 'compare: expected at least one run.');
  const rows: ComparisonRow[] = [];
  for (const metric of metrics) {
    let base: SeriesSummary | undefined;
    for (const entry of entries) {
      const sums = entry.series.map((s) => summarizeSeries(s[metric] ?? []));
      const summary: SeriesSummary = { final: mean(sums.map((s) => s.final)), peak: mean(sums.map((s) => s.peak)), peakStep: mean(sums.map((s) => s.peakStep)), total: mean(sums.map((s) => s.total)) };
      const delta = base ? { final: summary.final - base.final, peak: summary.peak - base.peak, peakStep: summary.peakStep - base.peakStep, total: summary.total - base.total } : null;
      rows.push({
        metric,
        label: entry.label,
        runIds: entry.runIds,
        ...summary,
        delta,
        relative: delta && base ? { final: relative(delta.final, base.final), peak: relative(delta.peak, base.peak), total: relative(delta.total, base.total) } : null,
      });
      base ??= summary;
    }
  }
  return { baseline: entries[0]!.label, metrics: [...metrics], rows };
}

/**
 * Compares recorded runs (the first is the baseline) over `metrics` (default: the metrics they
 * all have). Every run must have recorded metrics; unknown ids and metrics throw.
 *
 * @example
 * ```ts
 * const table = compareRuns(store, [baselineId, distancingId], { metrics: ['I', 'newInfections'] });
 * table.rows.find((r) => r.label === distancingId && r.metric === 'I')!.relative!.peak; // e.g. -0.4
 * ```
 */
export function compareRuns(store: RunStore, ids: readonly string[], options: { metrics?: readonly string[] | undefined } = {}): ComparisonTable {
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string')) {
    throw new PopulaceError('invalid-argument', `compare: runIds expected a non-empty array of run ids, received ${describe(ids)}.`);
  }
  if (new Set(ids).size !== ids.length) throw new PopulaceError('invalid-argument', `compare: runIds has duplicates: ${describe(ids)}. Give each run once.`);
  const runs = ids.map((id) => store.require(id));
  for (const run of runs) {
    if (run.kind === 'scenarios') throw new PopulaceError('invalid-argument', `compare: run '${run.id}' is a scenario sweep; its comparison table is its result. Compare the runs of the sweep instead (${(run.result as { scenarios?: { runIds: string[] }[] } | null)?.scenarios?.flatMap((s) => s.runIds).join(', ') ?? 'see its record'}).`);
    if (run.stepsRecorded === 0) throw new PopulaceError('invalid-argument', `compare: run '${run.id}' has no recorded metrics yet (status ${run.status}${run.error ? `: ${run.error.message}` : ''}). Wait for it to run, or leave it out.`, { details: { runId: run.id, status: run.status } });
  }
  const common = runs[0]!.metricNames.filter((m) => runs.every((r) => r.metricNames.includes(m)));
  const metrics = options.metrics ?? common;
  if (!Array.isArray(metrics) || metrics.length === 0) throw new PopulaceError('invalid-argument', `compare: the runs share no metric${options.metrics ? '' : ` (${runs.map((r) => `${r.id}: ${r.metricNames.join(', ')}`).join('; ')})`}. Pass metrics they all have.`);
  for (const m of metrics) {
    if (!common.includes(m)) throw new PopulaceError('invalid-argument', `compare: metric ${describe(m)} is not a metric of every run; expected one of [${common.join(', ')}].`, { details: { metric: m, metrics: common } });
  }
  return comparisonTable(runs.map((r) => ({ label: r.label && runs.filter((o) => o.label === r.label).length === 1 ? r.label : r.id, runIds: [r.id], series: [store.series(r.id).series] })), metrics);
}

const fmt = (v: number | null): string => (v === null || !Number.isFinite(v) ? '-' : Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(Math.round(v * 1000) / 1000));
const pct = (v: number | null): string => (v === null ? '-' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`);

/** The table as aligned text (for assistants and terminals): one block per metric. */
export function formatComparison(table: ComparisonTable): string {
  const lines: string[] = [`Baseline: ${table.baseline}. Peak step counts from 1; relative differences are to the baseline.`];
  for (const metric of table.metrics) {
    const rows = table.rows.filter((r) => r.metric === metric);
    const cells = [['RUN', 'FINAL', 'PEAK', 'PEAK STEP', 'TOTAL', 'FINAL vs base', 'PEAK vs base', 'TOTAL vs base']];
    for (const r of rows) cells.push([r.label, fmt(r.final), fmt(r.peak), fmt(r.peakStep), fmt(r.total), pct(r.relative?.final ?? null), pct(r.relative?.peak ?? null), pct(r.relative?.total ?? null)]);
    const widths = cells[0]!.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
    lines.push('', `${metric}:`, ...cells.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')));
  }
  return lines.join('\n') + '\n';
}
