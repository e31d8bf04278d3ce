/**
 * `populace run --behavior slot=archetype`: epi/covid's isolation slot filled by
 * the covid-isolation LLM archetype, offline (its prior, said so in the
 * document), and the bad inputs (exit 2, one line naming what is wrong).
 * Needs the builds of core, cli, server-kit, populations, models-epi and llm-archetypes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDocument } from '@populace/cli';
import { expectUsageError, runCli, runJsonWith, type Outcome } from './fixtures/cli/harness.js';
import { CORE_URL, removeTempDirs, tempProject } from './fixtures/cli/projects.js';

const url = (p: string) => new URL(`../packages/${p}/dist/plugin.js`, import.meta.url).href;

let dir: string;
const cli = (argv: string[], env: Record<string, string> = {}): Promise<Outcome> => runCli(argv, { cwd: dir, env });
const COVID = ['run', 'epi/covid', '--population', 'nyc', '--agents', '20000', '--steps', '28', '--seed', '3', '--param', 'testsPerDay=600', '--param', 'seedInfections=100'];

const runJson = (argv: string[]): Promise<RunDocument> => runJsonWith(cli, argv);

beforeAll(async () => {
  dir = await tempProject({
    'populace.config.js': [
      `import { defineConfig } from ${JSON.stringify(CORE_URL)};`,
      `import epi from ${JSON.stringify(url('models-epi'))};`,
      `import populations from ${JSON.stringify(url('populations'))};`,
      `import archetypes from ${JSON.stringify(url('llm-archetypes'))};`,
      'export default defineConfig({ plugins: [populations, epi, archetypes] });',
      '',
    ].join('\n'),
  });
});
afterAll(removeTempDirs);

describe('populace run --behavior', () => {
  it('fills the isolation slot with the covid-isolation prior, reports it, and changes the outcome', async () => {
    const full = await runJson(COVID);
    const archetype = await runJson([...COVID, '--behavior', 'isolation=covid-isolation']);
    expect(archetype.behaviors!.isolation).toMatchObject({ archetype: 'llm-archetypes/covid-isolation', usage: { source: 'prior (not an LLM)', calls: 0 } });
    expect(archetype.behaviors!.isolation!.behavior).toContain('prior (not an LLM)');
    const total = (d: RunDocument, m: string) => d.metrics[m]!.reduce((a, b) => a + b, 0);
    // the prior isolates fewer than full compliance: fewer isolating, more infections
    expect(Math.max(...archetype.metrics.isolated!)).toBeLessThan(Math.max(...full.metrics.isolated!));
    expect(total(archetype, 'newInfections')).toBeGreaterThan(total(full, 'newInfections'));
    expect(full.behaviors).toBeUndefined();
    // same seed, same result
    expect((await runJson([...COVID, '--behavior', 'isolation=covid-isolation'])).metrics).toEqual(archetype.metrics);
    const text = await cli([...COVID, '--behavior', 'isolation=covid-isolation']);
    expect(text.stdout).toMatch(/behavior isolation\s+covid-isolation via prior \(not an LLM\)/);
  }, 120_000);

  it.each([
    ['no =', ['--behavior', 'isolation'], ['--behavior', 'slot=archetype', "'isolation'"]],
    ['slot twice', ['--behavior', 'isolation=covid-isolation', '--behavior', 'isolation=covid-isolation'], ["slot 'isolation' is given twice"]],
    ['unknown slot', ['--behavior', 'isolate=covid-isolation'], ["no behaviour slot 'isolate'", 'Its slots: [isolation]']],
    ['unknown archetype', ['--behavior', 'isolation=covid-isolate'], ["'covid-isolate'", 'llm-archetypes/covid-isolation']],
  ])('bad --behavior: %s', async (_name, flags, mentions) => {
    expectUsageError(await cli(['run', 'epi/covid', '--agents', '100', '--steps', '1', ...flags]), ...mentions);
  });

  it('a model without slots says it has none', async () => {
    expectUsageError(await cli(['run', 'epi/sir', '--agents', '100', '--steps', '1', '--behavior', 'x=covid-isolation']), "no behaviour slot 'x'", 'Its slots: [none]');
  });

  it('an unknown provider in POPULACE_LLM_PROVIDER is refused with the valid ones; nothing runs', async () => {
    const r = await cli(['run', 'epi/covid', '--agents', '100', '--steps', '1', '--behavior', 'isolation=covid-isolation'], { POPULACE_LLM_PROVIDER: 'gpt-7' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/gpt-7/);
    expect(r.stderr).toMatch(/openai/);
  });
});
