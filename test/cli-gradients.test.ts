/**
 * `populace calibrate` and `populace sensitivity` end to end: mostly in process
 * through `main(argv, io)`, a few through the real bin in a child process.
 * Needs the builds: npx tsc -p packages/core/tsconfig.json && npx tsc -p packages/cli/tsconfig.json
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalibrateDocument, RunDocument, SensitivityDocument } from '@populace/cli';
import { expectUsageError, runCli, spawnCli, type CliOptions, type Outcome } from './fixtures/cli/harness.js';
import { configFile, removeTempDirs, tempProject } from './fixtures/cli/projects.js';

/** A project holding the observed CSV files the cases below read. */
let dir: string;
const cli = (argv: string[], options: Partial<CliOptions> = {}): Promise<Outcome> => runCli(argv, { cwd: dir, ...options });

const POP = ['--population', 'example/random-graph', '--agents', '2000'];
/** A cheap calibration of network-sir on small.csv (10 steps of newInfections). */
const SMALL = ['calibrate', 'network-sir', '--observed', 'small.csv', ...POP, '--seed', '3', '--param', 'seedFraction=0.01', '--params', 'beta', '--epochs', '3'];
const SENS = ['sensitivity', 'example/network-sir', ...POP, '--seed', '1', '--param', 'seedFraction=0.01', '--output', 'newInfections:sum'];

const withoutWall = (json: string): unknown => ({ ...(JSON.parse(json) as object), wallMs: 0 });

