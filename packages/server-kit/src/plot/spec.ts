/**
 * Vega-Lite specs of metric series: one line per run, one panel per metric
 * (each with its own y scale), steps on x.
 */
import { PopulaceError } from '@populace/core';
import type { TopLevelSpec } from 'vega-lite';
import { describe } from '../describe.js';

/** The series of one run (or any labelled set of series) to plot. */
export interface PlotSeries {
  /** The legend entry (e.g. the run id or a scenario name); unique among the series. */
  readonly label: string;
  /** Metric values by name, one per step. */
  readonly metrics: Readonly<Record<string, readonly number[]>>;
  /** The step of each value (default 1, 2, 3...). */
  readonly steps?: readonly number[] | undefined;
}

/** What to draw. */
export interface ChartOptions {
  /** Metrics to plot (default: those every series has, in the first series' order). */
  readonly metrics?: readonly string[] | undefined;
  readonly title?: string | undefined;
  /** Width of the plotting area in pixels (default 640). */
  readonly width?: number | undefined;
  /** Height of each metric's panel in pixels (default 220). */
  readonly height?: number | undefined;
  /** A logarithmic y axis (values <= 0 are left out). */
  readonly logScale?: boolean | undefined;
  /** The x axis title (default 'step'). */
  readonly xTitle?: string | undefined;
}

/** What every Populace chart has around its marks: schema, title, data, padding, background, font, legend. */
export function chartFrame(values: readonly object[], title: string | undefined) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(title ? { title } : {}),
    data: { values },
    padding: 16,
    background: 'white',
    config: { font: 'DejaVu Sans, sans-serif', legend: { orient: 'bottom' as const, labelLimit: 320 } },
  };
}

function size(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 50 || value > 4000) {
    throw new PopulaceError('invalid-argument', `plot: ${name} expected an integer number of pixels in [50, 4000], received ${describe(value)}.`);
  }
  return value;
}

/** The metrics to plot, checked against every series. */
export function plotMetricNames(series: readonly PlotSeries[], requested?: readonly string[]): string[] {
  const common = Object.keys(series[0]!.metrics).filter((m) => series.every((s) => m in s.metrics));
  if (requested === undefined) {
    if (common.length === 0) throw new PopulaceError('invalid-argument', `plot: the series share no metric (${series.map((s) => `${s.label}: ${Object.keys(s.metrics).join(', ')}`).join('; ')}). Pass metrics they all have.`);
    return common;
  }
  if (!Array.isArray(requested) || requested.length === 0) throw new PopulaceError('invalid-argument', `plot: metrics expected a non-empty array of metric names from [${common.join(', ')}], received ${describe(requested)}.`);
  for (const m of requested) {
    if (typeof m !== 'string' || !common.includes(m)) {
      throw new PopulaceError('invalid-argument', `plot: metric ${describe(m)} is not a metric of ${series.length > 1 ? 'every series' : `'${series[0]!.label}'`}; expected one of [${common.join(', ')}].`, { details: { metric: m, metrics: common } });
    }
  }
  return [...new Set(requested)];
}

/**
 * A Vega-Lite spec drawing `metrics` of every series: lines coloured by series label, one
 * panel per metric. Non-finite values are left out.
 *
 * @example
 * ```ts
 * const spec = metricsChartSpec([{ label: 'baseline', metrics: { I: [1, 4, 9] } }], { title: 'Infected' });
 * const svg = await renderSvg(spec);
 * ```
 */
export function metricsChartSpec(series: readonly PlotSeries[], options: ChartOptions = {}): TopLevelSpec {
  if (!Array.isArray(series) || series.length === 0) throw new PopulaceError('invalid-argument', `plot: expected at least one series { label, metrics }, received ${describe(series)}.`);
  const labels = new Set<string>();
  for (const [i, s] of series.entries()) {
    if (typeof s?.label !== 'string' || s.label.length === 0) throw new PopulaceError('invalid-argument', `plot: series[${i}].label expected a non-empty string, received ${describe(s?.label)}.`);
    if (labels.has(s.label)) throw new PopulaceError('invalid-argument', `plot: two series are labelled '${s.label}'; give each a distinct label.`);
    labels.add(s.label);
    if (typeof s.metrics !== 'object' || s.metrics === null) throw new PopulaceError('invalid-argument', `plot: series '${s.label}' expected metrics { name: number[] }, received ${describe(s.metrics)}.`);
  }
  const metrics = plotMetricNames(series, options.metrics);
  const width = size('width', options.width, 640);
  const height = size('height', options.height, 220);
  const log = options.logScale === true;
  const values: { step: number; value: number; series: string; metric: string }[] = [];
  for (const s of series) {
    for (const metric of metrics) {
      const ys = s.metrics[metric]!;
      if (!Array.isArray(ys)) throw new PopulaceError('invalid-argument', `plot: series '${s.label}' metric '${metric}' expected an array of numbers, received ${describe(ys)}.`);
      ys.forEach((value, i) => {
        if (typeof value === 'number' && Number.isFinite(value) && (!log || value > 0)) values.push({ step: s.steps?.[i] ?? i + 1, value, series: s.label, metric });
      });
    }
  }
  const line = {
    mark: { type: 'line' as const, strokeWidth: 2, ...(values.length <= 60 ? { point: true } : {}) },
    encoding: {
      x: { field: 'step', type: 'quantitative' as const, title: options.xTitle ?? 'step' },
      y: { field: 'value', type: 'quantitative' as const, title: metrics.length === 1 ? metrics[0] : null, scale: log ? { type: 'log' as const } : { zero: false } },
      ...(series.length > 1 ? { color: { field: 'series', type: 'nominal' as const, title: null, sort: series.map((s) => s.label) } } : {}),
    },
  };
  const common = chartFrame(values, options.title);
  if (metrics.length === 1) return { ...common, width, height, ...line } as TopLevelSpec;
  return {
    ...common,
    facet: { row: { field: 'metric', type: 'nominal', title: null, sort: metrics, header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top', labelFontWeight: 'bold', labelFontSize: 12 } } },
    spec: { width, height, ...line },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}
