/**
 * Vega-Lite specs of uncertainty bands: per metric one panel, per point of a
 * sweep a median line with its 50% and 95% bands as shaded areas.
 */
import { PopulaceError } from '@populace/core';
import type { TopLevelSpec } from 'vega-lite';
import { chartFrame } from './spec.js';
import { renderChart, type FontOptions, type PlotFormat, type PlotImage } from './render.js';

/** One metric's bands, one value per step (null: no value at that step). */
export interface BandSeries {
  readonly median: readonly (number | null)[];
  readonly q25: readonly (number | null)[];
  readonly q75: readonly (number | null)[];
  readonly q025: readonly (number | null)[];
  readonly q975: readonly (number | null)[];
}

/** A labelled set of bands (a point of a sweep). */
export interface BandPoint {
  readonly label: string;
  readonly bands: Readonly<Record<string, BandSeries>>;
}

/**
 * A spec drawing every point's bands for `metrics` (default: all of the first point's).
 *
 * @example
 * ```ts
 * const spec = bandChartSpec([{ label: 'beta=0.3', bands: { I: { median: [1, 4], q25: [1, 3], q75: [2, 5], q025: [0, 2], q975: [3, 7] } } }]);
 * ```
 */
export function bandChartSpec(points: readonly BandPoint[], options: { readonly metrics?: readonly string[] | undefined; readonly title?: string | undefined } = {}): TopLevelSpec {
  if (points.length === 0) throw new PopulaceError('invalid-argument', 'plot: expected at least one point with bands, received none.');
  const known = Object.keys(points[0]!.bands);
  const metrics = options.metrics ?? known;
  const unknown = metrics.filter((m) => !known.includes(m));
  if (unknown.length > 0) throw new PopulaceError('invalid-argument', `plot: ${unknown.map((m) => `'${m}'`).join(', ')} not among the metrics [${known.join(', ')}].`);
  const values: Record<string, number | string>[] = [];
  for (const p of points) {
    for (const metric of metrics) {
      const b = p.bands[metric]!;
      b.median.forEach((median, i) => {
        const row = { median, q25: b.q25[i], q75: b.q75[i], q025: b.q025[i], q975: b.q975[i] };
        if (Object.values(row).every((v) => typeof v === 'number' && Number.isFinite(v))) values.push({ step: i + 1, point: p.label, metric, ...(row as Record<string, number>) });
      });
    }
  }
  const x = { field: 'step', type: 'quantitative' as const, title: 'step' };
  const color = points.length > 1 ? { color: { field: 'point', type: 'nominal' as const, title: null, sort: points.map((p) => p.label) } } : {};
  const layer = [
    { mark: { type: 'area' as const, opacity: 0.15 }, encoding: { x, y: { field: 'q025', type: 'quantitative' as const, title: null, scale: { zero: false } }, y2: { field: 'q975' }, ...color } },
    { mark: { type: 'area' as const, opacity: 0.3 }, encoding: { x, y: { field: 'q25', type: 'quantitative' as const }, y2: { field: 'q75' }, ...color } },
    { mark: { type: 'line' as const, strokeWidth: 2 }, encoding: { x, y: { field: 'median', type: 'quantitative' as const }, ...color } },
  ];
  return {
    ...chartFrame(values, options.title),
    facet: { row: { field: 'metric', type: 'nominal', title: null, sort: metrics, header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top', labelFontWeight: 'bold', labelFontSize: 12 } } },
    spec: { width: 640, height: 200, layer },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}

/**
 * Plots bands (median line, 50% and 95% areas) as PNG or SVG.
 *
 * @example
 * ```ts
 * const image = await plotBands(sweep.points.map((p) => ({ label: p.name, bands: p.bands })), { format: 'png' });
 * ```
 */
export async function plotBands(points: readonly BandPoint[], options: FontOptions & { readonly format?: PlotFormat | undefined; readonly metrics?: readonly string[] | undefined; readonly title?: string | undefined } = {}): Promise<PlotImage> {
  return renderChart(bandChartSpec(points, options), { ...options, format: options.format ?? 'png' });
}
