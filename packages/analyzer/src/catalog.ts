/**
 * What the analyzer's model can learn about the runtime before it runs
 * anything: the models and populations (list), one model in full
 * (parameters with bounds and meaning, metrics) and one population in full
 * (attributes with labels).
 */
import type { ModelDescription, PopulationDescription } from '@populace/core';
import { listModels, type ModelSummary } from '@populace/server-kit';
import { z } from 'zod';
import { checkContext, type AnalysisContext } from './context.js';
import { jsonSafe, parseInput } from './input.js';

/** Input of `listCatalog` (nothing). */
export const listCatalogInput = z.strictObject({});

/** A population in short. */
export interface PopulationEntry {
  readonly id: string;
  readonly description: string;
  readonly defaultAgents: number;
  readonly agentTypes: readonly string[];
  readonly networks: readonly string[];
  /** Declared attribute names per agent type. */
  readonly attributes: Readonly<Record<string, readonly string[]>>;
}

/** The result of `listCatalog`. */
export interface CatalogResult {
  readonly models: readonly ModelSummary[];
  readonly populations: readonly PopulationEntry[];
}

/**
 * Every model and population of the runtime, in short.
 *
 * @example
 * ```ts
 * listCatalog(kit, {}).models.map((m) => m.id); // ['epi/sir', 'epi/seir', 'epi/covid', ...]
 * ```
 */
export function listCatalog(ctx: AnalysisContext, input: z.input<typeof listCatalogInput> = {}): CatalogResult {
  const { runtime } = checkContext(ctx, 'listCatalog');
  parseInput(listCatalogInput, input, 'listCatalog');
  const populations = runtime.populations.ids().map((id) => {
    const p = runtime.describePopulation(id);
    return { id: p.id, description: p.description, defaultAgents: p.defaultAgents, agentTypes: p.agentTypes, networks: p.networks, attributes: Object.fromEntries(Object.entries(p.attributes).map(([t, s]) => [t, Object.keys(s)])) };
  });
  return jsonSafe({ models: listModels(runtime), populations });
}

/** Input of `describeModel`. */
export const describeModelInput = z.strictObject({ model: z.string().min(1).describe("Model id, full ('epi/covid') or bare ('covid').") });

/**
 * One model in full: parameters (default, bounds, learnable, meaning), metrics, agent types, substeps.
 *
 * @example
 * ```ts
 * describeModel(kit, { model: 'covid' }).parameters.R.default; // [2.5, ...] (9 weeks)
 * ```
 */
export function describeModel(ctx: AnalysisContext, input: z.input<typeof describeModelInput>): ModelDescription {
  const { runtime } = checkContext(ctx, 'describeModel');
  const args = parseInput(describeModelInput, input, 'describeModel');
  return jsonSafe(runtime.describeModel(args.model));
}

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