async function json<T>(argv: string[], options: Partial<CliOptions> = {}): Promise<T> {
  const r = await cli([...argv, '--json'], options);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

const SMALL_CSV = 'step,newInfections\n' + [3, 5, 8, 12, 17, 22, 28, 33, 36, 38].map((v, i) => `${i + 1},${v}`).join('\n') + '\n';

beforeAll(async () => {
  dir = await tempProject({
    'small.csv': SMALL_CSV,
    'gaps.csv': '\ufeff"day","newInfections",I\r\n2,4,\r\n5,,30\r\n\r\n9,12,41\r\n',
    'plain.csv': 'I,newInfections\n20,4\n26,6\n31,\n',
    'empty.csv': '',
    'header-only.csv': 'step,newInfections\n',
    'not-metric.csv': 'step,cases\n1,3\n2,5\n',
    'non-numeric.csv': 'step,newInfections\n1,3\n2,abc\n',
    'one-row.csv': 'step,newInfections\n1,3\n',
    'not-increasing.csv': 'step,newInfections\n1,3\n2,5\n2,6\n',
    'negative.csv': 'step,newInfections\n1,3\n2,-4\n',
  });
});
afterAll(removeTempDirs);

describe('populace calibrate', () => {
  it('recovers beta from the CSV that populace run --out wrote (and --out writes the same document)', async () => {
    const truth = ['example/network-sir', '--population', 'example/random-graph', '--agents', '3000', '--steps', '30', '--param', 'seedFraction=0.01'];
    const run = await cli(['run', ...truth, '--seed', '1', '--param', 'beta=0.06', '--json', '--out', 'obs.csv']);
    expect(run.code).toBe(0);
    const observed = (JSON.parse(run.stdout) as RunDocument).metrics;
    const doc = await json<CalibrateDocument>(['calibrate', 'example/network-sir', '--observed', 'obs.csv', '--population', 'example/random-graph', '--agents', '3000', '--seed', '2', '--param', 'beta=0.15', '--param', 'seedFraction=0.01', '--params', 'beta', '--epochs', '40', '--out', 'fit.json']);
    expect(Object.keys(doc)).toEqual(['model', 'population', 'agents', 'seed', 'backend', 'steps', 'loss', 'params', 'start', 'history', 'epochs', 'stopped', 'fit', 'observed', 'wallMs']);
    expect(doc).toMatchObject({ model: 'example/network-sir', population: 'example/random-graph', agents: 3000, seed: 2, backend: 'cpu', steps: 30, start: { beta: 0.15 } });
    expect(Object.keys(doc.params)).toEqual(['beta']);
    expect(Math.abs(doc.params.beta as number - 0.06) / 0.06).toBeLessThan(0.15);
    expect(doc.history).toHaveLength(doc.epochs);
    expect(doc.epochs).toBeLessThanOrEqual(40);
    expect(['epochs', 'converged']).toContain(doc.stopped);
    expect(doc.loss).toBe(Math.min(...doc.history));
    expect(doc.loss).toBeLessThan(doc.history[0]!);
    expect(doc.observed).toEqual(observed);
    expect(Object.keys(doc.fit)).toEqual(['S', 'I', 'R', 'newInfections']);
    for (const series of Object.values(doc.fit)) expect(series).toHaveLength(30);
    expect(doc.wallMs).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'fit.json'), 'utf8'))).toEqual(doc);
  });

  it('prints the fitted parameters, loss, epochs and observed vs fitted values without --json', async () => {
    const r = await cli(SMALL);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const text of ['example/network-sir', '2000 people', 'seedFraction=0.01*', 'small.csv: newInfections at 10 steps (10 values)', 'mse: ', '3 of 3 (ran every epoch)']) expect(r.stdout).toContain(text);
    expect(r.stdout).toMatch(/PARAMETER\s+START\s+FITTED\s+BOUNDS\nbeta\s+0\.05\s+[0-9.e-]+\s+\[0, 5\]/);
    expect(r.stdout).toMatch(/STEP\s+newInfections OBS\s+newInfections FIT/);
    expect(r.stdout).toMatch(/\n\s+7\s+28\s+\d+\n/);
    expect(r.stdout).toMatch(/\nTOTAL\s+202\s+\d+\n$/);
  });

  it('is deterministic: the same arguments give the same document apart from wallMs', async () => {
    const [a, b] = [await cli([...SMALL, '--json']), await cli([...SMALL, '--json'])];
    expect(a.code).toBe(0);
    expect(withoutWall(b.stdout)).toEqual(withoutWall(a.stdout));
  });

  it('shows one line per epoch on a terminal stderr, erased at the end; never on stdout', async () => {
    const r = await cli([...SMALL, '--json'], { isTTY: true });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ epochs: 3 });
    expect(r.stderr).toMatch(/epoch 1\/3 {2}loss [0-9.]+ {2}beta=0\.05/);
    expect(r.stderr).toContain('epoch 3/3  loss ');
    expect(r.stderr.endsWith('\r\x1b[2K')).toBe(true);
    expect(r.stderr).not.toContain('\n');
  });

  it('Ctrl-C stops between epochs: exit 130, the best parameters so far on stderr, no --out file', async () => {
    const controller = new AbortController();
    const onStderr = (text: string): void => {
      if (text.includes('epoch 2/')) controller.abort(new Error('interrupted (Ctrl-C)'));
    };
    const r = await cli([...SMALL.slice(0, -1), '50', '--out', 'aborted.json'], { isTTY: true, signal: controller.signal, onStderr });
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/\x1b\[2Kpopulace: calibrate interrupted \(Ctrl-C\) after 2 of 50 epochs; best so far: loss [0-9.]+ with beta=[0-9.]+\. Nothing was written\.\n$/);
    expect(existsSync(path.join(dir, 'aborted.json'))).toBe(false);
  });

  it('reads a day column with gaps, quotes, CRLF and a BOM, and rows without a step column as steps 1, 2, 3...', async () => {
    const gaps = await json<CalibrateDocument>([...SMALL.slice(0, 3), 'gaps.csv', ...SMALL.slice(4, -1), '1']);
    expect(gaps.steps).toBe(9);
    expect(gaps.observed).toEqual({ newInfections: [null, 4, null, null, null, null, null, null, 12], I: [null, null, null, null, 30, null, null, null, 41] });
    expect(gaps.fit.I).toHaveLength(9);
    const plain = await json<CalibrateDocument>([...SMALL.slice(0, 3), 'plain.csv', ...SMALL.slice(4, -1), '1']);
    expect(plain.observed).toEqual({ I: [20, 26, 31], newInfections: [4, 6, null] });
  });

  it('accepts negative data with the default loss mse (random-walk, no population) and refuses them with --loss poisson', async () => {
    const run = await cli(['run', 'random-walk', '--steps', '8', '--param', 'drift=-0.3', '--out', 'walk.csv']);
    expect(run.code).toBe(0);
    const doc = await json<CalibrateDocument>(['calibrate', 'random-walk', '--observed', 'walk.csv', '--params', 'drift', '--loss', 'mse', '--epochs', '5', '--learning-rate', '0.05']);
    expect(doc).toMatchObject({ model: 'example/random-walk', population: null, steps: 8, epochs: 5, start: { drift: 0 } });
    expect(doc.params.drift).toBeLessThan(0);
    expectUsageError(await cli(['calibrate', 'random-walk', '--observed', 'walk.csv', '--loss', 'poisson']), 'walk.csv row 2, column \'meanX\'', 'non-negative', 'mse');
  });
});

