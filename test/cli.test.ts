/**
 * @populace/cli end to end: most cases through the in-process `main(argv, io)`,
 * a few through the real bin in a child process.
 * Needs the builds: npx tsc -p packages/core/tsconfig.json && npx tsc -p packages/cli/tsconfig.json
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDocument } from '@populace/cli';
import { examplePlugin } from '@populace/core/examples';
import { expectUsageError, runCli, spawnCli, type CliOptions, type Outcome } from './fixtures/cli/harness.js';
import { configFile, pluginPackage, removeTempDirs, tempProject } from './fixtures/cli/projects.js';

let emptyDir: string;
/** The built-in example plugin's model ids, in its order (the CLI always loads it last). */
const EXAMPLE_MODELS = examplePlugin.models.map((m) => `example/${m.id}`);

/** The CLI in process, in an empty project unless told otherwise. */
const cli = (argv: string[], options: Partial<CliOptions> = {}): Promise<Outcome> => runCli(argv, { cwd: emptyDir, ...options });

async function runJson(argv: string[], cwd?: string): Promise<RunDocument> {
  const r = await cli(['run', ...argv, '--json'], cwd === undefined ? {} : { cwd });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as RunDocument;
}

const SIR = ['run', 'example/network-sir', '--population', 'example/random-graph', '--agents', '2000', '--steps', '5'];

beforeAll(async () => {
  emptyDir = await tempProject();
});
afterAll(removeTempDirs);

describe('populace models / populations', () => {
  it('models --json lists the example models with parameters and metric names', async () => {
    const r = await cli(['models', '--json']);
    expect(r.code).toBe(0);
    const models = JSON.parse(r.stdout) as { id: string; plugin: string; parameters: Record<string, unknown>; metrics: string[] }[];
    expect(models.map((m) => m.id)).toEqual(EXAMPLE_MODELS);
    expect(EXAMPLE_MODELS).toEqual(expect.arrayContaining(['example/network-sir', 'example/random-walk']));
    const sir = models[0]!;
    expect(sir).toMatchObject({ plugin: 'example', metrics: ['S', 'I', 'R', 'newInfections'] });
    expect(typeof (sir as unknown as { description: string }).description).toBe('string');
    expect(sir.parameters.beta).toEqual({ default: 0.05, bounds: [0, 5], learnable: true, description: expect.any(String) });
  });

  it('models <id> describes one model, by bare or full id', async () => {
    const json = JSON.parse((await cli(['models', 'random-walk', '--json'])).stdout);
    expect(json).toMatchObject({ id: 'example/random-walk', substeps: [{ name: 'walk' }] });
    const text = await cli(['models', 'example/network-sir']);
    expect(text.stdout).toContain('seedFraction');
    expectUsageError(await cli(['models', 'nope']), "'nope'", 'example/network-sir');
  });

  it('prints readable tables without --json', async () => {
    const models = await cli(['models']);
    expect(models.stdout.split('\n')[0]).toMatch(/^ID\s+PARAMETERS\s+METRICS\s+DESCRIPTION$/);
    expect(models.stdout).toContain('example/random-walk');
    const pops = await cli(['populations']);
    expect(pops.stdout).toContain('example/random-graph');
  });

  it('populations --json gives the population descriptions', async () => {
    const r = await cli(['populations', '--json']);
    const populations = JSON.parse(r.stdout) as { id: string }[];
    expect(populations.map((p) => p.id)).toEqual((examplePlugin.populations ?? []).map((p) => `example/${p.id}`));
    expect(populations.find((p) => p.id === 'example/random-graph')).toEqual(
      { id: 'example/random-graph', description: expect.any(String), plugin: 'example', defaultAgents: 100_000, maxAgents: 50_000_000, agentTypes: ['people'], networks: ['contacts'], attributes: { people: { age: expect.objectContaining({ kind: 'number' }) } }, models: ['example/network-sir', 'example/network-seir', 'example/random-walk'] },
    );
  });
});

