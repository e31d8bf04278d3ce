/**
 * `example/random-graph`: N people, each with K in-contacts drawn uniformly
 * at random (the benchmark's "network SIR" graph), plus an age attribute.
 */
import { definePopulation } from '../population.js';
import { streamKey, uint32At, uniformAt } from '../random.js';

/** In-contacts per agent. */
export const RANDOM_GRAPH_DEGREE = 10;

/** Builds the CSR arrays of a K-in-regular random graph, deterministically from the seed. */
export function randomInContacts(agents: number, degree: number, seed: number): { rowPtr: Int32Array; colIdx: Int32Array } {
  const rowPtr = new Int32Array(agents + 1);
  const colIdx = new Int32Array(agents * degree);
  const key = streamKey(seed, 0, 0x6a09e667);
  for (let i = 0; i < agents; i++) {
    rowPtr[i + 1] = (i + 1) * degree;
    for (let j = 0; j < degree; j++) colIdx[i * degree + j] = uint32At(key, i * degree + j) % agents;
  }
  return { rowPtr, colIdx };
}

export const randomGraph = definePopulation({
  id: 'random-graph',
  description: `people with ${RANDOM_GRAPH_DEGREE} random in-contacts each and a uniform age in [0, 90); size from --agents`,
  defaultAgents: 100_000,
  maxAgents: 50_000_000,
  networks: ['contacts'],
  build: ({ agents = 100_000, seed }) => {
    const age = new Uint8Array(agents);
    const ageKey = streamKey(seed, 0, 0xbb67ae85);
    for (let i = 0; i < agents; i++) age[i] = Math.floor(uniformAt(ageKey, i) * 90);
    return {
      agents: { people: { count: agents, attributes: { age } } },
      networks: { contacts: { agents: 'people', ...randomInContacts(agents, RANDOM_GRAPH_DEGREE, seed), description: 'random in-contacts' } },
    };
  },
});
