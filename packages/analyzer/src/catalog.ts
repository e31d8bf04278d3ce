/**
 * One population in full (attributes with labels), which the analyzer's
 * model reads before population_stats. Listing the models and populations
 * and describing a model are server-kit operations (list_models,
 * list_populations, describe_model), offered as tools from the operation list.
 */
import type { PopulationDescription } from '@populace/core';
import { z } from 'zod';
import { checkContext, type AnalysisContext } from './context.js';
import { jsonSafe, parseInput } from './input.js';

/** Input of `describePopulation`. */
export const describePopulationInput = z.strictObject({ population: z.string().min(1).describe("Population id, full ('populations/nyc') or bare ('nyc').") });

/**
 * One population in full: sizes, agent types, networks and attributes (kind, labels, unit).
 *
 * @example
 * ```ts
 * describePopulation(kit, { population: 'nyc' }).attributes.people.income.labels; // ['<10k', ...]
 * ```
 */
export function describePopulation(ctx: AnalysisContext, input: z.input<typeof describePopulationInput>): PopulationDescription {
  const { runtime } = checkContext(ctx, 'describePopulation');
  const args = parseInput(describePopulationInput, input, 'describePopulation');
  return jsonSafe(runtime.describePopulation(args.population));
}