describe('populace run', () => {
  it('--json: one document whose SIR metrics conserve agents, deterministic per seed', async () => {
    const a = await runJson([...SIR.slice(1), '--seed', '1']);
    expect(a).toMatchObject({ model: 'example/network-sir', population: 'example/random-graph', agents: 2000, steps: 5, seed: 1, backend: 'cpu' });
    expect(a.params).toEqual({ beta: 0.05, gamma: 0.1, seedFraction: 0.001 });
    expect(Object.keys(a.metrics)).toEqual(['S', 'I', 'R', 'newInfections']);
    for (const series of Object.values(a.metrics)) expect(series).toHaveLength(5);
    for (let t = 0; t < 5; t++) expect(a.metrics.S![t]! + a.metrics.I![t]! + a.metrics.R![t]!).toBe(2000);
    expect(a.wallMs).toBeGreaterThan(0);
    const again = await runJson([...SIR.slice(1), '--seed', '1']);
    expect(again.metrics).toEqual(a.metrics);
    const other = await runJson([...SIR.slice(1), '--seed', '2']);
    expect(other.metrics).not.toEqual(a.metrics);
  });

  it('--param overrides show up in params and change the run', async () => {
    const base = await runJson([...SIR.slice(1), '--seed', '3']);
    const seeded = await runJson([...SIR.slice(1), '--seed', '3', '--param', 'seedFraction=0.05', '--param', 'beta=0.2']);
    expect(seeded.params).toEqual({ beta: 0.2, gamma: 0.1, seedFraction: 0.05 });
    expect(seeded.metrics.I![0]!).toBeGreaterThan(base.metrics.I![0]!);
    for (let t = 0; t < 5; t++) expect(seeded.metrics.S![t]! + seeded.metrics.I![t]! + seeded.metrics.R![t]!).toBe(2000);
  });

  it('runs a model without a population on its default agents, 30 steps and seed 0 by default', async () => {
    const doc = await runJson(['random-walk']);
    expect(doc).toMatchObject({ model: 'example/random-walk', population: null, agents: 10_000, steps: 30, seed: 0 });
    expect(doc.metrics.meanAbsX).toHaveLength(30);
  });

  it('prints a summary with the header and per-metric statistics without --json', async () => {
    const r = await cli([...SIR, '--seed', '1', '--param', 'seedFraction=0.01']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const text of ['example/network-sir', 'example/random-graph', '2000 people', 'seed', 'cpu (auto: ', 'seedFraction=0.01*', 'wall time']) expect(r.stdout).toContain(text);
    expect(r.stdout).toMatch(/METRIC\s+FIRST\s+LAST\s+MIN\s+MAX\s+MAX AT STEP/);
    const json = await runJson([...SIR.slice(1), '--seed', '1', '--param', 'seedFraction=0.01']);
    const I = json.metrics.I!;
    const row = r.stdout.split('\n').find((l) => l.startsWith('I '))!.trim().split(/\s+/);
    expect(row).toEqual(['I', String(I[0]), String(I[4]), String(Math.min(...I)), String(Math.max(...I)), String(I.indexOf(Math.max(...I)) + 1)]);
  });

  it('accepts --backend and reports the backend it used', async () => {
    expect((await runJson(['random-walk', '--steps', '2', '--backend', 'cpu'])).backend).toBe('cpu');
  });
});

describe('bad input: exit 2 and one line on stderr naming the value', () => {
  const cases: [string, string[], string[]][] = [
    ['unknown command', ['mdoels'], ["'mdoels'", "Did you mean 'models'"]],
    ['unknown flag', ['run', 'random-walk', '--sed', '1'], ["'--sed'", '--seed']],
    ['unknown flag of models', ['models', '--steps', '3'], ["'--steps'"]],
    ['missing model', ['run'], ['missing the model']],
    ['flag without value', ['run', 'random-walk', '--steps'], ["'--steps'"]],
    ['--agents -5', ['run', 'random-walk', '--agents', '-5'], ['--agents', '"-5"']],
    ['--agents 0', ['run', 'random-walk', '--agents', '0'], ['--agents', '"0"']],
    ['--agents 1.5', ['run', 'random-walk', '--agents', '1.5'], ['--agents', '"1.5"']],
    ['--agents abc', ['run', 'random-walk', '--agents=abc'], ['--agents', '"abc"']],
    ['--steps 0', ['run', 'random-walk', '--steps', '0'], ['--steps', '"0"']],
    ['--steps -2', ['run', 'random-walk', '--steps', '-2'], ['--steps', '"-2"']],
    ['--seed -1', ['run', 'random-walk', '--seed', '-1'], ['--seed', '"-1"', '4294967295']],
    ['--seed too large', ['run', 'random-walk', '--seed', '4294967296'], ['"4294967296"']],
    ['--seed 1.5', ['run', 'random-walk', '--seed', '1.5'], ['"1.5"']],
    ['--param without =', ['run', 'random-walk', '--param', 'speed'], ['"speed"', 'name=value']],
    ['--param non-numeric', ['run', 'random-walk', '--param', 'speed=fast'], ['speed', '"fast"']],
    ['--backend gpu', ['run', 'random-walk', '--backend', 'gpu'], ['"gpu"', 'auto, cpu, wasm, tensorflow']],
    ['unknown model', ['run', 'no-such-model'], ["'no-such-model'", 'example/random-walk']],
    ['unknown population', ['run', 'network-sir', '--population', 'atlantis'], ["'atlantis'", 'example/random-graph']],
    ['unknown param', ['run', 'random-walk', '--param', 'sped=2'], ["'sped'", "Did you mean 'speed'"]],
    ['param out of bounds', ['run', 'random-walk', '--param', 'speed=1000'], ["'speed'", '1000', '[0, 100]']],
    ['agents above the population maximum', [...SIR.slice(0, 4), '--agents', '60000000'], ['60000000']],
    ['missing network', ['run', 'network-sir', '--steps', '1'], ["'contacts'"]],
    ['missing --config file', ['models', '--config', 'nowhere.config.js'], ['nowhere.config.js']],
  ];
  it.each(cases)('%s', async (_name, argv, mentions) => {
    expectUsageError(await cli(argv), ...mentions);
  });
});

