/**
 * An LLM archetype: an archetype declaration (core's `defineArchetype`: data, a
 * zod schema and a prior, which a model package can hold next to its slot) with
 * `behavior(sim, options)`, which asks a LangChain chat model once per group of
 * agents (times nArch samples), or gives the prior offline.
 */
import { defineArchetype as declareArchetype, isPlainObject, isZodObject, type ArchetypeDefinition, type ArchetypeInput, type ArchetypeOutputSchema, type Simulation } from '@populace/core';
import { ArchetypeBehavior, type ArchetypeBehaviorOptions } from './archetype-behavior.js';
import { assertDefinition } from './validate.js';

/** A declared archetype (frozen, validated) whose `behavior(sim, options)` makes the Behavior for a simulation. */
export interface Archetype<S extends ArchetypeOutputSchema = ArchetypeOutputSchema> extends ArchetypeDefinition<S> {
  /**
   * A Behavior for one simulation (fill a slot with `sim.useBehavior(slot, archetype.behavior(sim, { model }))`).
   * Without `model` it gives the prior, offline. Not differentiable: the values enter as data.
   */
  behavior(sim: Pick<Simulation, 'agentTable' | 'population'>, options?: ArchetypeBehaviorOptions): ArchetypeBehavior<S>;
}

/** True for what core's `defineArchetype` returns. */
function isDefinition(value: unknown): value is ArchetypeDefinition {
  const d = value as Partial<ArchetypeDefinition> | null;
  return isPlainObject(d) && Object.isFrozen(d) && typeof d.id === 'string' && typeof d.agentType === 'string' && Array.isArray(d.groupBy) && typeof d.system === 'string' && typeof d.jsonSchema === 'string' && typeof d.prior === 'function' && isZodObject(d.output);
}

/**
 * Makes a declared archetype (core's `defineArchetype`, e.g. epi/covid's `covidIsolationArchetype`)
 * an LLM archetype: the same frozen declaration plus `behavior(sim, options)`. Plugins contribute the
 * result under `archetypes`.
 *
 * @example
 * ```ts
 * import { covidIsolationArchetype } from '@populace/models-epi';
 * const covidIsolation = llmArchetype(covidIsolationArchetype);
 * sim.useBehavior('isolation', covidIsolation.behavior(sim, { model: await chatModelFromEnv() }));
 * ```
 */
export function llmArchetype<S extends ArchetypeOutputSchema>(definition: ArchetypeDefinition<S>): Archetype<S> {
  assertDefinition(isDefinition(definition), 'llmArchetype', "an archetype declared with defineArchetype({ id, attributes, groupBy, prompt, output, nArch, prior, ... }) of @populace/core", definition);
  const archetype: Archetype<S> = Object.freeze({ ...definition, behavior: (sim: Pick<Simulation, 'agentTable' | 'population'>, options?: ArchetypeBehaviorOptions) => new ArchetypeBehavior(archetype, sim, options) });
  return archetype;
}

/**
 * Declares an LLM archetype: core's `defineArchetype(input)` (validated and frozen, throwing
 * `invalid-definition` with the fix; registers nothing) made an LLM archetype by `llmArchetype`.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { nycMarginals, peopleAttributes } from '@populace/populations';
 * const masks = defineArchetype({
 *   id: 'wears-mask',
 *   attributes: peopleAttributes(nycMarginals()),
 *   groupBy: [{ attribute: 'age', bins: [0, 18, 65, 101] }, 'employed'],
 *   context: { week: 'week of the epidemic' },
 *   prompt: 'You are {age} years old and {employed}. It is week {week} of an epidemic. Do you wear a mask on the subway?',
 *   output: z.object({ wearsMask: z.number().min(0).max(1) }),
 *   nArch: 3,
 *   prior: () => ({ wearsMask: 0.5 }),
 * });
 * ```
 */
export function defineArchetype<S extends ArchetypeOutputSchema>(input: ArchetypeInput<S>): Archetype<S> {
  return llmArchetype(declareArchetype(input));
}
