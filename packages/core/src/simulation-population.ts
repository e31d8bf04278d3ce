/**
 * The population data a simulation runs on: the data given to `createSimulation`
 * (`populationData`, built elsewhere, e.g. in a worker thread) or the population's
 * own build, validated, and checked to carry every attribute the model reads.
 */
import { PopulaceError } from './errors.js';
import type { ModelDefinition } from './model.js';
import { missingBuiltAttributes } from './population-fit.js';
import { validatePopulationData, type PopulationData, type PopulationDefinition } from './population.js';
import type { Registered } from './registry.js';

/** Population data, or a function returning it (called once, when the simulation gets ready). */
export type PopulationDataSource = PopulationData | (() => PopulationData | Promise<PopulationData>);

/** Builds (or takes) and checks the population of a simulation; undefined without one. */
export async function simulationPopulation(model: string, def: ModelDefinition, pop: Registered<PopulationDefinition> | undefined, given: PopulationDataSource | undefined, agents: number | undefined, seed: number): Promise<PopulationData | undefined> {
  if (!pop) return undefined;
  const built = typeof given === 'function' ? given() : (given ?? pop.definition.build({ ...(agents === undefined ? {} : { agents }), seed }));
  const data = validatePopulationData(await built, pop.id);
  const lacking = missingBuiltAttributes(def, data);
  if (lacking.length > 0) {
    throw new PopulaceError('population-mismatch', `model '${model}' cannot run on population '${pop.id}': ${lacking.join('; ')}. Use a population that provides it.`, { details: { model, population: pop.id, missing: lacking } });
  }
  return data;
}
