import { describe, expect, it } from 'vitest';
import { H5N1_FACTS } from './data.js';
import { FLYWAY_FARM_SHARES } from './flocks.js';
import { buildUsLayerFarms, DEFAULT_FARMS, MAX_FARMS, MEAN_FARM_CONTACTS, PEOPLE_PER_FARM, ROLE_HOUSEHOLD, ROLE_WORKER, usLayerFarms, WORKERS_PER_FARM } from './population.js';
import type { CsrNetwork } from '@populace/core';
import { h5n1Runtime } from './runtime.fixture.js';

/** Edges as "a>b" strings (sender > receiver), checking there are no self-loops or duplicates on the way. */
function edgeSet(net: CsrNetwork): Set<string> {
  const edges = new Set<string>();
  const faults: string[] = [];
  for (let i = 0; i + 1 < net.rowPtr.length; i++) {
    for (let e = net.rowPtr[i]!; e < net.rowPtr[i + 1]!; e++) {
      const key = `${net.colIdx[e]}>${i}`;
      if (net.colIdx[e] === i || edges.has(key)) faults.push(key);
      edges.add(key);
    }
  }
  expect(faults).toEqual([]);
  return edges;
}

const symmetric = (edges: Set<string>) => [...edges].every((k) => edges.has(k.split('>').reverse().join('>')));

describe('us-layer-farms', () => {
  const data = buildUsLayerFarms(2000, 3);
  const farms = data.agents.farms!;
  const people = data.agents.people!;

  it('builds valid data of the declared agent types and networks, deterministically per seed', async () => {
    expect(usLayerFarms.defaultAgents).toBe(H5N1_FACTS.farmsWith100kPlusHens.value);
    expect(Object.keys(data.agents)).toEqual(usLayerFarms.agentTypes);
    expect(Object.keys(data.networks!)).toEqual(usLayerFarms.networks);
    // the runtime validates what build returns (CSR structure, attribute lengths)
    const sim = h5n1Runtime.createSimulation({ model: 'epi/h5n1', population: 'epi/us-layer-farms', agents: 2000, seed: 3 });
    expect((await sim.ready()).agents).toEqual({ farms: 2000, people: 2000 * PEOPLE_PER_FARM });
    sim.dispose();
    expect(buildUsLayerFarms(2000, 3)).toEqual(data);
    const other = buildUsLayerFarms(2000, 4);
    expect(other.agents.farms!.attributes!.flockSize).not.toEqual(farms.attributes!.flockSize);
    expect((await usLayerFarms.build({ seed: 1 })).agents.farms!.count).toBe(DEFAULT_FARMS);
  });

  it('holds all US table-egg layers, spread over the flyways by the farm shares', () => {
    const sizes = farms.attributes!.flockSize as Float64Array;
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(H5N1_FACTS.tableEggLayers.value);
    const flyway = farms.attributes!.flyway as Int8Array;
    FLYWAY_FARM_SHARES.forEach((share, k) => expect(Math.abs(flyway.filter((f) => f === k).length / farms.count - share)).toBeLessThan(0.04));
    expect(farms.labels!.flyway).toEqual(['Atlantic', 'Mississippi', 'Central', 'Pacific']);
  });

  it('links every person to a farm: a few workers per farm and their households', () => {
    expect(people.count).toBe(farms.count * PEOPLE_PER_FARM);
    const farm = people.attributes!.farm as Int32Array;
    const role = people.attributes!.role as Int8Array;
    for (let f = 0; f < farms.count; f += 97) {
      const members = [...farm.keys()].filter((p) => farm[p] === f);
      expect(members).toHaveLength(PEOPLE_PER_FARM);
      expect(members.filter((p) => role[p] === ROLE_WORKER)).toHaveLength(WORKERS_PER_FARM);
      expect(members.filter((p) => role[p] === ROLE_HOUSEHOLD)).toHaveLength(PEOPLE_PER_FARM - WORKERS_PER_FARM);
    }
  });

  it('farm contacts are symmetric, without self-loops or duplicates, mostly within a flyway, ~6 per farm', () => {
    const net = data.networks!['farm-contacts'] as CsrNetwork;
    const edges = edgeSet(net);
    expect(symmetric(edges)).toBe(true);
    const mean = net.colIdx.length / farms.count;
    expect(Math.abs(mean - MEAN_FARM_CONTACTS)).toBeLessThan(0.3);
    const flyway = farms.attributes!.flyway as Int8Array;
    const within = [...edges].filter((k) => {
      const [a, b] = k.split('>').map(Number);
      return flyway[a!] === flyway[b!];
    }).length;
    // 4 of ~6 contacts are proximity (same flyway); trade links cross flyways by chance
    expect(within / edges.size).toBeGreaterThan(0.7);
  });

  it('human contacts stay within a farm\'s workers and households; households do not meet other workers', () => {
    const net = data.networks!['human-contacts'] as CsrNetwork;
    const edges = edgeSet(net);
    expect(symmetric(edges)).toBe(true);
    const farm = people.attributes!.farm as Int32Array;
    const role = people.attributes!.role as Int8Array;
    const faults = [...edges].filter((k) => {
      const [a, b] = k.split('>').map(Number) as [number, number];
      // same farm; a household member's only worker contact is its own worker (the one just before it)
      return farm[a] !== farm[b] || (role[a] === ROLE_HOUSEHOLD && role[b] === ROLE_WORKER && b !== a - ((a % PEOPLE_PER_FARM) % 3));
    });
    expect(faults).toEqual([]);
    // per farm: 4 workers x (3 co-workers + 2 household) + 8 household members x 2
    expect(net.colIdx.length).toBe(farms.count * (WORKERS_PER_FARM * 5 + 8 * 2));
  });

  it('rejects farm counts outside [1, MAX_FARMS] with the limit', () => {
    for (const bad of [0, -5, 2.5, MAX_FARMS + 1]) expect(() => buildUsLayerFarms(bad, 1)).toThrow(new RegExp(`expected an integer in \\[1, ${MAX_FARMS}\\], received ${bad}`));
  });
});
