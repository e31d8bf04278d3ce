/**
 * Plots of recorded runs: their metric series from the store, drawn with
 * `@populace/server-kit/plot`.
 */
import { PopulaceError } from '@populace/core';
import { describe } from './describe.js';
import { getMetrics } from './metrics-query.js';
import { plotMetrics, type PlotFormat, type PlotImage } from './plot/render.js';
import type { ChartOptions } from './plot/spec.js';
import type { RunStore } from './run-store.js';

/** What to plot of which runs: the chart's options (metrics default to those every run has; the title to the model and the runs), plus: */
export interface PlotRunsOptions extends Omit<ChartOptions, 'xTitle'> {
  /** Default 'png'. */
  readonly format?: PlotFormat | undefined;
  /** Points per series at most (default 2000; longer series are sampled evenly). */
  readonly maxPoints?: number | undefined;
}

/** At most this many runs in one plot. */
export const MAX_PLOT_RUNS = 20;

/**
 * Plots metrics of one or more recorded runs, one line per run (labelled by its label, else its id).
 *
 * @example
 * ```ts
 * const image = await plotRuns(store, [a.id, b.id], { metrics: ['I'], format: 'png' });
 * image.mimeType; // 'image/png'
 * ```
 */
export async function plotRuns(store: RunStore, runIds: readonly string[], options: PlotRunsOptions = {}): Promise<PlotImage> {
  if (!Array.isArray(runIds) || runIds.length === 0 || runIds.some((id) => typeof id !== 'string')) {
    throw new PopulaceError('invalid-argument', `plot: runIds expected a non-empty array of run ids, received ${describe(runIds)}.`);
  }
  if (runIds.length > MAX_PLOT_RUNS) throw new PopulaceError('invalid-argument', `plot: at most ${MAX_PLOT_RUNS} runs in one plot, received ${runIds.length}. Plot fewer runs.`);
  if (new Set(runIds).size !== runIds.length) throw new PopulaceError('invalid-argument', `plot: runIds has duplicates: ${describe(runIds)}.`);
  const runs = runIds.map((id) => store.require(id));
  for (const run of runs) {
    if (run.stepsRecorded === 0) throw new PopulaceError('invalid-argument', `plot: run '${run.id}' has no recorded metrics (status ${run.status}${run.error ? `: ${run.error.message}` : ''})${run.kind === 'scenarios' ? '; plot the runs of the sweep instead' : ''}.`, { details: { runId: run.id } });
  }
  const labelOf = (r: (typeof runs)[number]) => (r.label && runs.filter((o) => o.label === r.label).length === 1 ? r.label : r.id);
  const series = runs.map((r) => {
    const slice = getMetrics(store, r.id, { maxPoints: options.maxPoints ?? 2000 });
    return { label: labelOf(r), metrics: slice.series, steps: slice.steps };
  });
  const models = [...new Set(runs.map((r) => r.model))];
  return plotMetrics(series, {
    metrics: options.metrics,
    format: options.format,
    title: options.title ?? `${models.join(', ')}: ${runs.length === 1 ? labelOf(runs[0]!) : `${runs.length} runs`}`,
    width: options.width,
    height: options.height,
    logScale: options.logScale,
  });
}
