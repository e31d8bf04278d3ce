/**
 * `--backend webgpu` through the CLI: `populace run` gives the cpu's run for the
 * same seed; a command that reads the GPU synchronously (calibrate) exits 2
 * with a one-line reason. Skips where Dawn finds no adapter, unless
 * POPULACE_REQUIRE_WEBGPU=1 (CI). Needs the builds of @populace/core and @populace/cli.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDocument } from '@populace/cli';
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

  it('calibrate (synchronous reads) exits 2 saying why and what to use instead', async () => {
    const r = await cli(['calibrate', 'example/network-sir', '--observed', 'observed.csv', '--population', 'example/random-graph', '--agents', '2000', '--params', 'beta', '--epochs', '1', '--backend', 'webgpu']);
    expectUsageError(r, 'webgpu', 'asynchronous', '--backend cpu');
  });
});
