/**
 * Small populations for this package's tests, shaped like the contract of
 * @populace/populations (agent type `people`, attribute `age`, symmetric
 * weighted layers household/school/work, a hashed `community` layer):
 *  - `test/aged`: ages spread over 0-89, no contact layers (well-mixed);
 *  - `test/elderly`: everyone 85, no contact layers;
 *  - `test/layered`: ages spread over 0-89 and the four layers.
 */
import { definePlugin, definePopulation, hashString, streamKey, type CsrNetwork } from '@populace/core';

/** Ages 0..89, spread evenly and deterministically. */
export const spreadAges = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 37) % 90);

/** Complete graphs on consecutive groups of the members (symmetric, no self-loops), every edge of weight `weight`. */
export function groupsCsr(n: number, members: readonly number[], size: number, weight: number): CsrNetwork {
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (let start = 0; start < members.length; start += size) {
    const group = members.slice(start, start + size);
    for (const a of group) for (const b of group) if (a !== b) neighbours[a]!.push(b);
  }
  const rowPtr = new Int32Array(n + 1);
  neighbours.forEach((list, i) => (rowPtr[i + 1] = rowPtr[i]! + list.length));
  const colIdx = new Int32Array(rowPtr[n]!);
  neighbours.forEach((list, i) => colIdx.set(list.sort((x, y) => x - y), rowPtr[i]!));
  return { agents: 'people', rowPtr, colIdx, weights: new Float32Array(colIdx.length).fill(weight) };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const aged = definePopulation({
  id: 'aged',
  description: 'people with ages spread over 0-89 and no contact layers',
  defaultAgents: 10_000,
  build: ({ agents = 10_000 }) => ({ agents: { people: { count: agents, attributes: { age: spreadAges(agents) } } } }),
});

const elderly = definePopulation({
  id: 'elderly',
  description: 'people aged 85 and no contact layers',
  defaultAgents: 10_000,
  build: ({ agents = 10_000 }) => ({ agents: { people: { count: agents, attributes: { age: new Uint8Array(agents).fill(85) } } } }),
});

const layered = definePopulation({
  id: 'layered',
  description: 'households of 3, school classes of 20 (ages 5-17), workplaces of 10 (ages 22-64), hashed community contacts (5 each)',
  defaultAgents: 10_000,
  networks: ['household', 'school', 'work', 'community'],
  build: ({ agents = 10_000, seed }) => {
    const age = spreadAges(agents);
    const all = range(agents);
    return {
      agents: { people: { count: agents, attributes: { age } } },
      networks: {
        household: groupsCsr(agents, all, 3, 1),
        school: groupsCsr(agents, all.filter((i) => age[i]! >= 5 && age[i]! < 18), 20, 0.5),
        work: groupsCsr(agents, all.filter((i) => age[i]! >= 22 && age[i]! < 65), 10, 0.8),
        community: { kind: 'hashed', agents: 'people', degree: 5, key: streamKey(seed, 0, hashString('test/community')) },
      },
    };
  },
});

/** The test populations as a plugin (`test/aged`, `test/elderly`, `test/layered`). */
export const testPopulations = definePlugin({ name: 'test', version: '1.0.0', populations: [aged, elderly, layered] });
