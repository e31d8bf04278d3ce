/**
 * `us-layer-farms`: US commercial table-egg layer farms (the agents `--agents`
 * counts), their workers and the workers' households, with farm-to-farm
 * contacts and human contacts as CSR networks. Deterministic per seed
 * (counter-based draws keyed by the seed and a stream name).
 */
import { definePopulation, hashString, PopulaceError, streamKey, uint32At, uniformAt, type CsrNetwork, type PopulationData } from '@populace/core';
import { H5N1_FACTS } from './data.js';
import { FLYWAYS, flywayOf, sampleFlockSizes } from './flocks.js';

/** Farm workers per farm (an assumption: the data has no farm-workforce numbers). */
export const WORKERS_PER_FARM = 4;
/** Household members per worker, the "other humans" of the population (an assumption). */
export const HOUSEHOLD_PER_WORKER = 2;
/** People per farm: its workers and their households. */
export const PEOPLE_PER_FARM = WORKERS_PER_FARM * (1 + HOUSEHOLD_PER_WORKER);
/** Proximity contacts on each side of a farm along its flyway's line of farm sites. */
export const PROXIMITY_NEIGHBOURS = 2;
/** Mean number of farm contacts per farm (4 proximity + about 2 trade links); used by the model without the network. */
export const MEAN_FARM_CONTACTS = 2 * PROXIMITY_NEIGHBOURS + 2;
/** Default farm count: farms with 100,000+ hens in the 2017 Census (uep_census). */
export const DEFAULT_FARMS = H5N1_FACTS.farmsWith100kPlusHens.value;
/** Largest farm count `us-layer-farms` builds. */
export const MAX_FARMS = 200_000;

/** `role` attribute of `people`: a farm worker (exposed to the farm's birds). */
export const ROLE_WORKER = 0;
/** `role` attribute of `people`: a household member of a worker (not exposed to birds). */
export const ROLE_HOUSEHOLD = 1;

const key = (seed: number, stream: string) => streamKey(seed, 0, hashString(`us-layer-farms/${stream}`));

/** CSR in-contacts from symmetric neighbour sets (rows sorted, so the result is deterministic). */
function toCsr(agents: string, neighbours: readonly Set<number>[], description: string): CsrNetwork {
  const rowPtr = new Int32Array(neighbours.length + 1);
  neighbours.forEach((set, i) => (rowPtr[i + 1] = rowPtr[i]! + set.size));
  const colIdx = new Int32Array(rowPtr[neighbours.length]!);
  neighbours.forEach((set, i) => colIdx.set([...set].sort((a, b) => a - b), rowPtr[i]!));
  return { agents, rowPtr, colIdx, description };
}

function link(neighbours: Set<number>[], a: number, b: number): void {
  if (a === b) return;
  neighbours[a]!.add(b);
  neighbours[b]!.add(a);
}

/**
 * Farm contacts: within each flyway the farms lie in random order along a line of sites and each
 * is linked to its `PROXIMITY_NEIGHBOURS` nearest sites on either side (a stand-in for the 10 km
 * control area around an infected premises, watt_control_area); each farm also has one trade link
 * to a farm anywhere. Symmetric, no self-loops, no duplicate edges.
 */
function farmContacts(farms: number, flyway: Int8Array, seed: number): CsrNetwork {
  const neighbours = Array.from({ length: farms }, () => new Set<number>());
  const position = key(seed, 'position');
  for (let k = 0; k < FLYWAYS.length; k++) {
    const sites = [];
    for (let f = 0; f < farms; f++) if (flyway[f] === k) sites.push(f);
    sites.sort((a, b) => uniformAt(position, a) - uniformAt(position, b) || a - b);
    for (let j = 0; j < sites.length; j++) {
      for (let d = 1; d <= PROXIMITY_NEIGHBOURS && j + d < sites.length; d++) link(neighbours, sites[j]!, sites[j + d]!);
    }
  }
  if (farms > 1) {
    const trade = key(seed, 'trade');
    for (let f = 0; f < farms; f++) {
      const other = uint32At(trade, f) % (farms - 1);
      link(neighbours, f, other >= f ? other + 1 : other);
    }
  }
  return toCsr('farms', neighbours, 'farm-to-farm proximity and trade contacts (symmetric)');
}

