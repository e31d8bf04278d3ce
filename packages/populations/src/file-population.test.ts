import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime, definePlugin } from '@populace/core';
import { filePopulation } from './file-population.js';
import { synthesizePopulation } from './synthesize.js';
import { syntheticMarginals } from './synthetic-marginals.js';
import { writePopulation } from './write.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'populace-filepop-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('filePopulation', () => {
  const data = synthesizePopulation(syntheticMarginals(), { agents: 1234, seed: 2 });
  it.each(['csv', 'parquet'] as const)('declares the %s file population with its size and layers, and builds it through a runtime', async (format) => {
    const manifest = writePopulation(data, path.join(root, format), { format });
    const town = filePopulation({ id: 'town', manifest: format === 'csv' ? manifest : pathToFileURL(manifest) });
    expect(town).toMatchObject({ id: 'town', defaultAgents: 1234, maxAgents: 1234, agentTypes: ['people'], networks: ['household', 'school', 'work', 'community'] });
    const runtime = createRuntime({ plugins: [definePlugin({ name: 'mine', version: '1.0.0', populations: [town] })], backend: 'cpu' });
    const built = await runtime.populations.get('town').definition.build({ seed: 1 });
    expect(built.agents.people!.count).toBe(1234);
    expect([...(built.agents.people!.attributes!.age as Uint8Array)]).toEqual([...(data.agents.people!.attributes!.age as Uint8Array)]);
    await expect(Promise.resolve(town.build({ agents: 100, seed: 1 }))).rejects.toThrow(/has exactly 1234 agents; received a request for 100\. Give no agent count for a file population\./);
  });

  it('counts CSV records, not lines, and skips blank lines', () => {
    const dir = path.join(root, 'quoted');
    const manifest = writePopulation({ agents: { people: { count: 1, attributes: { age: Uint8Array.of(1) } } } }, dir);
    writeFileSync(path.join(dir, 'people.csv'), 'id,age,note\n0,1,"two\nlines"\n\n1,2,plain\n\n');
    const manifestText = JSON.stringify({ agents: { file: 'people.csv', id: 'id', attributes: { age: 'uint8' } } });
    writeFileSync(manifest, manifestText);
    expect(filePopulation({ id: 'q', manifest }).defaultAgents).toBe(2);
  });

  it('checks the manifest when it is defined', () => {
    expect(() => filePopulation({ id: 'x', manifest: path.join(root, 'absent.yaml') })).toThrow(/absent\.yaml: expected a readable manifest file, received no such file/);
    expect(() => filePopulation(undefined as never)).toThrow(/expected \{ id, manifest/);
  });
});
