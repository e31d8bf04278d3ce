/**
 * Checking the behaviour slots a request fills: each slot must be one the
 * model declares, each archetype id must be registered, make behaviours and
 * give values for the slot's agent type.
 */
import { closest, isBehaviorSource, PopulaceError, type BehaviorSourceOptions, type Runtime, type Simulation } from '@populace/core';
import { describe, isPlainObject } from './describe.js';

/** The request's `behaviors` as slot -> full archetype id; throws a PopulaceError naming what is wrong. */
export function checkBehaviors(runtime: Runtime, modelId: string, behaviors: unknown): Record<string, string> {
  if (behaviors === undefined || behaviors === null) return {};
  const slots = runtime.models.get(modelId).definition.behaviors ?? {};
  const slotNames = Object.keys(slots);
  if (!isPlainObject(behaviors)) {
    throw new PopulaceError('invalid-argument', `behaviors: expected an object { slot: archetypeId } with slots of '${modelId}' [${slotNames.join(', ')}], received ${describe(behaviors)}.`);
  }
  const out: Record<string, string> = {};
  for (const [slot, id] of Object.entries(behaviors)) {
    const spec = Object.hasOwn(slots, slot) ? slots[slot] : undefined;
    if (!spec) {
      const guess = closest(slot, slotNames);
      throw new PopulaceError('invalid-argument', `behaviors: model '${modelId}' has no behaviour slot '${slot}'.${guess ? ` Did you mean '${guess}'?` : ''} Its slots: [${slotNames.join(', ') || 'none'}].`, { details: { slot, slots: slotNames } });
    }
    if (typeof id !== 'string' || id.length === 0) {
      throw new PopulaceError('invalid-argument', `behaviors.${slot}: expected an archetype id, one of [${runtime.archetypes.ids().join(', ') || 'none registered'}], received ${describe(id)}.`);
    }
    const { id: full, definition } = runtime.archetypes.get(id);
    if (!isBehaviorSource(definition)) {
      throw new PopulaceError('invalid-argument', `behaviors.${slot}: archetype '${full}' cannot make behaviours (it has no behavior(sim) function); use an LLM archetype (defineArchetype or llmArchetype(declaration) of @populace/llm-archetypes).`);
    }
    if (definition.agentType !== spec.agentType) {
      throw new PopulaceError('invalid-argument', `behaviors.${slot}: archetype '${full}' gives values for '${definition.agentType}' agents, but slot '${slot}' of '${modelId}' needs '${spec.agentType}'.`);
    }
    out[slot] = full;
  }
  return out;
}

/**
 * Fills `sim`'s behaviour slots from checked `behaviors` (slot -> full archetype id), each
 * archetype making its behaviour with `options` (the chat model; none: its offline prior).
 */
export function fillBehaviors(runtime: Runtime, sim: Simulation, behaviors: Readonly<Record<string, string>>, options: BehaviorSourceOptions = {}): void {
  for (const [slot, id] of Object.entries(behaviors)) {
    const source = runtime.archetypes.get(id).definition;
    if (!isBehaviorSource(source)) throw new PopulaceError('invalid-argument', `archetype '${id}' cannot make behaviours (it has no behavior(sim) function).`);
    sim.useBehavior(slot, source.behavior(sim, options));
  }
}