/** Human contacts: a farm's workers meet each other and their own households; household members meet each other. */
function humanContacts(farms: number): CsrNetwork {
  const neighbours = Array.from({ length: farms * PEOPLE_PER_FARM }, () => new Set<number>());
  const group = 1 + HOUSEHOLD_PER_WORKER;
  for (let f = 0; f < farms; f++) {
    const base = f * PEOPLE_PER_FARM;
    for (let w = 0; w < WORKERS_PER_FARM; w++) {
      const worker = base + w * group;
      for (let v = w + 1; v < WORKERS_PER_FARM; v++) link(neighbours, worker, base + v * group);
      for (let h = 1; h < group; h++) {
        link(neighbours, worker, worker + h);
        for (let g = h + 1; g < group; g++) link(neighbours, worker + h, worker + g);
      }
    }
  }
  return toCsr('people', neighbours, 'co-workers of a farm and their households (symmetric)');
}

/** Builds the population data for `farms` farms (exported for tests and tools). */
export function buildUsLayerFarms(farms: number, seed: number): PopulationData {
  if (!Number.isInteger(farms) || farms < 1 || farms > MAX_FARMS) {
    throw new PopulaceError('invalid-argument', `us-layer-farms: agents (the number of farms) expected an integer in [1, ${MAX_FARMS}], received ${String(farms)}.`, { details: { received: farms, max: MAX_FARMS } });
  }
  const sizeKey = key(seed, 'flock-size');
  const flywayKey = key(seed, 'flyway');
  const flockSize = sampleFlockSizes(Float64Array.from({ length: farms }, (_, f) => uniformAt(sizeKey, f)));
  const flyway = Int8Array.from({ length: farms }, (_, f) => flywayOf(uniformAt(flywayKey, f)));
  const people = farms * PEOPLE_PER_FARM;
  const farm = Int32Array.from({ length: people }, (_, p) => Math.floor(p / PEOPLE_PER_FARM));
  const role = Int8Array.from({ length: people }, (_, p) => ((p % PEOPLE_PER_FARM) % (1 + HOUSEHOLD_PER_WORKER) === 0 ? ROLE_WORKER : ROLE_HOUSEHOLD));
  return {
    agents: {
      farms: { count: farms, attributes: { flockSize, flyway }, labels: { flyway: [...FLYWAYS] } },
      people: { count: people, attributes: { farm, role }, labels: { role: ['worker', 'household'] } },
    },
    networks: { 'farm-contacts': farmContacts(farms, flyway, seed), 'human-contacts': humanContacts(farms) },
  };
}

/**
 * `us-layer-farms`: `agents` commercial layer farms (default 320, the farms with 100,000+ hens in
 * the 2017 Census, uep_census) holding all 301 million US table-egg layers (eggnews_ers_2026_01)
 * in heavy-tailed flocks, spread over the four flyways; 4 workers per farm and 2 household members
 * per worker; networks `farm-contacts` (farms) and `human-contacts` (people).
 *
 * @example
 * ```ts
 * const sim = runtime.createSimulation({ model: 'epi/h5n1', population: 'epi/us-layer-farms', agents: 2000, seed: 1 });
 * ```
 */
export const usLayerFarms = definePopulation({
  id: 'us-layer-farms',
  description: `US commercial table-egg layer farms (agents = farms; default ${DEFAULT_FARMS}) holding ${H5N1_FACTS.tableEggLayers.value.toLocaleString('en-US')} layers in heavy-tailed flocks over the four flyways, ${WORKERS_PER_FARM} workers per farm with households; networks farm-contacts and human-contacts`,
  defaultAgents: DEFAULT_FARMS,
  maxAgents: MAX_FARMS,
  agentTypes: ['farms', 'people'],
  networks: ['farm-contacts', 'human-contacts'],
  attributes: {
    farms: {
      flockSize: { description: 'hens held', kind: 'number', unit: 'birds' },
      flyway: { description: 'migratory flyway', kind: 'category', labels: [...FLYWAYS] },
    },
    people: {
      farm: { description: 'workplace index', kind: 'id' },
      role: { description: 'job role', kind: 'category', labels: ['worker', 'household'] },
    },
  },
  build: ({ agents, seed }) => buildUsLayerFarms(agents ?? DEFAULT_FARMS, seed),
});
