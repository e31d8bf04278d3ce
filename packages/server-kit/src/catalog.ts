/**
 * What a runtime offers, as plain JSON for assistants and apps: its models
 * and populations in short, and one model in full (core's description).
 */
import type { PopulationDescription, Runtime } from '@populace/core';

/** A model in short. */
export interface ModelSummary {
  readonly id: string;
  readonly plugin: string;
  readonly description: string;
  /** Parameter names; the learnable ones are also listed in `learnable`. */
  readonly parameters: readonly string[];
  readonly learnable: readonly string[];
  readonly metrics: readonly string[];
  /** Agents when a run names no population and no count. */
  readonly defaultAgents: number;
}

/** A population in short: core's description, as `runtime.describePopulation` gives it. */
export type PopulationSummary = PopulationDescription;

/**
 * Every model of the runtime, in registration order.
 *
 * @example
 * ```ts
 * listModels(runtime).map((m) => m.id); // ['example/network-sir', ...]
 * ```
 */
export function listModels(runtime: Runtime): ModelSummary[] {
  return runtime.models.list().map(({ id, plugin, definition: m }) => ({
    id,
    plugin,
    description: m.description,
    parameters: Object.keys(m.parameters),
    learnable: Object.keys(m.parameters).filter((p) => m.parameters[p]!.learnable),
    metrics: Object.keys(m.metrics),
    defaultAgents: m.defaultAgents,
  }));
}

/** Every population of the runtime, in registration order. */
export function listPopulations(runtime: Runtime): PopulationSummary[] {
  return runtime.populations.ids().map((id) => runtime.describePopulation(id));
}