describe('populace sensitivity', () => {
  it('--json: the output and entries ranked by elasticity, beta above 0, finite gradients; deterministic', async () => {
    const doc = await json<SensitivityDocument>(SENS);
    expect(Object.keys(doc)).toEqual(['model', 'population', 'agents', 'steps', 'seed', 'backend', 'params', 'output', 'entries', 'estimator', 'accuracy', 'wallMs']);
    expect(doc).toMatchObject({ model: 'example/network-sir', population: 'example/random-graph', agents: 2000, steps: 30, seed: 1, backend: 'cpu' });
    // a contact network: the unbiased stochastic derivative by default, with its standard errors
    expect(doc.estimator).toBe('stochastic-derivative');
    expect(['validated', 'approximate', 'unmeasured']).toContain(doc.accuracy.status);
    expect(doc.params).toEqual({ beta: 0.05, gamma: 0.1, seedFraction: 0.01 });
    const run = (await json<RunDocument>(['run', ...SENS.slice(1, -2), '--steps', '30'])).metrics.newInfections!;
    expect(doc.output).toEqual({ metric: 'newInfections', agg: 'sum', value: run.reduce((a, b) => a + b, 0) });
    expect(doc.entries.map((e) => e.param).sort()).toEqual(['beta', 'gamma']);
    for (const e of doc.entries) {
      expect(Object.keys(e)).toEqual(['param', 'value', 'gradient', 'standardError', 'elasticity']);
      expect(Number.isFinite(e.gradient)).toBe(true);
      expect(e.standardError).toBeGreaterThan(0);
      expect(e.value).toBe(doc.params[e.param]);
    }
    expect(doc.entries.find((e) => e.param === 'beta')!.elasticity).toBeGreaterThan(0);
    const sizes = doc.entries.map((e) => Math.abs(e.elasticity!));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(withoutWall((await cli([...SENS, '--json'])).stdout)).toEqual(withoutWall(JSON.stringify(doc)));
  });

  it('defaults to the first metric summed over 30 steps; --params and --output agg narrow it', async () => {
    const doc = await json<SensitivityDocument>(['sensitivity', 'random-walk', '--steps', '4']);
    expect(doc).toMatchObject({ population: null, steps: 4, output: { metric: 'meanX', agg: 'sum' } });
    expect(doc.entries.map((e) => e.param).sort()).toEqual(['drift', 'speed']);
    const one = await json<SensitivityDocument>(['sensitivity', 'random-walk', '--output', 'meanAbsX:last', '--params', 'speed']);
    expect(one).toMatchObject({ steps: 30, output: { metric: 'meanAbsX', agg: 'last' } });
    expect(one.entries.map((e) => e.param)).toEqual(['speed']);
    // meanAbsX is proportional to speed when drift = 0: elasticity 1
    expect(one.entries[0]!.elasticity).toBeCloseTo(1, 4);
  });

  it('prints the output value and a ranked table without --json', async () => {
    const r = await cli(SENS);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/output\s+newInfections:sum = \d+/);
    expect(r.stdout).toMatch(/estimator\s+stochastic-derivative\n/);
    expect(r.stdout).toMatch(/accuracy\s+(validated|approximate|unmeasured): /);
    expect(r.stdout).toMatch(/RANK\s+PARAMETER\s+VALUE\s+d newInfections:sum \/ d PARAM\s+STD ERROR\s+ELASTICITY\n\s+1\s+beta\s+0\.05\s+[0-9.e+]+\s+[0-9.e+]+\s+[0-9.]+\n\s+2\s+gamma\s+0\.1\s+-/);
  });

  it('--estimator straight-through gives the one-reverse-pass gradient and names it; a bad estimator is exit 2', async () => {
    const doc = await json<SensitivityDocument>([...SENS, '--estimator', 'straight-through']);
    expect(doc.estimator).toBe('straight-through');
    for (const e of doc.entries) expect(Object.keys(e)).toEqual(['param', 'value', 'gradient', 'elasticity']);
    expectUsageError(await cli([...SENS, '--estimator', 'exact']), '--estimator', 'straight-through', '"exact"');
    expectUsageError(await cli([...SENS, '--replicates', '0']), 'replicates');
  });

  it('--allocation adaptive: the stochastic derivative with a pilot replicate, deterministic; bad values are exit 2', async () => {
    const args = [...SENS, '--params', 'beta', '--replicates', '3', '--allocation', 'adaptive'];
    const doc = await json<SensitivityDocument>(args);
    expect(doc.estimator).toBe('stochastic-derivative');
    expect(doc.entries[0]!.standardError).toBeGreaterThan(0);
    expect(Number.isFinite(doc.entries[0]!.gradient)).toBe(true);
    expect(withoutWall((await cli([...args, '--json'])).stdout)).toEqual(withoutWall(JSON.stringify(doc)));
    // another allocation of the same cost: another estimate of the same derivative
    const uniform = await json<SensitivityDocument>([...SENS, '--params', 'beta', '--replicates', '3']);
    expect(uniform.entries[0]!.gradient).not.toBe(doc.entries[0]!.gradient);
    expectUsageError(await cli([...SENS, '--allocation', 'neyman']), '--allocation', 'uniform or adaptive', '"neyman"');
    expectUsageError(await cli([...SENS, '--allocation', 'adaptive', '--replicates', '1']), '--allocation adaptive needs --replicates 2 or more');
  });

  it('Ctrl-C during the stochastic derivative stops it: exit 130 after the forward run, nothing on stdout', async () => {
    // 400 replicates x 30 x 31 alternative steps would take minutes; the forward run of 30 steps well under the 4 s
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 4000);
    const r = await cli([...SENS, '--params', 'beta', '--replicates', '400'], { signal: controller.signal }).finally(() => clearTimeout(timer));
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('sensitivity interrupted (Ctrl-C) after 30 of 30 steps');
  });
});

