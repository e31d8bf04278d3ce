/**
 * The archetypes the model packages declare next to their behaviour slots,
 * made LLM archetypes: epi/covid's covid-isolation and supplychain/labor's
 * labor-work (their contexts are the slots' own, imported there).
 */
import { covidIsolationArchetype } from '@populace/models-epi';
import { laborWorkArchetype } from '@populace/models-supplychain';
import { llmArchetype } from './define-archetype.js';

/**
 * `covid-isolation` (declared by @populace/models-epi beside epi/covid's `isolation` slot): groups NYC
 * people by age band and employment, nArch 3, output `{ willIsolate }` in [0, 1].
 *
 * @example
 * ```ts
 * const sim = populace.createSimulation({ model: 'epi/covid', population: 'nyc', agents: 100_000, seed: 1, params: { testsPerDay: 2000 } });
 * await sim.ready();
 * sim.useBehavior('isolation', covidIsolation.behavior(sim, { model: await chatModelFromEnv() }));
 * ```
 */
export const covidIsolation = llmArchetype(covidIsolationArchetype);

/**
 * `labor-work` (declared by @populace/models-supplychain beside supplychain/labor's `work` slot): groups
 * NYC people by industry and age band, nArch 3, output `{ willWork }` in [0, 1].
 *
 * @example
 * ```ts
 * const sim = populace.createSimulation({ model: 'supplychain/labor', population: 'nyc', agents: 20_000, seed: 1 });
 * await sim.ready();
 * sim.useBehavior('work', laborWork.behavior(sim, { model: await chatModelFromEnv() }));
 * ```
 */
export const laborWork = llmArchetype(laborWorkArchetype);
