import { describe, expect, it } from 'vitest';
import { createRuntime, definePlugin, type CsrNetwork } from '@populace/core';
import { checkPluginConformance } from '@populace/core/testing';
import { plugin } from './plugin.js';
import { createNycPopulation, createSyntheticPopulation, createWellMixedPopulation } from './populations.js';

const IDS = ['nyc', 'nyc:bronx', 'nyc:brooklyn', 'nyc:manhattan', 'nyc:queens', 'nyc:staten-island', 'synthetic', 'well-mixed'];
const ATTRIBUTES = { age: Uint8Array, ageBand: Uint8Array, sex: Uint8Array, household: Int32Array, area: Uint8Array, employed: Uint8Array, industry: Uint8Array, income: Uint8Array, student: Uint8Array, lon: Float32Array, lat: Float32Array };

describe('the populations plugin', () => {
  it('passes the core conformance suite', async () => {
    const report = await checkPluginConformance(plugin, { agents: 300 });
    expect(report.failures).toEqual([]);
  });

  it('contributes populations/<id> for nyc, the boroughs, synthetic and well-mixed; bare ids resolve', () => {
    const runtime = createRuntime({ plugins: [plugin], backend: 'cpu' });
    expect(runtime.populations.ids()).toEqual(IDS.map((id) => `populations/${id}`));
    const nyc = runtime.describePopulation('nyc');
    expect(nyc).toMatchObject({ id: 'populations/nyc', plugin: 'populations', defaultAgents: 8_736_047, maxAgents: 100_000_000, agentTypes: ['people'], networks: ['household', 'school', 'work', 'community'] });
    expect(runtime.describePopulation('nyc:staten-island').defaultAgents).toBe(493_194);
    expect(runtime.describePopulation('synthetic').defaultAgents).toBe(100_000);
    expect(runtime.describePopulation('well-mixed')).toMatchObject({ defaultAgents: 100_000, networks: [] });
  });

  it('builds the contracted attributes (typed arrays, labels) and the declared layers', async () => {
    for (const id of ['nyc', 'nyc:bronx', 'synthetic', 'well-mixed']) {
      const definition = plugin.populations.find((p) => p.id === id)!;
      const data = await definition.build({ agents: 1500, seed: 4 });
      const people = data.agents.people!;
      expect(people.count).toBe(1500);
      for (const [name, ctor] of Object.entries(ATTRIBUTES)) expect(people.attributes![name], `${id} ${name}`).toBeInstanceOf(ctor);
      expect(people.labels!.sex).toEqual(['female', 'male']);
      expect(people.labels!.industry).toContain('not employed');
      expect(Object.keys(data.networks ?? {})).toEqual([...definition.networks]);
    }
    const bronx = await plugin.populations.find((p) => p.id === 'nyc:bronx')!.build({ agents: 500, seed: 1 });
    expect(bronx.agents.people!.labels!.area).toEqual(['bronx']);
    const synthetic = await plugin.populations.find((p) => p.id === 'synthetic')!.build({ agents: 500, seed: 1 });
    expect(synthetic.agents.people!.labels!.area).toEqual(['north', 'east', 'south', 'west']);
  });

  it('makes variants: hashed community contacts, other layer settings, own ids', async () => {
    const hashed = createNycPopulation({ id: 'nyc-hashed', communityContacts: 'hashed', communityDegree: 12 });
    const custom = createSyntheticPopulation({ id: 'small-classes', classSize: 10 });
    const runtime = createRuntime({ plugins: [definePlugin({ name: 'mine', version: '1.0.0', populations: [hashed, custom, createWellMixedPopulation({ id: 'mixed' })] })], backend: 'cpu' });
    const data = await runtime.populations.get('nyc-hashed').definition.build({ agents: 1000, seed: 1 });
    expect(data.networks!.community).toMatchObject({ kind: 'hashed', degree: 12 });
    const small = await runtime.populations.get('small-classes').definition.build({ agents: 5000, seed: 1 });
    const school = small.networks!.school as CsrNetwork;
    let max = 0;
    for (let i = 0; i < 5000; i++) max = Math.max(max, school.rowPtr[i + 1]! - school.rowPtr[i]!);
    expect(max).toBeLessThanOrEqual(11);
    expect(() => createNycPopulation({ workContacts: 3 })).toThrow(/workContacts/);
  });
});
