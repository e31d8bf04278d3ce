/**
 * What a runtime offers, as plain JSON for assistants and apps: its models
 * and populations in short, and one model in full (core's description).
 */
import type { PopulationDescription, PopulationNeeds, Runtime } from '@populace/core';

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
  /** Full ids of the populations it can run on (they provide what it needs). */
  readonly populations: readonly string[];
}

/** A population in short: core's description, with the models that can run on it. */
export type PopulationSummary = PopulationDescription & {
  /** Full ids of the models that can run on it. */
  readonly models: readonly string[];
};

/** One part a model needs from a population, as a flat row (for lists and GraphQL). */
export interface PopulationNeedRow {
  /** `agents`, `attribute` or `network`. */
  readonly kind: 'agents' | 'attribute' | 'network';
  /** The population agent type, attribute or network name. */
  readonly name: string;
  /** The population agent type it belongs to (the network's agents for a network). */
  readonly agentType: string;
  readonly required: boolean;
  /** What it is, or for an optional part what the model does without it. */
  readonly note: string | null;
}

/**
 * A model's needs as rows: each agent type, then its attributes, then the networks.
 *
 * @example
 * ```ts
 * needRows(runtime.describeModel('epi/covid').needs).filter((r) => r.required); // agents people, attribute age
 * ```
 */
export function needRows(needs: PopulationNeeds): PopulationNeedRow[] {
  const rows: PopulationNeedRow[] = [];
  for (const a of Object.values(needs.agents)) {
    rows.push({ kind: 'agents', name: a.agentType, agentType: a.agentType, required: true, note: null });
    for (const [name, attr] of Object.entries(a.attributes)) rows.push({ kind: 'attribute', name, agentType: a.agentType, required: attr.fallback === null, note: attr.fallback ?? attr.description });
  }
  for (const [name, n] of Object.entries(needs.networks)) rows.push({ kind: 'network', name, agentType: needs.agents[n.agents]?.agentType ?? n.agents, required: n.fallback === null, note: n.fallback ?? n.description });
  return rows;
}

/** One line per need, for assistants: `agents people (required); attribute people.age (required: ...)`. */
export function needsText(needs: PopulationNeeds): string {
  return needRows(needs)
    .map((r) => `${r.kind} ${r.kind === 'attribute' ? `${r.agentType}.${r.name}` : r.name} (${r.required ? 'required' : 'optional'}${r.note ? `: ${r.note}` : ''})`)
    .join('; ');
}

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
    populations: runtime.populationsFor(id),
  }));
}

/** Every population of the runtime, in registration order. */
export function listPopulations(runtime: Runtime): PopulationSummary[] {
  return runtime.populations.ids().map((id) => ({ ...runtime.describePopulation(id), models: runtime.modelsFor(id) }));
}

/** An ODE component a plugin contributes (`definePlugin({ odeComponents })`), in short. */
export interface OdeComponentSummary {
  readonly id: string;
  readonly plugin: string;
  readonly description: string;
  /** State variable names. */
  readonly state: readonly string[];
  /** Parameters like a model's (`bounds` sides null where unbounded). */
  readonly parameters: Record<string, { default: number; bounds: [number | null, number | null]; learnable: boolean; unit?: string; description?: string }>;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

const keysOf = (value: unknown): string[] => (value && typeof value === 'object' ? Object.keys(value) : []);
const finiteOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Every ODE component of the runtime, in registration order, with its parameters (read from the
 * component's declaration: `state`, `parameters`, `inputs`, `outputs` as `defineOdeComponent` makes them).
 *
 * @example
 * ```ts
 * listOdeComponents(runtime).map((c) => c.id); // ['ode/sir', 'ode/seir', 'ode/viral-tcl']
 * ```
 */
export function listOdeComponents(runtime: Runtime): OdeComponentSummary[] {
  return runtime.odeComponents.list().map(({ id, plugin, definition }) => {
    const c = definition as typeof definition & { state?: unknown; parameters?: Record<string, { default?: unknown; bounds?: readonly unknown[]; learnable?: boolean; unit?: string; description?: string }>; inputs?: unknown; outputs?: unknown };
    const parameters: OdeComponentSummary['parameters'] = {};
    for (const [name, p] of Object.entries(c.parameters ?? {})) {
      parameters[name] = { default: Number(p.default), bounds: [finiteOrNull(p.bounds?.[0]), finiteOrNull(p.bounds?.[1])], learnable: p.learnable === true, ...(p.unit ? { unit: p.unit } : {}), ...(p.description ? { description: p.description } : {}) };
    }
    return { id, plugin, description: c.description ?? '', state: keysOf(c.state), parameters, inputs: keysOf(c.inputs), outputs: keysOf(c.outputs) };
  });
}
