/**
 * `example/random-graph`: N people, each with K in-contacts drawn uniformly
 * at random (the benchmark's "network SIR" graph), plus an age attribute.
 */
import { definePopulation } from '../population.js';
import { perAgentEstimate } from '../population-size.js';
import { hashedContactsCsr } from '../kernels/ops/hashed-gather.js';
import { streamKey, uniformAt } from '../random.js';

/** In-contacts per agent. */
export const RANDOM_GRAPH_DEGREE = 10;

/** The hash key of the contacts of a seed (shared by the stored and the hashed graph). */
export const contactsKey = (seed: number): number => streamKey(seed, 0, 0x6a09e667);

/** Builds the CSR arrays of a K-in-regular random graph, deterministically from the seed. */
export function randomInContacts(agents: number, degree: number, seed: number): { rowPtr: Int32Array; colIdx: Int32Array } {
  return hashedContactsCsr(agents, degree, contactsKey(seed));
}

function ages(agents: number, seed: number): Uint8Array {
  const age = new Uint8Array(agents);
  const ageKey = streamKey(seed, 0, 0xbb67ae85);
  for (let i = 0; i < agents; i++) age[i] = Math.floor(uniformAt(ageKey, i) * 90);
  return age;
}

const AGE = { description: 'age in whole years, uniform in [0, 90)', kind: 'number', unit: 'years' } as const;

export const randomGraph = definePopulation({
  id: 'random-graph',
  description: `people with ${RANDOM_GRAPH_DEGREE} random in-contacts each and a uniform age in [0, 90); size from the agent count`,
  defaultAgents: 100_000,
  maxAgents: 50_000_000,
  networks: ['contacts'],
  attributes: { people: { age: AGE } },
  // a uint8 age and an int32 row pointer per agent; int32 in-contacts
  estimateSize: perAgentEstimate({ bytesPerAgent: 5, edgesPerAgent: RANDOM_GRAPH_DEGREE, bytesPerEdge: 4 }),
  build: ({ agents = 100_000, seed }) => ({
    agents: { people: { count: agents, attributes: { age: ages(agents, seed) } } },
    networks: { contacts: { agents: 'people', ...randomInContacts(agents, RANDOM_GRAPH_DEGREE, seed), description: 'random in-contacts' } },
  }),
});

/**
 * `example/hashed-random-graph`: the same graph as `example/random-graph` for the same seed, but
 * its contacts are recomputed from the hash by the kernel instead of stored (8 bytes per edge
 * saved), for populations of hundreds of millions.
 */
export const hashedRandomGraph = definePopulation({
  id: 'hashed-random-graph',
  description: `the random-graph population with its ${RANDOM_GRAPH_DEGREE} in-contacts per agent generated on the fly (no stored edges); size from the agent count`,
  defaultAgents: 1_000_000,
  maxAgents: Math.floor(2 ** 32 / RANDOM_GRAPH_DEGREE),
  networks: ['contacts'],
  attributes: { people: { age: AGE } },
  // a uint8 age per agent; the contacts are recomputed, never stored
  estimateSize: perAgentEstimate({ bytesPerAgent: 1 }),
  build: ({ agents = 1_000_000, seed }) => ({
    agents: { people: { count: agents, attributes: { age: ages(agents, seed) } } },
    networks: { contacts: { kind: 'hashed', agents: 'people', degree: RANDOM_GRAPH_DEGREE, key: contactsKey(seed), description: 'random in-contacts, hashed' } },
  }),
});
