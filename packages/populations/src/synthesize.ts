/**
 * The synthesizer: census marginals in, a PopulationData out (agents `people`
 * with compact typed attributes, and the household, school, work and community
 * contact layers). Linear time; deterministic per seed.
 */
import { peopleLabels } from './people-attributes.js';
import { PopulaceError, streamKey, hashString, type CsrNetwork, type HashedNetwork, type PopulationData } from '@populace/core';
import { groupLayer } from './csr-builders.js';
import { randomPairsLayer } from './random-pairs-layer.js';
import { ageMixedPairs } from './pair-sources.js';
import { MAX_HOUSEHOLD_SIZE } from './household-sizes.js';
import { schoolLayer, workLayer } from './layers.js';
import { validateMarginals, type CensusMarginals } from './marginals.js';
import { allocatePeople, fillArea } from './people.js';
import { apportion } from './sampling.js';

/** The contact layers the synthesizer builds, in order. */
export const LAYERS = ['household', 'school', 'work', 'community'] as const;
/** A layer the synthesizer builds. */
export type LayerName = (typeof LAYERS)[number];

/** How the contact layers are built. */
export interface LayerOptions {
  /** `stored` (default): a CSR layer of random pairs within each area. `hashed`: a HashedNetwork recomputed on the fly (no stored edges, city-wide, directed in-contacts). */
  readonly communityContacts?: 'stored' | 'hashed';
  /**
   * Who meets whom on the community layer: `age` (default for stored contacts) pairs people by the
   * urban United States contact matrix for other locations (prem2021, contact-matrix.ts), so older
   * people have fewer community contacts, mostly with people of their age; `uniform` (the only
   * choice for hashed contacts) pairs everyone in the area alike.
   */
  readonly communityMixing?: 'age' | 'uniform';
  /** Mean community contacts per person (default 10; an integer when hashed). */
  readonly communityDegree?: number;
  /** Target class size (default 25; classes stay within 1.2 x of it). */
  readonly classSize?: number;
  /** Most coworkers one worker meets (default 10; even). Smaller workplaces are cliques. */
  readonly workContacts?: number;
  /** Weight of every edge of a layer (contact intensity; default 1 for all four). */
  readonly weights?: Partial<Readonly<Record<LayerName, number>>>;
}

/** Options of one synthesis. */
export interface SynthesisOptions extends LayerOptions {
  /** Agent count (default: the marginals' total population); shares are kept at any size. */
  readonly agents?: number;
  readonly seed: number;
  /** Whether to build contact layers (default true; false gives attributes only). */
  readonly networks?: boolean;
}

/** Default layer options. */
export const LAYER_DEFAULTS = { communityContacts: 'stored', communityDegree: 10, classSize: 25, workContacts: 10 } as const;

/** The default community mixing of a kind of community contacts: by age when stored, uniform when hashed. */
export const defaultCommunityMixing = (contacts: 'stored' | 'hashed'): 'age' | 'uniform' => (contacts === 'stored' ? 'age' : 'uniform');

function invalid(option: string, expected: string, received: unknown): PopulaceError {
  return new PopulaceError('invalid-argument', `population option ${option}: expected ${expected}, received ${JSON.stringify(received)}.`, { details: { option, received } });
}

/** Checks layer options and fills in the defaults. */
export function resolveLayerOptions(options: LayerOptions = {}): Required<Omit<LayerOptions, 'weights'>> & { weights: Record<LayerName, number> } {
  const communityContacts = options.communityContacts ?? LAYER_DEFAULTS.communityContacts;
  if (communityContacts !== 'stored' && communityContacts !== 'hashed') throw invalid('communityContacts', "'stored' or 'hashed'", communityContacts);
  const communityDegree = options.communityDegree ?? LAYER_DEFAULTS.communityDegree;
  if (typeof communityDegree !== 'number' || !(communityDegree >= 0 && communityDegree <= 1000) || (communityContacts === 'hashed' && !Number.isInteger(communityDegree))) {
    throw invalid('communityDegree', `a number in [0, 1000]${communityContacts === 'hashed' ? ' (an integer for hashed contacts)' : ''}`, communityDegree);
  }
  const communityMixing = options.communityMixing ?? defaultCommunityMixing(communityContacts);
  if (communityMixing !== 'age' && communityMixing !== 'uniform') throw invalid('communityMixing', "'age' or 'uniform'", communityMixing);
  if (communityMixing === 'age' && communityContacts === 'hashed') throw invalid('communityMixing', "'uniform' with communityContacts: 'hashed' (hashed contacts are drawn city-wide without ages; use stored contacts for age mixing)", communityMixing);
  const classSize = options.classSize ?? LAYER_DEFAULTS.classSize;
  if (!Number.isInteger(classSize) || classSize < 2 || classSize > 200) throw invalid('classSize', 'an integer in [2, 200]', classSize);
  const workContacts = options.workContacts ?? LAYER_DEFAULTS.workContacts;
  if (!Number.isInteger(workContacts) || workContacts < 2 || workContacts > 1000 || workContacts % 2 !== 0) throw invalid('workContacts', 'an even integer in [2, 1000]', workContacts);
  const weights = { household: 1, school: 1, work: 1, community: 1 };
  for (const [layer, w] of Object.entries(options.weights ?? {})) {
    if (!(LAYERS as readonly string[]).includes(layer)) throw invalid(`weights.${layer}`, `one of the layers ${LAYERS.join(', ')}`, layer);
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw invalid(`weights.${layer}`, 'a finite number >= 0', w);
    weights[layer as LayerName] = w;
  }
  return { communityContacts, communityMixing, communityDegree, classSize, workContacts, weights };
}

