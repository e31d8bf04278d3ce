import { describe, expect, it } from 'vitest';
import { randomGraph, RANDOM_GRAPH_DEGREE } from './examples/plugin.js';
import { definePopulation, validatePopulationData, type CsrNetwork, type PopulationData } from './population.js';

const people = (count: number) => ({ people: { count } });

describe('population data validation', () => {
  it('accepts valid CSR, including empty rows and self-loops', () => {
    expect(() => validatePopulationData({ agents: people(3), networks: { c: { agents: 'people', rowPtr: new Int32Array([0, 2, 2, 3]), colIdx: new Int32Array([1, 1, 2]) } } }, 'p')).not.toThrow();
  });

  it.each([
    ['agents missing', { networks: {} }, /the top level: expected an object/],
    ['negative count', { agents: people(-1) }, /agents.people.count: expected a non-negative integer/],
    ['attribute length', { agents: { people: { count: 2, attributes: { age: [1] } } } }, /attributes.age: expected 2 values/],
    ['unknown agent type', { agents: people(2), networks: { c: { agents: 'cows', rowPtr: new Int32Array(3), colIdx: new Int32Array(0) } } }, /networks.c.agents: expected one of the agent types \[people\]/],
    ['rowPtr length', { agents: people(2), networks: { c: { agents: 'people', rowPtr: new Int32Array(2), colIdx: new Int32Array(0) } } }, /rowPtr: expected an Int32Array of length 3/],
    ['rowPtr end', { agents: people(2), networks: { c: { agents: 'people', rowPtr: new Int32Array([0, 1, 1]), colIdx: new Int32Array([0, 1]) } } }, /rowPtr\[2\] = 2/],
    ['decreasing rowPtr', { agents: people(2), networks: { c: { agents: 'people', rowPtr: new Int32Array([0, 2, 1]), colIdx: new Int32Array([0]) } } }, /rowPtr\[0\] = 0 and rowPtr\[2\] = 1|non-decreasing/],
    ['edge to a missing agent', { agents: people(2), networks: { c: { agents: 'people', rowPtr: new Int32Array([0, 1, 2]), colIdx: new Int32Array([0, 2]) } } }, /colIdx\[1\]: expected an agent index in \[0, 2\), received 2/],
    ['hashed network with a bad degree', { agents: people(2), networks: { c: { kind: 'hashed', agents: 'people', degree: 1.5, key: 1 } } }, /networks.c.degree: expected a non-negative integer/],
    ['hashed network with a bad key', { agents: people(2), networks: { c: { kind: 'hashed', agents: 'people', degree: 2, key: -1 } } }, /networks.c.key: expected an unsigned 32-bit integer/],
    ['bad weights', { agents: people(1), networks: { c: { agents: 'people', rowPtr: new Int32Array([0, 1]), colIdx: new Int32Array([0]), weights: new Float32Array([Number.NaN]) } } }, /weights\[0\]: expected a finite number/],
  ])('rejects %s', (_name, data, message) => {
    expect(() => validatePopulationData(data, 'p')).toThrow(message);
  });

  it('definePopulation validates its declaration', () => {
    const build = () => ({ agents: people(1) });
    expect(() => definePopulation({ id: 'a/b', description: 'x', defaultAgents: 1, build })).toThrow(/without '\/'/);
    expect(() => definePopulation({ id: 'p', description: 'x', defaultAgents: 0, build })).toThrow(/defaultAgents: expected a positive integer/);
    expect(() => definePopulation({ id: 'p', description: 'x', defaultAgents: 10, maxAgents: 5, build })).toThrow(/maxAgents/);
    expect(() => definePopulation({ id: 'p', description: 'x', defaultAgents: 1, build: 1 as never })).toThrow(/build/);
  });
});

describe('example/random-graph', () => {
  it('is deterministic per seed with K in-contacts per agent, spread uniformly', async () => {
    const a = await randomGraph.build({ agents: 5000, seed: 3 });
    const b = await randomGraph.build({ agents: 5000, seed: 3 });
    const c = await randomGraph.build({ agents: 5000, seed: 4 });
    const stored = (d: PopulationData) => d.networks!.contacts as CsrNetwork;
    const net = stored(a);
    expect(Array.from(net.colIdx)).toEqual(Array.from(stored(b).colIdx));
    expect(Array.from(net.colIdx)).not.toEqual(Array.from(stored(c).colIdx));
    expect(net.colIdx.length).toBe(5000 * RANDOM_GRAPH_DEGREE);
    validatePopulationData(a, 'random-graph');
    // out-degrees are ~Poisson(K): mean K, variance ~K
    const out = new Array(5000).fill(0);
    for (const c2 of net.colIdx) out[c2]++;
    const mean = out.reduce((s, v) => s + v, 0) / 5000;
    const variance = out.reduce((s, v) => s + (v - mean) ** 2, 0) / 5000;
    expect(mean).toBe(RANDOM_GRAPH_DEGREE);
    expect(variance).toBeGreaterThan(8);
    expect(variance).toBeLessThan(12);
  });
});