describe('--out', () => {
  it('writes the JSON document and the CSV atomically', async () => {
    const dir = await tempProject();
    const json = await cli([...SIR, '--seed', '1', '--json', '--out', 'result.json'], { cwd: dir });
    expect(json.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8'))).toEqual(JSON.parse(json.stdout));
    const csv = await cli([...SIR, '--seed', '1', '--out', path.join(dir, 'metrics.csv')]);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain('metrics.csv');
    const lines = readFileSync(path.join(dir, 'metrics.csv'), 'utf8').trimEnd().split('\n');
    const doc = JSON.parse(json.stdout) as RunDocument;
    expect(lines[0]).toBe('step,S,I,R,newInfections');
    expect(lines.slice(1)).toEqual([1, 2, 3, 4, 5].map((s) => [s, doc.metrics.S![s - 1], doc.metrics.I![s - 1], doc.metrics.R![s - 1], doc.metrics.newInfections![s - 1]].join(',')));
    expect(readdirSync(dir).sort()).toEqual(['metrics.csv', 'result.json']);
  });

  it('refuses a bad extension or a missing directory before running, creating nothing', async () => {
    const dir = await tempProject();
    expectUsageError(await cli(['run', 'random-walk', '--out', 'result.txt'], { cwd: dir }), '"result.txt"', '.json or .csv');
    expectUsageError(await cli(['run', 'random-walk', '--out', 'missing/result.json'], { cwd: dir }), path.join(dir, 'missing'), 'does not exist');
    expectUsageError(await cli(['run', 'random-walk', '--out', '.'], { cwd: dir }), '"."');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('plugins from the working directory', () => {
  it('finds a plugin package in node_modules (populace.plugin in package.json)', async () => {
    const dir = await tempProject(pluginPackage('mover'));
    const models = JSON.parse((await cli(['models', '--json'], { cwd: dir })).stdout) as { id: string }[];
    expect(models.map((m) => m.id)).toEqual(['fake/mover', ...EXAMPLE_MODELS]);
    const doc = await runJson(['mover', '--steps', '3', '--param', 'speed=2'], dir);
    expect(doc).toMatchObject({ model: 'fake/mover', agents: 50, params: { speed: 2 }, metrics: { meanX: [2, 4, 6] } });
  });

  it('loads populace.config.js from the cwd, or the file given with --config', async () => {
    const dir = await tempProject(configFile('from-config'));
    const ids = (r: Outcome) => (JSON.parse(r.stdout) as { id: string }[]).map((m) => m.id);
    expect(ids(await cli(['models', '--json'], { cwd: dir }))).toEqual(['cfg/from-config', ...EXAMPLE_MODELS]);
    expect(ids(await cli(['--config', path.join(dir, 'populace.config.js'), 'models', '--json']))).toContain('cfg/from-config');
  });

  it('a substep writing an undeclared path fails the run with exit 2 naming the path, and writes no --out file', async () => {
    const dir = await tempProject(configFile('sneaky', 'undeclared-write'));
    expectUsageError(await cli(['run', 'sneaky', '--steps', '2', '--out', 'r.csv'], { cwd: dir }), "'env/counter'", "'move'");
    expect(existsSync(path.join(dir, 'r.csv'))).toBe(false);
  });

  it('a broken config (syntax error, no default export) exits 2', async () => {
    const syntax = await tempProject({ 'populace.config.js': 'export default {\n' });
    expectUsageError(await cli(['models'], { cwd: syntax }), 'populace.config.js');
    const noDefault = await tempProject({ 'populace.config.js': 'export const plugins = [];\n' });
    expectUsageError(await cli(['models'], { cwd: noDefault }), 'populace.config.js', 'default');
  });

  it('an error that is not a PopulaceError is an internal error (exit 1), with the stack only under POPULACE_DEBUG=1', async () => {
    const dir = await tempProject(configFile('crashy', 'throws'));
    const plain = await cli(['run', 'crashy', '--steps', '1'], { cwd: dir });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe('populace: internal error: boom from the plugin\n');
    const debug = await cli(['run', 'crashy', '--steps', '1'], { cwd: dir, env: { POPULACE_DEBUG: '1' } });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^populace: internal error: boom from the plugin\nError: boom from the plugin\n\s+at /);
  });
});

describe('progress bar', () => {
  it('draws on a TTY stderr once a run passes one second, then clears the line; never on stdout', async () => {
    const dir = await tempProject(configFile('slow', 'slow'));
    const tty = await cli(['run', 'slow', '--steps', '10', '--json'], { cwd: dir, isTTY: true });
    expect(tty.code).toBe(0);
    expect(JSON.parse(tty.stdout).metrics.meanX).toHaveLength(10);
    expect(tty.stderr).toContain('10/10 steps');
    expect(tty.stderr.endsWith('\r\x1b[2K')).toBe(true);
    expect(tty.stderr).not.toContain('\n');
    const pipe = await cli(['run', 'slow', '--steps', '10'], { cwd: dir, isTTY: false });
    expect(pipe.stderr).toBe('');
  });

  it('stays silent for runs shorter than a second', async () => {
    expect((await cli(['run', 'random-walk', '--steps', '3'], { isTTY: true })).stderr).toBe('');
  });
});

describe('help and version', () => {
  it('prints usage for each command and the version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../packages/cli/package.json', import.meta.url), 'utf8')) as { version: string };
    expect((await cli(['--version'])).stdout).toBe(`${pkg.version}\n`);
    const top = await cli(['--help']);
    for (const c of ['models', 'populations', 'run']) expect(top.stdout).toContain(c);
    const run = await cli(['run', '--help']);
    expect(run.code).toBe(0);
    for (const text of ['--population', '--agents', '--steps', '--seed', '--param', '--backend', '--json', '--out', '--config', 'default 30', 'default 0']) expect(run.stdout).toContain(text);
    expect((await cli(['help', 'models'])).stdout).toContain('Usage: populace models');
    expect((await cli(['populations', '-h'])).stdout).toContain('Usage: populace populations');
  });
});

