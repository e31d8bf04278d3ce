/**
 * `populace run --plot`: the CLI draws its metrics with @populace/server-kit/plot.
 * Needs the builds of core, server-kit and cli.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectUsageError, runCli } from './fixtures/cli/harness.js';
import { removeTempDirs, tempProject } from './fixtures/cli/projects.js';

let dir: string;
beforeAll(async () => {
  dir = await tempProject();
});
afterAll(removeTempDirs);

const RUN = ['run', 'example/network-sir', '--population', 'example/random-graph', '--agents', '2000', '--steps', '12', '--seed', '3', '--param', 'seedFraction=0.01'];

describe('populace run --plot', () => {
  it('writes a PNG whose header has the chart size, and an SVG with the metrics and title', async () => {
    const png = await runCli([...RUN, '--plot', 'sir.png', '--json'], { cwd: dir });
    expect(png.code).toBe(0);
    expect(png.stderr).toBe('');
    const bytes = readFileSync(path.join(dir, 'sir.png'));
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.subarray(12, 16).toString()).toBe('IHDR');
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(1000);
    expect(bytes.readUInt32BE(20)).toBeGreaterThan(1000);
    const svg = await runCli([...RUN, '--plot', 'sir.svg'], { cwd: dir });
    expect(svg.code).toBe(0);
    const text = readFileSync(path.join(dir, 'sir.svg'), 'utf8');
    expect(text).toContain('>example/network-sir on example/random-graph: 2000 agents, seed 3</text>');
    for (const metric of ['S', 'I', 'R', 'newInfections']) expect(text).toContain(`>${metric}</text>`);
    // one line per metric, through every step
    const lines = [...text.matchAll(/<g[^>]*class="mark-line role-mark[^"]*"[^>]*>(.*?)<\/g>/g)].map((g) => /d="([^"]+)"/.exec(g[1]!)![1]!);
    expect(lines.map((d) => d.match(/[ML]/g)!.length)).toEqual([12, 12, 12, 12]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses another extension or a missing directory before running (exit 2)', async () => {
    expectUsageError(await runCli([...RUN, '--plot', 'chart.jpg'], { cwd: dir }), '--plot: expected a file ending in .png or .svg', '"chart.jpg"');
    expectUsageError(await runCli([...RUN, '--plot', 'nowhere/chart.png'], { cwd: dir }), '--plot nowhere/chart.png: the directory');
    expect(existsSync(path.join(dir, 'chart.jpg'))).toBe(false);
  });

  it('draws only the metrics named by --plot-metrics, and refuses bad lists (exit 2, no file)', async () => {
    const ok = await runCli([...RUN, '--plot', 'two.svg', '--plot-metrics', 'I,newInfections'], { cwd: dir });
    expect(ok.code).toBe(0);
    const text = readFileSync(path.join(dir, 'two.svg'), 'utf8');
    const lines = [...text.matchAll(/<g[^>]*class="mark-line role-mark[^"]*"[^>]*>/g)];
    expect(lines).toHaveLength(2);
    for (const metric of ['I', 'newInfections']) expect(text).toContain(`>${metric}</text>`);
    expect(text).not.toContain('>S</text>');
    expectUsageError(await runCli([...RUN, '--plot', 'bad.svg', '--plot-metrics', 'I,Q'], { cwd: dir }), "--plot-metrics: 'Q' is not a metric of example/network-sir", '[S, I, R, newInfections]');
    expectUsageError(await runCli([...RUN, '--plot', 'bad.svg', '--plot-metrics', 'I,,R'], { cwd: dir }), '--plot-metrics expected comma-separated metric names');
    expectUsageError(await runCli([...RUN, '--plot-metrics', 'I'], { cwd: dir }), '--plot-metrics needs --plot');
    expect(existsSync(path.join(dir, 'bad.svg'))).toBe(false);
  });
});
