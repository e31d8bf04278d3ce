/**
 * `--backend webgpu` through the CLI: `populace run`, `calibrate` and
 * `sensitivity` give the cpu's results for the same seed (within
 * float32 tolerance where the GPU's arithmetic differs). Skips where Dawn finds
 * no adapter, unless POPULACE_REQUIRE_WEBGPU=1 (CI). Needs the builds of every
 * package the CLI loads.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalibrateDocument, RunDocument, SensitivityDocument } from '@populace/cli';
import { detectWebgpuAdapter, tf } from '@populace/core';
import { expectUsageError, runCli, runJsonWith, type Outcome } from './fixtures/cli/harness.js';
import { removeTempDirs, tempProject } from './fixtures/cli/projects.js';

const adapter = await detectWebgpuAdapter();
const REQUIRE = process.env['POPULACE_REQUIRE_WEBGPU'] === '1';
if (!adapter.available && !REQUIRE) console.warn(`webgpu CLI tests skipped: ${adapter.description}`);
const suite = adapter.available || REQUIRE ? describe : describe.skip;

let dir: string;
const cli = (argv: string[]): Promise<Outcome> => runCli(argv, { cwd: dir });
const RUN = ['run', 'example/network-sir', '--population', 'example/random-graph', '--agents', '20000', '--steps', '12', '--seed', '5', '--param', 'seedFraction=0.01'];

beforeAll(async () => {
  dir = await tempProject({ 'observed.csv': 'step,newInfections\n1,3\n2,4\n3,6\n' });
});
afterAll(async () => {
  await tf.setBackend('cpu');
  await removeTempDirs();
});

suite('populace --backend webgpu', () => {
  it('finds an adapter (required in CI)', () => {
    expect(adapter.available).toBe(true);
  });

  it('run: the same daily counts as --backend cpu, and the document names the backend', async () => {
    const cpu = await runJsonWith<RunDocument>(cli, [...RUN, '--backend', 'cpu']);
    const gpu = await runJsonWith<RunDocument>(cli, [...RUN, '--backend', 'webgpu']);
    expect(gpu.backend).toBe('webgpu');
    expect(cpu.metrics['I']!.some((v) => v > 0)).toBe(true);
    expect(gpu.metrics).toEqual(cpu.metrics);
  });

  it('run --snapshot: read between steps on the GPU, the values of --backend cpu, summing to the metrics', async () => {
    const snap = (backend: string) => [...RUN, '--backend', backend, '--snapshot', 'infected,recovered,age@4,12', '--snapshot-out', `agents-${backend}.json`];
    const cpu = await runJsonWith<RunDocument>(cli, snap('cpu'));
    const gpu = await runJsonWith<RunDocument>(cli, snap('webgpu'));
    expect(gpu.backend).toBe('webgpu');
    const read = (backend: string) => JSON.parse(readFileSync(path.join(dir, `agents-${backend}.json`), 'utf8')) as { steps: number[]; columns: { name: string; values: number[][] }[] };
    const [c, g] = [read('cpu'), read('webgpu')];
    expect(g).toEqual(c);
    g.steps.forEach((step, k) => expect(g.columns[0]!.values[k]!.reduce((a, b) => a + b, 0)).toBe(gpu.metrics['I']![step - 1]));
  });

  it('calibrate: the loss of every epoch and the fitted parameter of --backend cpu', async () => {
    const calibrate = ['calibrate', 'example/network-sir', '--observed', 'observed.csv', '--population', 'example/random-graph', '--agents', '2000', '--params', 'beta', '--epochs', '2', '--seed', '3'];
    const cpu = await runJsonWith<CalibrateDocument>(cli, [...calibrate, '--backend', 'cpu']);
    const gpu = await runJsonWith<CalibrateDocument>(cli, [...calibrate, '--backend', 'webgpu']);
    expect(gpu.backend).toBe('webgpu');
    expect(gpu.history).toHaveLength(cpu.history.length);
    gpu.history.forEach((l, i) => expect(Math.abs(l - cpu.history[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(cpu.history[i]!))));
    expect(gpu.params['beta']).toBeCloseTo(cpu.params['beta'] as number, 5);
    expect(gpu.fit).toEqual(cpu.fit);
  });

  it('sensitivity (the stochastic derivative on a contact network): the cpu estimates within float32 tolerance', async () => {
    const sens = ['sensitivity', 'example/network-seir', '--population', 'example/random-graph', '--agents', '2000', '--steps', '6', '--seed', '1'];
    const cpu = await runJsonWith<SensitivityDocument>(cli, [...sens, '--backend', 'cpu']);
    const gpu = await runJsonWith<SensitivityDocument>(cli, [...sens, '--backend', 'webgpu']);
    expect(gpu.backend).toBe('webgpu');
    expect(gpu.estimator).toBe('stochastic-derivative');
    expect(gpu.output).toEqual(cpu.output);
    const byParam = new Map(cpu.entries.map((e) => [`${e.param}/${e.index ?? ''}`, e]));
    expect(cpu.entries.some((e) => e.gradient !== 0)).toBe(true);
    for (const e of gpu.entries) {
      const c = byParam.get(`${e.param}/${e.index ?? ''}`)!;
      // float32 differences in the event probabilities move the flip rates slightly, never the path picked here
      expect(Math.abs(e.gradient - c.gradient)).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(c.gradient)) + 0.01 * (c.standardError ?? 0));
    }
  });
});