describe('the bin in a child process', () => {
  it('run --json prints exactly one JSON document on stdout and exits 0', async () => {
    const r = await spawnCli([...SIR, '--seed', '1', '--json'], emptyDir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.endsWith('}\n')).toBe(true);
    expect(JSON.parse(r.stdout)).toMatchObject({ model: 'example/network-sir', agents: 2000, steps: 5 });
  });

  it('bad input exits 2 with one line on stderr', async () => {
    const r = await spawnCli(['run', 'random-walk', '--agents', '-5'], emptyDir);
    expectUsageError(r, '"-5"');
  });

  it('discovers a plugin package from its cwd and lists its model', async () => {
    const dir = await tempProject(pluginPackage('spawned'));
    const r = await spawnCli(['models', '--json'], dir);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { id: string }[]).map((m) => m.id)).toContain('fake/spawned');
  });

  it('a config plugin with an undeclared write exits 2 naming the path; internal errors print the stack only with POPULACE_DEBUG=1', async () => {
    const bad = await tempProject(configFile('sneaky', 'undeclared-write'));
    expectUsageError(await spawnCli(['run', 'sneaky', '--steps', '1'], bad), "'env/counter'");
    const crashy = await tempProject(configFile('crashy', 'throws'));
    const plain = await spawnCli(['run', 'crashy', '--steps', '1'], crashy);
    expect([plain.code, plain.stderr]).toEqual([1, 'populace: internal error: boom from the plugin\n']);
    const debug = await spawnCli(['run', 'crashy', '--steps', '1'], crashy, { POPULACE_DEBUG: '1' });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toContain('\n    at ');
  });

  it('Ctrl-C stops a run with exit 130 (test/cli-sweep.test.ts checks the steps completed are kept)', async () => {
    const dir = await tempProject(configFile('slow', 'slow'));
    const r = await spawnCli(['run', 'slow', '--steps', '100', '--json'], dir, {}, (pid) => setTimeout(() => process.kill(pid, 'SIGINT'), 1500));
    expect(r.code).toBe(130);
    // a Ctrl-C while the CLI loads exits quietly; once the run has started, the steps done are printed
    if (r.stdout !== '') expect(JSON.parse(r.stdout)).toMatchObject({ interrupted: true });
    if (r.stderr !== '') expect(r.stderr).toMatch(/^populace: (interrupted \(Ctrl-C\) after \d+ of 100 steps|run aborted)/);
  });
});
