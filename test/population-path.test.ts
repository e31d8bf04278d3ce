/**
 * A user's own population from a manifest, wherever a population is taken (the CLI's
 * --population, the executor behind MCP and GraphQL), the servers' --data-dir fence, and models
 * checked against populations: `epi/h5n1` on New York and `epi/sir` on the farm population are
 * refused with the missing parts and the populations that fit.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRuntime, PopulaceError } from '@populace/core';
import { main } from '@populace/cli';
import { createPopulaceYoga } from '@populace/graphql';
import epi from '@populace/models-epi';
import populations, { digestFiles } from '@populace/populations';
import { createServerKit, resolveDataDirs, type ServerKit } from '@populace/server-kit';
import { afterAll, describe, expect, it } from 'vitest';

const root = mkdtempSync(path.join(tmpdir(), 'populace-population-path-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const PLUGINS = ['--plugin', '@populace/models-epi', '--plugin', '@populace/populations'];

/** A town of 200 people in households of 4 (CSV), with or without ages. */
function writeTown(dir: string, withAge = true): string {
  mkdirSync(dir, { recursive: true });
  const rows = Array.from({ length: 200 }, (_, i) => `${i},h${Math.floor(i / 4)}${withAge ? `,${(i * 7) % 90}` : ''}`);
  writeFileSync(path.join(dir, 'people.csv'), `id,hh${withAge ? ',age' : ''}\n${rows.join('\n')}\n`);
  const edges = Array.from({ length: 200 }, (_, i) => (i % 4 === 3 ? undefined : `${i},${i + 1}`)).filter(Boolean);
  writeFileSync(path.join(dir, 'household.csv'), `source,target\n${edges.join('\n')}\n`);
  writeFileSync(path.join(dir, 'population.yaml'), `description: a town of 200\nagents:\n  file: people.csv\n  id: id\n  household: hh\n${withAge ? '  attributes:\n    age: uint8\n' : ''}networks:\n  household: { file: household.csv, symmetric: true }\n`);
  return path.join(dir, 'population.yaml');
}

