import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { metricsChartSpec, plotFormatOf, plotMetrics, renderSvg, svgToPng, textRenders } from './index.js';

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(view.getUint32(8)).toBe(13);
  expect(String.fromCharCode(...bytes.subarray(12, 16))).toBe('IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

const ramp = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
const SERIES = [
  { label: 'baseline', metrics: { I: ramp(80, (i) => 100 * Math.exp(-((i - 30) ** 2) / 200)), R: ramp(80, (i) => i * 10) } },
  { label: 'distancing', metrics: { I: ramp(80, (i) => 60 * Math.exp(-((i - 45) ** 2) / 300)), R: ramp(80, (i) => i * 6) } },
];

describe('plots', () => {
  it('a PNG is a valid PNG whose header size is the size reported, with text drawn', async () => {
    const image = await plotMetrics(SERIES, { metrics: ['I'], title: 'Infected', format: 'png' });
    expect(image.mimeType).toBe('image/png');
    const bytes = image.data as Uint8Array;
    expect(pngSize(bytes)).toEqual({ width: image.width, height: image.height });
    expect(image.width).toBeGreaterThan(640);
    expect(image.warnings).toEqual([]);
    expect(textRenders()).toBe(true);
  });

  it('without fonts the PNG says the text is missing', async () => {
    expect(textRenders({ loadSystemFonts: false })).toBe(false);
    const image = await plotMetrics(SERIES, { metrics: ['I'], format: 'png', loadSystemFonts: false });
    expect(image.warnings[0]).toMatch(/no font was found/);
  });

  it('the SVG holds one line per series and metric, the title and the legend, at the data values', async () => {
    const image = await plotMetrics(SERIES, { title: 'Two scenarios', format: 'svg' });
    const svg = image.data as string;
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('>Two scenarios</text>');
    expect(svg).toContain('>baseline</text>');
    expect(svg).toContain('>distancing</text>');
    // two panels (I, R) x two series = four line paths, each through 80 points
    const lines = [...svg.matchAll(/<g[^>]*class="mark-line role-mark[^"]*"[^>]*>(.*?)<\/g>/g)].flatMap((g) => [...g[1]!.matchAll(/<path[^>]* d="([^"]+)"/g)].map((p) => p[1]!));
    expect(lines).toHaveLength(4);
    for (const d of lines) expect(d.match(/[ML]/g)!.length).toBe(80);
    // the spec carries the data: 2 series x 2 metrics x 80 steps
    const values = (image.spec as { data: { values: { step: number; value: number; series: string; metric: string }[] } }).data.values;
    expect(values).toHaveLength(320);
    expect(values.find((v) => v.series === 'distancing' && v.metric === 'R' && v.step === 11)!.value).toBe(60);
  });

  it('the spec leaves out non-finite values, and non-positive ones on a log scale', () => {
    const spec = metricsChartSpec([{ label: 'a', metrics: { x: [1, Number.NaN, 0, 4] }, steps: [10, 20, 30, 40] }], { logScale: true }) as unknown as { data: { values: { step: number }[] } };
    expect(spec.data.values.map((v) => v.step)).toEqual([10, 40]);
  });

  it('refuses bad input with the fix', async () => {
    expect(() => metricsChartSpec([])).toThrow(/expected at least one series/);
    expect(() => metricsChartSpec([{ label: 'a', metrics: { I: [1] } }, { label: 'a', metrics: { I: [1] } }])).toThrow(/two series are labelled 'a'/);
    expect(() => metricsChartSpec(SERIES, { metrics: ['deaths'] })).toThrow(/metric "deaths" is not a metric of every series; expected one of \[I, R\]/);
    expect(() => metricsChartSpec(SERIES, { width: 10 })).toThrow(/width expected an integer number of pixels in \[50, 4000\]/);
    await expect(plotMetrics(SERIES, { format: 'gif' as never })).rejects.toThrow(/format expected one of png, svg/);
    expect(() => svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', { scale: 0 })).toThrow(/scale expected a number in \(0, 8\]/);
    expect(plotFormatOf('out/chart.PNG')).toBe('png');
    expect(plotFormatOf('chart.svg')).toBe('svg');
    expect(() => plotFormatOf('chart.jpg')).toThrow(/expected a name ending in .png or .svg, received "chart.jpg" \(extension '.jpg'\)/);
    await expect(renderSvg({ mark: 'nope' } as never)).rejects.toThrow(/could not be rendered/);
  });

  it('the plot entry point never reaches the SQLite store (the CLI imports it)', () => {
    const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) visit(path.resolve(path.dirname(file), m[1]!));
    };
    visit(path.join(dist, 'plot/index.js'));
    const files = [...seen].map((f) => path.relative(dist, f));
    expect(files).toContain('plot/render.js');
    expect(files.filter((f) => /sqlite|run-store|store-/.test(f))).toEqual([]);
    expect([...seen].some((f) => readFileSync(f, 'utf8').includes('better-sqlite3'))).toBe(false);
  });
});
