/**
 * The `populations` plugin: `populations/nyc`, `populations/nyc:<borough>`,
 * `populations/synthetic` and `populations/well-mixed`.
 */
import { definePlugin } from '@populace/core';
import { manifestFormat } from './manifest-format.js';
import { defaultPopulations } from './populations.js';

/**
 * @example
 * ```ts
 * import { createRuntime } from '@populace/core';
 * import populations from '@populace/populations';
 * const populace = createRuntime({ plugins: [populations] });
 * populace.describePopulation('nyc').defaultAgents; // 8736047
 * ```
 */
export const plugin = definePlugin({
  name: 'populations',
  version: '0.1.0',
  description: 'Census-driven synthetic populations (New York City and its boroughs, a generic synthetic place, a well-mixed one) with household, school, work and community contact layers',
  populations: defaultPopulations(),
  // `--population town/population.yaml`: a manifest path wherever a population id is taken
  populationFormats: [manifestFormat],
});

export default plugin;
