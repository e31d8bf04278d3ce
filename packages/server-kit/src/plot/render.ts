/**
 * Rendering Vega-Lite specs without a browser: vega-lite compiles the spec,
 * vega renders it headless (renderer 'none') to SVG, and resvg rasterises
 * the SVG to PNG with the system's fonts (DejaVu Sans where installed).
 */
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { PopulaceError } from '@populace/core';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe } from '../describe.js';
import { metricsChartSpec, type ChartOptions, type PlotSeries } from './spec.js';

/** Image formats of plots. */
export type PlotFormat = 'png' | 'svg';
export const PLOT_FORMATS: readonly PlotFormat[] = ['png', 'svg'];

/** Font options of the PNG rasteriser. */
export interface FontOptions {
  /** Font files to load in addition to (or, with `loadSystemFonts: false`, instead of) the system's. */
  readonly fontFiles?: readonly string[] | undefined;
  /** Default true. */
  readonly loadSystemFonts?: boolean | undefined;
}

/** Renders a Vega-Lite spec to an SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  let view: vega.View | undefined;
  try {
    view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
    return await view.toSVG();
  } catch (error) {
    throw new PopulaceError('invalid-argument', `plot: the chart could not be rendered (${(error as Error).message}). Check the spec.`, { cause: error });
  } finally {
    view?.finalize();
  }
}

function resvgFont(fonts: FontOptions) {
  return { loadSystemFonts: fonts.loadSystemFonts ?? true, fontFiles: [...(fonts.fontFiles ?? [])], defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' };
}

const fontCheck = new Map<string, boolean>();

/**
 * Whether the rasteriser finds a font to draw text with (checked once per font setting by
 * rendering a word and looking for ink). Without one, PNG plots have lines but no text.
 */
export function textRenders(fonts: FontOptions = {}): boolean {
  const key = JSON.stringify(resvgFont(fonts));
  let ok = fontCheck.get(key);
  if (ok === undefined) {
    const probe = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text x="4" y="30" font-family="sans-serif" font-size="28" fill="black">Ag</text></svg>';
    const pixels = new Resvg(probe, { background: 'white', font: resvgFont(fonts) }).render().pixels;
    ok = false;
    for (let i = 0; i < pixels.length && !ok; i += 4) ok = pixels[i]! < 128;
    fontCheck.set(key, ok);
  }
  return ok;
}

/** Rasterises an SVG document to PNG at `scale` times its size (default 2, for sharp text). */
export function svgToPng(svg: string, options: { readonly scale?: number | undefined } & FontOptions = {}): { png: Uint8Array; width: number; height: number } {
  const scale = options.scale ?? 2;
  if (typeof scale !== 'number' || !(scale > 0 && scale <= 8)) throw new PopulaceError('invalid-argument', `plot: scale expected a number in (0, 8], received ${describe(scale)}.`);
  const image = new Resvg(svg, { background: 'white', font: resvgFont(options), fitTo: { mode: 'zoom', value: scale } }).render();
  return { png: new Uint8Array(image.asPng()), width: image.width, height: image.height };
}

/** A rendered plot. */
export interface PlotImage {
  readonly format: PlotFormat;
  readonly mimeType: 'image/png' | 'image/svg+xml';
  /** PNG bytes, or the SVG document. */
  readonly data: Uint8Array | string;
  /** Pixel size of the image. */
  readonly width: number;
  readonly height: number;
  /** The Vega-Lite spec drawn (data inline), for clients that render it themselves. */
  readonly spec: TopLevelSpec;
  /** Anything the reader should know (e.g. no font found: the PNG has no text). */
  readonly warnings: readonly string[];
}

/**
 * Plots metric series as PNG or SVG.
 *
 * @example
 * ```ts
 * const image = await plotMetrics([{ label: 'run-1', metrics: { I: [1, 5, 9, 4] } }], { format: 'png', title: 'Infected' });
 * await writeFile('infected.png', image.data);
 * ```
 */
export async function plotMetrics(series: readonly PlotSeries[], options: ChartOptions & FontOptions & { readonly format?: PlotFormat | undefined; readonly scale?: number | undefined } = {}): Promise<PlotImage> {
  const format = options.format ?? 'png';
  if (!PLOT_FORMATS.includes(format)) throw new PopulaceError('invalid-argument', `plot: format expected one of ${PLOT_FORMATS.join(', ')}, received ${describe(format)}.`);
  return renderChart(metricsChartSpec(series, options), { ...options, format });
}

/** Renders a Vega-Lite spec as PNG or SVG (what plotMetrics and plotBands share). */
export async function renderChart(spec: TopLevelSpec, options: FontOptions & { readonly format: PlotFormat; readonly scale?: number | undefined }): Promise<PlotImage> {
  const { format } = options;
  const svg = await renderSvg(spec);
  const [, w, h] = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg) ?? [];
  if (format === 'svg') return { format, mimeType: 'image/svg+xml', data: svg, width: Number(w), height: Number(h), spec, warnings: [] };
  const { png, width, height } = svgToPng(svg, options);
  const warnings = textRenders(options) ? [] : ['no font was found for the text (install fonts-dejavu-core, or pass fontFiles): the PNG shows the lines without titles, labels or legend.'];
  return { format, mimeType: 'image/png', data: png, width, height, spec, warnings };
}

/** The plot format a file name asks for (.png or .svg); anything else throws. */
export function plotFormatOf(file: string): PlotFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.png' || ext === '.svg') return ext.slice(1) as PlotFormat;
  throw new PopulaceError('invalid-argument', `plot file: expected a name ending in .png or .svg, received ${describe(file)}${ext ? ` (extension '${ext}')` : ' (no extension)'}. Name it plot.png or plot.svg.`, { details: { received: file } });
}
