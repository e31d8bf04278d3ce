/**
 * The population definitions this package contributes, as factories so a
 * user can make variants (a borough, hashed community contacts, other layer
 * settings) under their own ids.
 */
import { definePopulation, type PopulationDefinition } from '@populace/core';
import type { CensusMarginals } from './marginals.js';
import { peopleAttributes } from './people-attributes.js';
import { nycMarginals, type NycBorough } from './nyc-data.js';
import { LAYERS, resolveLayerOptions, synthesizePopulation, type LayerOptions } from './synthesize.js';
import { synthesizedSizeEstimate } from './size-estimate.js';
import { syntheticMarginals } from './synthetic-marginals.js';

/** Largest agent count of the synthesized populations (scaling up keeps the shares). */
export const MAX_SYNTHETIC_AGENTS = 100_000_000;

/** Options of a population factory. */
export interface PopulationOptions<Id extends string = string> extends LayerOptions {
  /** Local id (the plugin adds its namespace). */
  readonly id?: Id;
  readonly description?: string;
}

/** Options of `createNycPopulation`. */
export interface NycPopulationOptions<Id extends string = string> extends PopulationOptions<Id> {
  /** One borough instead of the whole city. */
  readonly borough?: NycBorough;
}

const total = (m: CensusMarginals): number => m.areas.reduce((s, a) => s + a.population, 0);
const households = (m: CensusMarginals): number => m.areas.reduce((s, a) => s + a.households, 0);

function layerSummary(options: LayerOptions): string {
  const o = resolveLayerOptions(options);
  return `household, school, work and ${o.communityContacts === 'hashed' ? 'hashed ' : ''}community layers`;
}

/**
 * New York City (or one borough) from its census marginals: about 8.7 million people in 3.25 million
 * households at full scale; `--agents N` scales it keeping the shares.
 *
 * @example
 * ```ts
 * const big = createNycPopulation({ id: 'nyc-hashed', communityContacts: 'hashed', communityDegree: 10 });
 * const plugin = definePlugin({ name: 'mine', version: '1.0.0', populations: [big] });
 * ```
 */
export function createNycPopulation<const Id extends string = string>(options: NycPopulationOptions<Id> = {}): PopulationDefinition<Id> {
  resolveLayerOptions(options);
  const marginals = nycMarginals(options.borough);
  const people = total(marginals);
  const where = options.borough === undefined ? 'New York City (5 boroughs)' : `New York City: ${options.borough}`;
  return definePopulation({
    id: options.id ?? ((options.borough === undefined ? 'nyc' : `nyc:${options.borough}`) as Id),
    description:
      options.description ??
      `${where}: ${people.toLocaleString('en-US')} people, ${households(marginals).toLocaleString('en-US')} households from census marginals; ${layerSummary(options)}; the agent count scales it`,
    defaultAgents: people,
    maxAgents: MAX_SYNTHETIC_AGENTS,
    networks: [...LAYERS],
    attributes: { people: peopleAttributes(marginals) },
    estimateSize: synthesizedSizeEstimate(options),
    build: ({ agents, seed }) => synthesizePopulation(marginals, { ...options, ...(agents === undefined ? {} : { agents }), seed }),
  });
}

/**
 * The synthesizer on a generic census-like place (four fictional areas, illustrative shares), with
 * all four contact layers; 100,000 agents unless `--agents` says otherwise.
 *
 * @example
 * ```ts
 * const small = createSyntheticPopulation({ id: 'synthetic-small-classes', classSize: 15 });
 * ```
 */
export function createSyntheticPopulation<const Id extends string = string>(options: PopulationOptions<Id> = {}): PopulationDefinition<Id> {
  resolveLayerOptions(options);
  const marginals = syntheticMarginals();
  return definePopulation({
    id: options.id ?? ('synthetic' as Id),
    description: options.description ?? `a census-like place (4 areas, illustrative shares); ${layerSummary(options)}; size from the agent count (default 100,000)`,
    defaultAgents: total(marginals),
    maxAgents: MAX_SYNTHETIC_AGENTS,
    networks: [...LAYERS],
    attributes: { people: peopleAttributes(marginals) },
    estimateSize: synthesizedSizeEstimate(options),
    build: ({ agents, seed }) => synthesizePopulation(marginals, { ...options, ...(agents === undefined ? {} : { agents }), seed }),
  });
}

/**
 * The synthetic place's people with all their attributes (households included) and no contact
 * layers, for models that mix homogeneously; 100,000 agents unless `--agents` says otherwise.
 *
 * @example
 * ```ts
 * const wm = createWellMixedPopulation();
 * const data = await wm.build({ agents: 1000, seed: 1 }); // data.networks is undefined
 * ```
 */
export function createWellMixedPopulation<const Id extends string = string>(options: Pick<PopulationOptions<Id>, 'id' | 'description'> = {}): PopulationDefinition<Id> {
  const marginals = syntheticMarginals();
  return definePopulation({
    id: options.id ?? ('well-mixed' as Id),
    description: options.description ?? 'census-like people with attributes and no contact layers (homogeneous mixing); size from the agent count (default 100,000)',
    defaultAgents: total(marginals),
    maxAgents: MAX_SYNTHETIC_AGENTS,
    networks: [],
    attributes: { people: peopleAttributes(marginals) },
    estimateSize: synthesizedSizeEstimate({ networks: false }),
    build: ({ agents, seed }) => synthesizePopulation(marginals, { networks: false, ...(agents === undefined ? {} : { agents }), seed }),
  });
}

/** `nyc`, the five `nyc:<borough>` populations, `synthetic` and `well-mixed`, with default options (ids typed as literals). */
export function defaultPopulations() {
  const borough = <const B extends NycBorough>(name: B) => createNycPopulation({ borough: name, id: `nyc:${name}` as const });
  return [
    createNycPopulation({ id: 'nyc' }),
    borough('bronx'),
    borough('brooklyn'),
    borough('manhattan'),
    borough('queens'),
    borough('staten-island'),
    createSyntheticPopulation({ id: 'synthetic' }),
    createWellMixedPopulation({ id: 'well-mixed' }),
  ] as const;
}
