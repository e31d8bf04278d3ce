/**
 * @populace/server-kit/plot: Vega-Lite charts of metric series, rendered to
 * SVG and PNG without a browser. It does not load the run store (no native
 * SQLite addon), so the CLI can use it.
 */
export { metricsChartSpec, plotMetricNames } from './spec.js';
export type { ChartOptions, PlotSeries } from './spec.js';
export { PLOT_FORMATS, plotFormatOf, plotMetrics, renderChart, renderSvg, svgToPng, textRenders } from './render.js';
export type { FontOptions, PlotFormat, PlotImage } from './render.js';
export { bandChartSpec, plotBands } from './band-spec.js';
export type { BandPoint, BandSeries } from './band-spec.js';
