/**
 * The epidemiology models through the CLI: `populace run epi/covid --population nyc
 * --agents 100000 --steps 60 --seed 1 --json` and its bad inputs (exit 2, one line).
 * Loads the built plugins of @populace/models-epi and @populace/populations through a
 * populace.config.js in a temporary project.
 * Needs the builds: npx tsc -p packages/core/tsconfig.json && npx tsc -p packages/cli/tsconfig.json
 * && npx tsc -p packages/populations/tsconfig.json && npx tsc -p packages/models-epi/tsconfig.json
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDocument } from '@populace/cli';
import { expectUsageError, runCli, runJsonWith, type Outcome } from './fixtures/cli/harness.js';
import { CORE_URL, removeTempDirs, tempProject } from './fixtures/cli/projects.js';

const EPI_URL = new URL('../packages/models-epi/dist/plugin.js', import.meta.url).href;
const POPULATIONS_URL = new URL('../packages/populations/dist/plugin.js', import.meta.url).href;

let dir: string;
const cli = (argv: string[]): Promise<Outcome> => runCli(argv, { cwd: dir });

const runJson = (argv: string[]): Promise<RunDocument> => runJsonWith(cli, ['run', ...argv]);

beforeAll(async () => {
  dir = await tempProject({
    'populace.config.js': [
      `import { defineConfig } from ${JSON.stringify(CORE_URL)};`,
      `import epi from ${JSON.stringify(EPI_URL)};`,
      `import populations from ${JSON.stringify(POPULATIONS_URL)};`,
      'export default defineConfig({ plugins: [populations, epi] });',
      '',
    ].join('\n'),
  });
});
afterAll(removeTempDirs);

describe('populace run epi/* (CLI)', () => {
  it('run epi/covid --population nyc --agents 100000 --steps 60 --seed 1 --json: the metrics per day, agents conserved', async () => {
    const doc = await runJson(['epi/covid', '--population', 'nyc', '--agents', '100000', '--steps', '60', '--seed', '1']);
    expect(doc).toMatchObject({ model: 'epi/covid', population: 'populations/nyc', agents: 100_000, steps: 60, seed: 1 });
    const m = doc.metrics;
    for (const name of ['newInfections', 'S', 'E', 'I', 'R', 'M', 'deaths', 'testsUsed', 'positives', 'isolated', 'dosesGiven', 'cost']) expect(m[name]).toHaveLength(60);
    for (let t = 0; t < 60; t++) expect(m.S![t]! + m.E![t]! + m.I![t]! + m.R![t]! + m.M![t]!).toBe(100_000);
    expect(m.newInfections!.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
  }, 300_000);

  it('runs epi/sir and epi/seir on the well-mixed population (homogeneous mode) with --param overrides', async () => {
    const sir = await runJson(['epi/sir', '--population', 'well-mixed', '--agents', '5000', '--steps', '30', '--seed', '2', '--param', 'beta=0.5', '--param', 'seedInfections=20']);
    expect(sir.params).toMatchObject({ beta: 0.5, gamma: 0.1, seedInfections: 20 });
    expect(Object.keys(sir.metrics)).toEqual(['S', 'I', 'R', 'newInfections']);
    expect(sir.metrics.R!.at(-1)).toBeGreaterThan(100);
    const seir = await runJson(['epi/seir', '--population', 'well-mixed', '--agents', '5000', '--steps', '10']);
    expect(Object.keys(seir.metrics)).toEqual(['S', 'E', 'I', 'R', 'newInfections']);
  });

  it('describes epi/covid with its parameters (bounds) and metrics', async () => {
    const r = await cli(['models', 'epi/covid', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { parameters: Record<string, { bounds: [number | null, number | null]; learnable: boolean }>; metrics: unknown };
    expect(doc.parameters.testTurnaround!.bounds).toEqual([0, 60]);
    expect(doc.parameters.R!.learnable).toBe(true);
    expect(JSON.stringify(doc.metrics)).toContain('dosesGiven');
  });
});

describe('bad input to epi models: exit 2 and one line on stderr', () => {
  const covid = ['run', 'epi/covid', '--steps', '2'];
  const cases: [string, string[], string[]][] = [
    ['unknown population', [...covid, '--population', 'gotham'], ["'gotham'", 'populations/nyc']],
    ['unknown borough', [...covid, '--population', 'nyc:hoboken'], ["'nyc:hoboken'"]],
    ['agents 0', [...covid, '--population', 'nyc', '--agents', '0'], ['--agents', '"0"']],
    ['agents negative', [...covid, '--population', 'nyc', '--agents', '-100'], ['--agents', '"-100"']],
    ['agents above the limit of nyc', [...covid, '--population', 'nyc', '--agents', '100000001'], ['100000001', "'populations/nyc'"]],
    ['negative test turnaround', [...covid, '--param', 'testTurnaround=-1'], ["'testTurnaround'", '[0, 60]', '-1']],
    ['fractional test turnaround', [...covid, '--param', 'testTurnaround=0.5'], ["'testTurnaround'", 'whole number']],
    ['probability above 1', [...covid, '--param', 'testSensitivity=1.5'], ["'testSensitivity'", '[0, 1]']],
    ['negative false-positive rate', [...covid, '--param', 'testFalsePositiveRate=-0.1'], ["'testFalsePositiveRate'"]],
    ['negative doses', [...covid, '--param', 'dosesPerDay=-5'], ["'dosesPerDay'"]],
    ['R of the wrong length', [...covid, '--param', 'R=2,2'], ["'R'", 'array of 9 numbers']],
    ['negative beta (sir)', ['run', 'epi/sir', '--steps', '2', '--param', 'beta=-0.3'], ["'beta'", '[0, 50]']],
    ['negative gamma (seir)', ['run', 'epi/seir', '--steps', '2', '--param', 'gamma=-1'], ["'gamma'"]],
    ['more seeds than agents', ['run', 'epi/sir', '--agents', '50', '--steps', '2', '--param', 'seedInfections=51'], ["'seedInfections'", '[0, 50]']],
  ];
  it.each(cases)('%s', async (_name, argv, mentions) => {
    expectUsageError(await cli(argv), ...mentions);
  });
});
