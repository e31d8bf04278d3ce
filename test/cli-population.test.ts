/**
 * `populace population describe` and `populace populations` with the @populace/populations plugin,
 * end to end: in process through `main(argv, io)` and once through the real bin.
 * Needs the builds: npx tsc -p packages/core/tsconfig.json && npx tsc -p packages/populations/tsconfig.json
 * && npx tsc -p packages/cli/tsconfig.json
 */
import { symlinkSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PopulationDescribeDocument } from '@populace/cli';
import { expectUsageError, runCli, spawnCli, type Outcome } from './fixtures/cli/harness.js';
import { CORE_URL, removeTempDirs, tempProject } from './fixtures/cli/projects.js';

const POPULATIONS_DIR = fileURLToPath(new URL('../packages/populations', import.meta.url));
const PLUGIN_URL = new URL('../packages/populations/dist/plugin.js', import.meta.url).href;
const SYNTHESIZE_URL = new URL('../packages/populations/dist/index.js', import.meta.url).href;

let project: string;
const cli = (argv: string[], cwd = project): Promise<Outcome> => runCli(argv, { cwd });

async function describeJson(argv: string[]): Promise<PopulationDescribeDocument> {
  const r = await cli(['population', 'describe', ...argv, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as PopulationDescribeDocument;
}

beforeAll(async () => {
  project = await tempProject({
    'populace.config.js': `import { defineConfig } from ${JSON.stringify(CORE_URL)};\nimport populations from ${JSON.stringify(PLUGIN_URL)};\nexport default defineConfig({ plugins: [populations] });\n`,
  });
});
afterAll(removeTempDirs);

describe('populace populations', () => {
  it('lists the populations with their sizes', async () => {
    const r = await cli(['populations', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { id: string; defaultAgents: number; networks: string[] }[];
    const sizes = Object.fromEntries(list.map((p) => [p.id, p.defaultAgents]));
    expect(sizes).toMatchObject({
      'populations/nyc': 8_736_047,
      'populations/nyc:bronx': 1_468_262,
      'populations/nyc:brooklyn': 2_712_360,
      'populations/nyc:manhattan': 1_669_127,
      'populations/nyc:queens': 2_393_104,
      'populations/nyc:staten-island': 493_194,
      'populations/synthetic': 100_000,
      'populations/well-mixed': 100_000,
    });
    expect(list.find((p) => p.id === 'populations/well-mixed')!.networks).toEqual([]);
    const text = await cli(['populations']);
    // seven columns do not fit the default 100 columns: one block per population
    expect(text.stdout).toMatch(/^populations\/nyc\n {2}default agents +8736047\n {2}max agents +100000000\n {2}agent types +people\n {2}networks +household,school,work,community\n/m);
    expect(text.stdout.split('\n').every((l) => l.length <= 100)).toBe(true);
  });

  it('finds the installed package without a config file', async () => {
    const dir = await tempProject();
    mkdirSync(path.join(dir, 'node_modules', '@populace'), { recursive: true });
    symlinkSync(POPULATIONS_DIR, path.join(dir, 'node_modules', '@populace', 'populations'), 'dir');
    const r = await cli(['populations', '--json'], dir);
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as { id: string }[]).map((p) => p.id)).toContain('populations/nyc');
  });
});

describe('populace population describe', () => {
  it('prints the marginals and layer statistics of nyc at 10,000 agents (JSON)', async () => {
    const doc = await describeJson(['nyc', '--agents', '10000', '--seed', '3']);
    expect(doc).toMatchObject({ id: 'populations/nyc', plugin: 'populations', agents: 10_000, seed: 3 });
    const people = doc.agentTypes.people!;
    expect(people.count).toBe(10_000);
    for (const name of ['ageBand', 'sex', 'area', 'industry', 'income']) {
      expect(people.categorical[name]!.reduce((s, c) => s + c.count, 0), name).toBe(10_000);
    }
    expect(people.categorical.area!.map((c) => c.label)).toEqual(['bronx', 'brooklyn', 'manhattan', 'queens', 'staten-island']);
    expect(people.categorical.ageBand).toHaveLength(13);
    expect(people.numeric.age!.min).toBe(0);
    expect(people.numeric.age!.mean).toBeGreaterThan(30);
    expect(people.numeric.household).toBeUndefined();
    expect(Object.keys(doc.networks)).toEqual(['household', 'school', 'work', 'community']);
    expect(doc.networks.community).toMatchObject({ kind: 'csr', agents: 'people', edges: 100_000, meanDegree: 10, weighted: false });
    expect(doc.networks.work!.maxDegree).toBeLessThanOrEqual(10);

    // The same numbers computed directly from the package's build (an independent path).
    const { synthesizePopulation, nycMarginals } = (await import(SYNTHESIZE_URL)) as typeof import('../packages/populations/src/index.js');
    const data = synthesizePopulation(nycMarginals(), { agents: 10_000, seed: 3 });
    const household = data.agents.people!.attributes!.household as Int32Array;
    const sizes = new Map<number, number>();
    for (const h of household) sizes.set(h, (sizes.get(h) ?? 0) + 1);
    expect(people.households!.count).toBe(sizes.size);
    expect(people.households!.sizes.reduce((s, r) => s + r.households * r.size, 0)).toBe(10_000);
    expect(people.households!.sizes.find((r) => r.size === 1)!.households).toBe([...sizes.values()].filter((s) => s === 1).length);
    const school = data.networks!.school as { colIdx: Int32Array };
    expect(doc.networks.school!.edges).toBe(school.colIdx.length);
    const male = (data.agents.people!.attributes!.sex as Uint8Array).reduce((s, v) => s + v, 0);
    expect(people.categorical.sex![1]).toMatchObject({ label: 'male', count: male });
  });

  it('prints readable tables without --json, the same for the same seed', async () => {
    const a = await cli(['population', 'describe', 'nyc', '--agents', '10000']);
    expect(a.code).toBe(0);
    expect(a.stderr).toBe('');
    expect(a.stdout).toMatch(/^population\s+populations\/nyc$/m);
    expect(a.stdout).toMatch(/^agents\s+10000 people$/m);
    expect(a.stdout).toMatch(/^people: households \d+, mean size 2\.\d+$/m);
    expect(a.stdout).toMatch(/^ {2}NAME\s+KIND\s+AGENTS\s+EDGES\s+MEAN DEGREE\s+MIN\s+MAX\s+WEIGHTS$/m);
    expect(a.stdout).toMatch(/^ {2}community\s+csr\s+people\s+100000\s+10\s/m);
    expect(a.stdout).toMatch(/^ {2}staten-island\s+\d+\s+\d+\.\d%$/m);
    const b = await cli(['population', 'describe', 'populations/nyc', '--agents', '10000']);
    const strip = (s: string): string => s.replace(/^built in.*$/m, '');
    expect(strip(b.stdout)).toBe(strip(a.stdout));
    const other = await cli(['population', 'describe', 'nyc', '--agents', '10000', '--seed', '9']);
    expect(strip(other.stdout)).not.toBe(strip(a.stdout));
  });

  it('describes any population: well-mixed (no layers) and the example random graph (no labels)', async () => {
    const wm = await describeJson(['well-mixed', '--agents', '2000']);
    expect(wm.networks).toEqual({});
    expect(wm.agentTypes.people!.categorical.area!.map((c) => c.label)).toEqual(['north', 'east', 'south', 'west']);
    const rg = await describeJson(['example/random-graph', '--agents', '1000']);
    expect(rg.agentTypes.people).toMatchObject({ count: 1000, categorical: {} });
    expect(rg.agentTypes.people!.households).toBeUndefined();
    expect(rg.networks.contacts).toMatchObject({ kind: 'csr', edges: 10_000, meanDegree: 10, minDegree: 10, maxDegree: 10, weighted: false });
    const text = await cli(['population', 'describe', 'well-mixed', '--agents', '500']);
    expect(text.stdout).toContain('networks: (none)');
  });

  it('describes a population loaded from files through a config', async () => {
    const { writePopulation, synthesizePopulation, syntheticMarginals } = (await import(SYNTHESIZE_URL)) as typeof import('../packages/populations/src/index.js');
    const dir = await tempProject({
      'populace.config.js': `import { defineConfig, definePlugin } from ${JSON.stringify(CORE_URL)};\nimport { filePopulation } from ${JSON.stringify(SYNTHESIZE_URL)};\nconst town = filePopulation({ id: 'town', manifest: new URL('./town/population.json', import.meta.url) });\nexport default defineConfig({ plugins: [definePlugin({ name: 'mine', version: '1.0.0', populations: [town] })] });\n`,
    });
    writePopulation(synthesizePopulation(syntheticMarginals(), { agents: 800, seed: 1, communityContacts: 'hashed', communityDegree: 4 }), path.join(dir, 'town'), { format: 'parquet' });
    const r = await cli(['population', 'describe', 'town', '--json'], dir);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as PopulationDescribeDocument;
    expect(doc).toMatchObject({ id: 'mine/town', agents: 800 });
    expect(doc.networks.community).toMatchObject({ kind: 'hashed', edges: 3200, meanDegree: 4 });
    expectUsageError(await cli(['population', 'describe', 'town', '--agents', '100'], dir), 'has exactly 800 agents; received a request for 100. Give no agent count for a file population.');
    expectUsageError(await cli(['population', 'describe', 'town', '--agents', '900'], dir), "--agents: expected an integer in [1, 800] (the limit of population 'mine/town'), received 900");
  });

  it('rejects bad input with exit 2 and one line', async () => {
    expectUsageError(await cli(['population']), "expects the action 'describe', received nothing");
    expectUsageError(await cli(['population', 'list']), 'received "list"');
    expectUsageError(await cli(['population', 'describe']), 'expects one population id, received none');
    expectUsageError(await cli(['population', 'describe', 'nyc', 'extra']), 'received 2: "nyc" "extra"');
    expectUsageError(await cli(['population', 'describe', 'nope']), "'nope'");
    expectUsageError(await cli(['population', 'describe', 'nyc', '--agents', '0']), '--agents: expected a positive integer, received "0"');
    expectUsageError(await cli(['population', 'describe', 'nyc', '--agents', '200000000']), "--agents: expected an integer in [1, 100000000] (the limit of population 'populations/nyc'), received 200000000");
    expectUsageError(await cli(['population', 'describe', 'nyc', '--seed', 'x']), '--seed: expected an integer');
    expect((await cli(['population', '--help'])).stdout).toContain('Usage: populace population describe <id|file> [--agents N] [--seed S] [--json]');
  });

  it('runs through the real bin', async () => {
    const r = await spawnCli(['population', 'describe', 'synthetic', '--agents', '3000', '--json'], project);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as PopulationDescribeDocument;
    expect(doc).toMatchObject({ id: 'populations/synthetic', agents: 3000, seed: 0 });
    expect(doc.networks.household!.kind).toBe('csr');
  });
});