async function cli(argv: string[], cwd = root): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { cwd, env: {}, stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

describe('populace --population <manifest>', () => {
  const manifest = writeTown(path.join(root, 'town'));
  writeTown(path.join(root, 'ageless'), false);

  it('runs a model on it and reports the path as given with the digest of its files', async () => {
    const { code, out, err } = await cli(['run', 'epi/sir', ...PLUGINS, '--population', 'town/population.yaml', '--steps', '5', '--seed', '3', '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(out);
    expect(doc).toMatchObject({ model: 'epi/sir', population: 'town/population.yaml', agents: 200, steps: 5 });
    expect(doc.populationDigest).toBe(digestFiles([manifest, path.join(root, 'town', 'people.csv'), path.join(root, 'town', 'household.csv')]));
    expect(doc.metrics.S[0] + doc.metrics.I[0] + doc.metrics.R[0]).toBe(200);
  });

  it('describes it, and calibrate and sensitivity take it too', async () => {
    const described = await cli(['population', 'describe', 'town/population.yaml', ...PLUGINS, '--json']);
    expect(described.code).toBe(0);
    expect(JSON.parse(described.out)).toMatchObject({ id: 'town/population.yaml', agents: 200, networks: { household: { edges: 300 } } });
    const sens = await cli(['sensitivity', 'epi/sir', ...PLUGINS, '--population', 'town/population.yaml', '--steps', '3', '--output', 'newInfections:sum', '--json']);
    expect(sens.err).toBe('');
    expect(JSON.parse(sens.out)).toMatchObject({ population: 'town/population.yaml', populationDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
  });

  it('refuses epi/covid on a population without ages (exit 2), naming what is missing', async () => {
    const { code, err } = await cli(['run', 'epi/covid', ...PLUGINS, '--population', 'ageless/population.yaml', '--steps', '2']);
    expect(code).toBe(2);
    expect(err).toMatch(/model 'epi\/covid' cannot run on population 'ageless\/population.yaml': no attribute 'age' of people/);
  });

  it('says which file is missing', async () => {
    const { code, err } = await cli(['run', 'epi/sir', ...PLUGINS, '--population', 'nowhere/population.yaml']);
    expect(code).toBe(2);
    expect(err).toMatch(/nowhere\/population\.yaml.*no such file/);
  });
});

describe('models checked against populations', () => {
  it('refuses epi/h5n1 on nyc and epi/sir on us-layer-farms (exit 2) with the populations that fit', async () => {
    const h5n1 = await cli(['run', 'epi/h5n1', ...PLUGINS, '--population', 'nyc', '--steps', '1']);
    expect(h5n1.code).toBe(2);
    expect(h5n1.err).toBe("populace: model 'epi/h5n1' cannot run on population 'populations/nyc': no agent type 'farms'. Populations that fit: epi/us-layer-farms.\n");
    const sir = await cli(['run', 'epi/sir', ...PLUGINS, '--population', 'us-layer-farms', '--steps', '1']);
    expect(sir.code).toBe(2);
    expect(sir.err).toMatch(/model 'epi\/sir' cannot run on population 'epi\/us-layer-farms': its agents are 'farms' \(what the agent count counts\) and the model simulates only 'people'\. Populations that fit: populations\/nyc, /);
    const runtime = createRuntime({ plugins: [populations, epi] });
    expect(() => runtime.createSimulation({ model: 'epi/h5n1', population: 'nyc' })).toThrow(expect.objectContaining({ code: 'population-mismatch', details: expect.objectContaining({ fitting: ['epi/us-layer-farms'] }) }));
  });

  it('lists the populations that fit a model and the models that fit a population', async () => {
    const h5n1 = JSON.parse((await cli(['models', 'epi/h5n1', ...PLUGINS, '--json'])).out);
    expect(h5n1.populations).toEqual(['epi/us-layer-farms']);
    expect(h5n1.needs.agents.farms).toMatchObject({ agentType: 'farms', attributes: { flockSize: { fallback: expect.any(String) } } });
    const covid = JSON.parse((await cli(['models', 'epi/covid', ...PLUGINS, '--json'])).out);
    expect(covid.needs.agents.people.attributes.age.fallback).toBeNull();
    expect(covid.populations).toContain('populations/nyc');
    expect(covid.populations).not.toContain('epi/us-layer-farms');
    const nyc = JSON.parse((await cli(['populations', 'nyc', ...PLUGINS, '--json'])).out);
    expect(nyc.models).toEqual(expect.arrayContaining(['epi/sir', 'epi/seir', 'epi/covid']));
    expect(nyc.models).not.toContain('epi/h5n1');
    const farms = JSON.parse((await cli(['populations', 'us-layer-farms', ...PLUGINS, '--json'])).out);
    expect(farms.models).toEqual(['epi/h5n1']);
    const text = (await cli(['models', 'epi/sir', ...PLUGINS])).out;
    expect(text).toMatch(/needs from a population:[\s\S]*network household\s+optional/);
  });
});

describe('servers read manifests only under --data-dir', () => {
  const data = path.join(root, 'data');
  writeTown(path.join(data, 'town'));
  writeTown(path.join(root, 'outside'));
  symlinkSync(path.join(root, 'outside'), path.join(data, 'link'));
  mkdirSync(path.join(data, 'sneaky'));
  writeFileSync(path.join(root, 'secret.csv'), 'not,a\npopulation\n');
  writeFileSync(path.join(data, 'sneaky', 'population.yaml'), 'agents:\n  file: ../../secret.csv\n');
  const runtime = createRuntime({ plugins: [populations, epi], backend: 'cpu' });
  const kits: ServerKit[] = [];
  afterAll(async () => Promise.all(kits.map((k) => k.close())));
  const kit = (dirs: string[]) => {
    const k = createServerKit({ runtime, db: path.join(root, `runs-${kits.length}.db`), dataDirs: resolveDataDirs(dirs, root) });
    kits.push(k);
    return k;
  };
  const refusal = (k: ServerKit, population: string): PopulaceError => {
    try {
      k.executor.submit({ kind: 'run', model: 'epi/sir', population, steps: 2 });
    } catch (error) {
      if (PopulaceError.isInstance(error)) return error;
      throw error;
    }
    throw new Error(`${population} was accepted`);
  };

  it('runs a manifest under a data directory and records its path and digest', async () => {
    const k = kit([data]);
    const run = k.executor.submit({ kind: 'run', model: 'epi/sir', population: 'town/population.yaml', steps: 3, seed: 1 });
    const done = await k.executor.wait(run.id);
    expect(done.status).toBe('done');
    expect(done.population).toBe('town/population.yaml');
    expect(done.agents).toBe(200);
    expect(done.options.populationFile).toEqual({ manifest: 'town/population.yaml', digest: digestFiles(['population.yaml', 'people.csv', 'household.csv'].map((f) => path.join(data, 'town', f))) });
  });

  it('refuses paths outside the data directories, through .. or a symlink, and files a manifest names outside them', () => {
    const k = kit([data]);
    for (const p of ['../outside/population.yaml', path.join(root, 'outside', 'population.yaml'), 'link/population.yaml']) {
      const e = refusal(k, p);
      expect(e.code).toBe('path-not-allowed');
      expect(e.message).toContain("is outside the server's data directories");
      expect(e.message).not.toContain(data); // the operator's directories stay private
    }
    const sneaky = refusal(k, 'sneaky/population.yaml');
    expect(sneaky.code).toBe('path-not-allowed');
    expect(sneaky.message).toContain('a file it names (secret.csv)');
  });

  it('refuses every manifest without --data-dir, and a --data-dir that does not exist', () => {
    expect(refusal(kit([]), 'town/population.yaml').message).toMatch(/reads none: its operator must start it with --data-dir/);
    expect(() => resolveDataDirs(['no-such-dir'], root)).toThrow(/--data-dir: expected an existing directory/);
  });

  it('serves a manifest and the catalog over GraphQL', async () => {
    const yoga = createPopulaceYoga({ kit: kit([data]), logging: false });
    const post = async (query: string) => (await yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json();
    const started = await post('mutation { startRun(input: { model: "epi/sir", population: "town/population.yaml", steps: 2 }) { id population agents } }');
    expect(started.errors).toBeUndefined();
    expect(started.data.startRun).toMatchObject({ population: 'town/population.yaml', agents: 200 });
    const catalog = await post('{ model(id: "epi/h5n1") { populations needs { kind name required } } population(id: "nyc") { models } }');
    expect(catalog.data.model.populations).toEqual(['epi/us-layer-farms']);
    expect(catalog.data.model.needs).toContainEqual({ kind: 'agents', name: 'farms', required: true });
    expect(catalog.data.population.models).toContain('epi/covid');
    const outside = await post('mutation { startRun(input: { model: "epi/sir", population: "../outside/population.yaml" }) { id } }');
    expect(outside.errors[0].extensions.code).toBe('PATH_NOT_ALLOWED');
  });
});