/** Agents and households per area at a given total size (shares of the full-scale counts). */
export function areaSizes(marginals: CensusMarginals, agents: number): { agents: Int32Array; households: Int32Array } {
  const perArea = apportion(agents, marginals.areas.map((a) => a.population));
  const households = new Int32Array(perArea.length);
  marginals.areas.forEach((a, i) => {
    const n = perArea[i]!;
    households[i] = n === 0 ? 0 : Math.min(n, Math.max(Math.ceil(n / MAX_HOUSEHOLD_SIZE), Math.round((n * a.households) / a.population)));
  });
  return { agents: perArea, households };
}

/**
 * Synthesizes a population from census marginals.
 *
 * @example
 * ```ts
 * const data = synthesizePopulation(syntheticMarginals(), { agents: 10_000, seed: 1 });
 * data.agents.people.attributes.age; // Uint8Array(10000)
 * data.networks.household;           // CSR, symmetric, weights 1
 * ```
 */
export function synthesizePopulation(marginals: CensusMarginals, options: SynthesisOptions): PopulationData {
  validateMarginals(marginals);
  const layers = resolveLayerOptions(options);
  const seed = options.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw invalid('seed', 'an integer in [0, 4294967295]', seed);
  const total = options.agents ?? marginals.areas.reduce((s, a) => s + a.population, 0);
  if (!Number.isInteger(total) || total < 1 || total > 2 ** 31 - 2) throw invalid('agents', 'an integer in [1, 2147483646]', total);
  if (options.networks !== false && layers.communityContacts === 'hashed' && total * layers.communityDegree > 2 ** 32) {
    throw invalid('communityDegree', `at most ${Math.floor(2 ** 32 / total)} for ${total} agents with hashed contacts (agents x degree <= 2^32)`, layers.communityDegree);
  }
  const sizes = areaSizes(marginals, total);
  const householdCount = sizes.households.reduce((s, h) => s + h, 0);
  const people = allocatePeople(total, marginals.areas.length);
  const householdStarts = new Int32Array(householdCount + 1);
  const areaStarts = new Int32Array(marginals.areas.length + 1);
  for (let a = 0, start = 0, hStart = 0; a < marginals.areas.length; a++) {
    areaStarts[a] = start;
    fillArea(people, householdStarts, marginals, { area: a, start, agents: sizes.agents[a]!, householdStart: hStart, households: sizes.households[a]! }, seed);
    start += sizes.agents[a]!;
    hStart += sizes.households[a]!;
  }
  areaStarts[marginals.areas.length] = total;
  const labels = peopleLabels(marginals);
  const data: PopulationData = { agents: { people: { count: total, attributes: { ...people }, labels } } };
  if (options.networks === false) return data;
  const w = layers.weights;
  const networks: Record<string, CsrNetwork | HashedNetwork> = {
    household: groupLayer(total, null, householdStarts, householdCount, MAX_HOUSEHOLD_SIZE, w.household, 'household', 'everyone in the same household (cliques)'),
    school: schoolLayer(people, layers.classSize, w.school, seed),
    work: workLayer(people, marginals, layers.workContacts, w.work, seed),
  };
  if (layers.communityContacts === 'hashed') {
    networks.community = { kind: 'hashed', agents: 'people', degree: layers.communityDegree, key: streamKey(seed, 0, hashString('populations/community-hashed')), description: `${layers.communityDegree} random in-contacts per person anywhere in the population, generated on the fly` };
  } else {
    const keys = marginals.areas.map((_, a) => streamKey(seed, a + 1, hashString('populations/community')));
    const byAge = layers.communityMixing === 'age';
    const description = byAge ? `random contacts within the area by age (prem2021 urban US other-locations matrix), mean ${layers.communityDegree} per person` : `random contacts within the area, mean ${layers.communityDegree} per person`;
    networks.community = randomPairsLayer(areaStarts, layers.communityDegree, keys, w.community, description, byAge ? { pairs: ageMixedPairs(people.age) } : {});
  }
  return { ...data, networks };
}
