/**
 * supplychain/eggs and its composition with epi/h5n1 through the built CLI in a
 * child process: `populace run supplychain/eggs --steps 365`, `--input`, and
 * `populace run epi/h5n1+supplychain/eggs --link epi/h5n1.birdsCulled=supplychain/eggs.layersLost`
 * with a per-model --population; bad inputs and links exit 2 with one line.
 * The composed run is checked against its members run alone: h5n1 as it runs alone, and eggs
 * fed h5n1's culling series as an --input file give the same series.
 * Loads the built plugins through a populace.config.js in a temporary project.
 * Needs the builds of core, cli, models-epi and models-supplychain.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDocument } from '@populace/cli';
import { expectUsageError, spawnCli, type Outcome } from './fixtures/cli/harness.js';
import { CORE_URL, removeTempDirs, tempProject } from './fixtures/cli/projects.js';

const EPI_URL = new URL('../packages/models-epi/dist/plugin.js', import.meta.url).href;
const SUPPLY_URL = new URL('../packages/models-supplychain/dist/plugin.js', import.meta.url).href;

let dir: string;
const cli = (argv: string[]): Promise<Outcome> => spawnCli(argv, dir);
async function runJson(argv: string[]): Promise<RunDocument> {
  const r = await cli(['run', ...argv, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as RunDocument;
}

const LINK = ['--link', 'epi/h5n1.birdsCulled=supplychain/eggs.layersLost'];

beforeAll(async () => {
  dir = await tempProject({
    'populace.config.js': [
      `import { defineConfig } from ${JSON.stringify(CORE_URL)};`,
      `import epi from ${JSON.stringify(EPI_URL)};`,
      `import supplychain from ${JSON.stringify(SUPPLY_URL)};`,
      'export default defineConfig({ plugins: [epi, supplychain] });',
      '',
    ].join('\n'),
  });
});
afterAll(removeTempDirs);

describe('populace run supplychain/eggs and epi/h5n1+supplychain/eggs (child process)', () => {
  it('runs supplychain/eggs for a year on its default population and inputs', async () => {
    const doc = await runJson(['supplychain/eggs', '--steps', '365']);
    expect(doc).toMatchObject({ model: 'supplychain/eggs', population: null, agents: 320, steps: 365 });
    for (const name of ['layers', 'tableEggs', 'inventory', 'wholesalePrice', 'retailPrice']) expect(doc.metrics[name]).toHaveLength(365);
    // the spring 2022 culls (March-April) push the wholesale price up
    expect(Math.max(...doc.metrics.wholesalePrice!)).toBeGreaterThan(2 * doc.metrics.wholesalePrice![30]!);
  });

  it('composes epi/h5n1 and supplychain/eggs; each member matches its run alone', async () => {
    const argv = ['--steps', '120', '--seed', '3', '--param', 'h5n1.startDay=0', '--param', 'h5n1.seedFarms=5', '--param', 'h5n1.farmToFarmRate=0.05'];
    const both = await runJson(['epi/h5n1+supplychain/eggs', ...LINK, '--population', 'epi/h5n1=us-layer-farms', ...argv]);
    expect(both.model).toBe('epi/h5n1+supplychain/eggs');
    expect(both.population).toBe('h5n1=epi/us-layer-farms,eggs=(none)');
    const culled = both.metrics['h5n1.birdsCulled']!;
    expect(culled.reduce((a, b) => a + b, 0)).toBeGreaterThan(1e6);
    expect(both.metrics['eggs.layersLost']).toEqual(culled);
    const alone = await runJson(['epi/h5n1', '--population', 'us-layer-farms', '--steps', '120', '--seed', '3', '--param', 'startDay=0', '--param', 'seedFarms=5', '--param', 'farmToFarmRate=0.05']);
    expect(alone.metrics.birdsCulled).toEqual(culled);
    await writeFile(path.join(dir, 'culls.json'), JSON.stringify(culled));
    const fed = await runJson(['supplychain/eggs', '--steps', '120', '--seed', '3', '--input', 'layersLost=culls.json']);
    expect(fed.metrics.retailPrice).toEqual(both.metrics['eggs.retailPrice']);
    expect(fed.metrics.wholesalePrice).toEqual(both.metrics['eggs.wholesalePrice']);
  }, 120_000);

  it('reads --input from a CSV with a header and a step column', async () => {
    await writeFile(path.join(dir, 'culls.csv'), 'step,layersLost\n' + Array.from({ length: 30 }, (_, i) => `${i + 1},${i === 3 ? 3.26e7 : 0}`).join('\n') + '\n');
    const doc = await runJson(['supplychain/eggs', '--steps', '30', '--input', 'layersLost=culls.csv']);
    expect(doc.metrics.layersLost![3]).toBe(3.26e7);
    expect(doc.metrics.layers![3]).toBeCloseTo(0.9 * 326e6, -4);
  });

  it('refuses bad inputs and links: exit 2, one line saying what was expected', async () => {
    await writeFile(path.join(dir, 'short.csv'), '1\n2\n3\n');
    await writeFile(path.join(dir, 'bad.csv'), '1\nx\n');
    expectUsageError(await cli(['run', 'supplychain/eggs', '--steps', '5', '--input', 'layersLost=short.csv']), "input 'layersLost'", 'has 3 values', 'running to step 4 needs 5');
    expectUsageError(await cli(['run', 'supplychain/eggs', '--steps', '5', '--input', 'layersLots=short.csv']), "no input 'layersLots'", "Did you mean 'layersLost'?");
    expectUsageError(await cli(['run', 'supplychain/eggs', '--steps', '5', '--input', 'layersLost=bad.csv']), 'row 2: expected a number, received "x"');
    expectUsageError(await cli(['run', 'supplychain/eggs', '--steps', '5', '--input', 'layersLost=missing.csv']), 'does not exist');
    expectUsageError(await cli(['run', 'supplychain/eggs', '--steps', '2000']), "input 'layersLost'", 'has 1461 values');
    expectUsageError(await cli(['run', 'epi/h5n1+supplychain/eggs', '--link', 'epi/h5n1.birdsCulled=supplychain/eggs.layersGone', '--steps', '5']), "has no input 'layersGone'");
    expectUsageError(await cli(['run', 'epi/h5n1+supplychain/eggs', '--link', 'epi/h5n1.birdsKilled=supplychain/eggs.layersLost', '--steps', '5']), "has no metric 'birdsKilled'");
    expectUsageError(await cli(['run', 'supplychain/eggs', ...LINK]), "--link needs models composed with '+'");
    expectUsageError(await cli(['run', 'epi/h5n1+supplychain/eggs', ...LINK, '--population', 'us-layer-farms']), 'expected <model>=<value>');
  }, 120_000);
});
