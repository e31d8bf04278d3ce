/**
 * `populace run --behavior slot=archetype`: filling a model's behaviour slots
 * with archetypes (LLM archetypes from @populace/llm-archetypes, or any
 * plugin's). The chat model they ask comes from the environment
 * (POPULACE_LLM_PROVIDER and friends, read by @populace/llm-archetypes); with
 * none set, each archetype uses its offline, deterministic prior.
 */
import type { Behavior, Runtime, Simulation } from '@populace/core';
import { behaviorModelFromEnv, checkBehaviors } from '@populace/server-kit';
import { usageError, type OptionSpec } from './args.js';

/** The --behavior option of `run`. */
export const BEHAVIOR_OPTION: OptionSpec = {
  type: 'string',
  multiple: true,
  value: 'slot=archetype',
  description: "fill one of the model's behaviour slots with an archetype, e.g. isolation=covid-isolation; repeatable (the archetype asks the chat model of POPULACE_LLM_PROVIDER, else uses its offline prior)",
};

/** `--behavior` values as slot -> archetype id (syntax only; the runtime checks the ids). */
export function behaviorValues(texts: readonly string[]): Record<string, string> {
  // a Map, then own properties: a slot named '__proto__' stays a name that the model check refuses
  const out = new Map<string, string>();
  for (const text of texts) {
    const eq = text.indexOf('=');
    if (eq <= 0 || eq === text.length - 1) usageError(`--behavior expected slot=archetype (e.g. isolation=covid-isolation), received '${text}'.`);
    const slot = text.slice(0, eq).trim();
    if (out.has(slot)) usageError(`--behavior: slot '${slot}' is given twice. Fill each slot once.`);
    out.set(slot, text.slice(eq + 1).trim());
  }
  return Object.fromEntries(out);
}

/** What a run reports about a filled slot. */
export interface BehaviorReport {
  readonly archetype: string;
  /** The behaviour's own id (it says whether an LLM or the prior answered). */
  readonly behavior: string;
  /** The behaviour's usage report (calls, cache hits, fallbacks...) when it gives one. */
  readonly usage: Readonly<Record<string, unknown>> | null;
}

/**
 * Checks `--behavior` against the runtime (slot -> full archetype id) and, when a slot is filled,
 * the chat model the environment names (undefined: the archetypes' offline priors).
 */
export async function runBehaviors(runtime: Runtime, model: string, requested: Readonly<Record<string, string>>, env: Readonly<Record<string, string | undefined>>): Promise<{ slots: Readonly<Record<string, string>>; chatModel: unknown }> {
  if (Object.keys(requested).length === 0) return { slots: {}, chatModel: undefined };
  const slots = checkBehaviors(runtime, model, requested);
  return { slots, chatModel: Object.keys(slots).length === 0 ? undefined : await behaviorModelFromEnv(env) };
}

/** What the filled slots of `sim` did (call it after the run, before the simulation is disposed). */
export function behaviorReports(sim: Simulation, slots: Readonly<Record<string, string>>): Record<string, BehaviorReport> {
  if (Object.keys(slots).length === 0) return {};
  const filled: Record<string, Behavior & { usage?: () => Record<string, unknown> }> = sim.behaviors();
  return Object.fromEntries(
    Object.entries(slots).map(([slot, archetype]) => {
      const b = filled[slot]!;
      return [slot, { archetype, behavior: b.id, usage: typeof b.usage === 'function' ? { ...b.usage() } : null }];
    }),
  );
}

/** Summary lines for the filled slots. */
export function behaviorLines(reports: Readonly<Record<string, BehaviorReport>>): [string, string][] {
  return Object.entries(reports).map(([slot, r]) => {
    const u = r.usage;
    const counts = u ? ['calls', 'cacheHits', 'fallbacks'].filter((k) => typeof u[k] === 'number').map((k) => `${k} ${u[k] as number}`) : [];
    return [`behavior ${slot}`, `${r.behavior}${counts.length ? ` (${counts.join(', ')})` : ''}`];
  });
}