describe('bad input: exit 2 and one line on stderr naming the value', () => {
  const cal = ['calibrate', 'network-sir', '--observed', 'small.csv', ...POP];
  const obs = (file: string): string[] => ['calibrate', 'network-sir', '--observed', file, ...POP];
  const cases: [string, string[], string[]][] = [
    ['missing --observed', ['calibrate', 'network-sir', ...POP], ['missing --observed']],
    ['missing model', ['calibrate', '--observed', 'small.csv'], ['missing the model']],
    ['nonexistent file', obs('nope.csv'), ['"nope.csv"', 'does not exist']],
    ['a directory', obs('.'), ['"."', 'directory']],
    ['empty file', obs('empty.csv'), ['empty.csv', 'empty']],
    ['header only', obs('header-only.csv'), ['header-only.csv', 'no data rows']],
    ['column not a metric', obs('not-metric.csv'), ['not-metric.csv row 1', "'cases'", 'S, I, R, newInfections']],
    ['non-numeric cell', obs('non-numeric.csv'), ['non-numeric.csv row 3', "column 'newInfections'", '"abc"']],
    ['one data row', obs('one-row.csv'), ['one-row.csv', 'only 1 data row', 'at least 2']],
    ['non-increasing steps', obs('not-increasing.csv'), ['not-increasing.csv row 4', "column 'step'", 'strictly increasing', '2']],
    ['negative counts with --loss poisson', [...obs('negative.csv'), '--loss', 'poisson'], ['negative.csv row 3', "column 'newInfections'", '-4', 'mse']],
    ['--epochs 0', [...cal, '--epochs', '0'], ['--epochs', '"0"']],
    ['--epochs abc', [...cal, '--epochs', 'abc'], ['--epochs', '"abc"']],
    ['--learning-rate -1', [...cal, '--learning-rate', '-1'], ['--learning-rate', '"-1"', 'positive']],
    ['--loss unknown', [...cal, '--loss', 'poison'], ['"poison"', "Did you mean 'poisson'"]],
    ['--params unknown', [...cal, '--params', 'betta'], ["'betta'", "Did you mean 'beta'"]],
    ['--params not learnable', [...cal, '--params', 'beta,seedFraction'], ["'seedFraction'", 'not learnable', 'beta, gamma']],
    ['--params empty entry', [...cal, '--params', 'beta,'], ['--params', '"beta,"']],
    ['calibrate --out .csv', [...cal, '--out', 'fit.csv'], ['"fit.csv"', '.json']],
    ['sensitivity unknown metric', ['sensitivity', 'network-sir', ...POP, '--output', 'cases'], ['"cases"', 'S, I, R, newInfections']],
    ['sensitivity unknown aggregate', ['sensitivity', 'network-sir', ...POP, '--output', 'I:median'], ['"median"', 'sum, mean, max, min, last']],
    ['sensitivity --steps 0', ['sensitivity', 'random-walk', '--steps', '0'], ['--steps', '"0"']],
    ['sensitivity --params not learnable', ['sensitivity', 'network-sir', ...POP, '--params', 'seedFraction'], ["'seedFraction'", 'not learnable']],
    ['sensitivity unknown option', ['sensitivity', 'random-walk', '--out', 'x.json'], ["'--out'", 'populace sensitivity']],
  ];
  it.each(cases)('%s', async (_name, argv, mentions) => {
    expectUsageError(await cli(argv), ...mentions);
  });

  it('a model without learnable parameters cannot be calibrated or differentiated', async () => {
    const project = await tempProject({ ...configFile('mover'), 'm.csv': 'meanX\n1\n2\n' });
    expectUsageError(await cli(['calibrate', 'mover', '--observed', 'm.csv'], { cwd: project }), "'cfg/mover'", 'no learnable parameters');
    expectUsageError(await cli(['sensitivity', 'mover'], { cwd: project }), "'cfg/mover'", 'no learnable parameters');
  });

  it('checks everything before writing anything', async () => {
    const before = readdirSync(dir).sort();
    expectUsageError(await cli([...obs('negative.csv'), '--loss', 'poisson', '--out', 'never.json']));
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});

describe('help', () => {
  it('lists both commands and documents their options', async () => {
    const top = await cli(['--help']);
    for (const c of ['calibrate <model>', 'sensitivity <model>']) expect(top.stdout).toContain(c);
    const cal = await cli(['calibrate', '--help']);
    for (const text of ['Usage: populace calibrate', '--observed', '--params', '--epochs', '--loss', '--learning-rate', 'default 100', 'mse, poisson, negative-binomial', '--learnable', '--population', '--param', '--json', '--out']) expect(cal.stdout.replace(/\s+/g, ' ')).toContain(text);
    const sens = await cli(['help', 'sensitivity']);
    for (const text of ['Usage: populace sensitivity', '--output', 'sum, mean, max, min, last', '--steps', 'default 30', '--params', '--allocation uniform|adaptive', 'uniform (default) or adaptive']) expect(sens.stdout.replace(/\s+/g, ' ')).toContain(text);
  });
});

describe('the bin in a child process', () => {
  it('calibrate --json prints exactly one JSON document and exits 0', async () => {
    const r = await spawnCli([...SMALL.slice(0, -1), '1', '--json'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.endsWith('}\n')).toBe(true);
    expect(JSON.parse(r.stdout)).toMatchObject({ model: 'example/network-sir', epochs: 1, steps: 10 });
  });

  it('sensitivity with a bad --output exits 2 with one line', async () => {
    expectUsageError(await spawnCli(['sensitivity', 'random-walk', '--output', 'meanX:median'], dir), '"median"');
  });

  it('Ctrl-C stops a calibration with exit 130', async () => {
    // 20,000 agents: 1000 epochs cannot end before the Ctrl-C (at 2,000 a fast machine could converge first)
    const argv = ['calibrate', 'network-sir', '--observed', 'obs-long.csv', '--population', 'example/random-graph', '--agents', '20000', '--epochs', '1000', '--loss', 'mse'];
    const project = await tempProject({ 'obs-long.csv': 'newInfections\n' + Array.from({ length: 60 }, (_, i) => String(i)).join('\n') + '\n' });
    const r = await spawnCli(argv, project, {}, (pid) => setTimeout(() => process.kill(pid, 'SIGINT'), 2000));
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    // nothing on stderr when the Ctrl-C came while the CLI was still loading (a slow machine)
    expect(r.stderr).toMatch(/^(populace: calibrate(:)? (interrupted|aborted)[^\n]*\n)?$/);
  });
});
