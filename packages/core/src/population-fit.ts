/**
 * What a model needs from a population, and whether a population provides it.
 * A model's needs come from its declaration: the agent types of its state
 * (each taken from the population type of the same name, or `from`), the
 * contact networks of its state (`optional` ones it runs without), the
 * population attributes its initialisers read (`{ attribute }`, optional with
 * a `fallback`), and the attributes it declares in `needs` (those read by
 * function initialisers). A population provides its declared agent types,
 * networks and attributes. Checked before anything is built.
 */
import type { ModelDefinition } from './model.js';
import type { PopulationDefinition } from './population.js';
import { assertDefinition, isPlainObject, LOCAL_NAME } from './validate.js';

/** One population attribute a model reads. */
export interface AttributeNeed {
  readonly description: string;
  /** What the model does when the population lacks it; absent: the attribute is required. */
  readonly fallback?: string;
}

/** What a model declares about its population beyond its state: attributes read by function initialisers, per model agent type. */
export interface ModelNeedsInput {
  readonly attributes?: Readonly<Record<string, Readonly<Record<string, AttributeNeed>>>>;
}

/** A model's needs, resolved (JSON-friendly: `fallback` is null for required parts). */
export interface PopulationNeeds {
  /** Per model agent type: the population agent type it is taken from and the attributes it reads. */
  readonly agents: Readonly<Record<string, { readonly agentType: string; readonly attributes: Readonly<Record<string, { readonly description: string; readonly fallback: string | null }>> }>>;
  /** Contact networks by population layer name: which model agent type they connect, and what happens without them. */
  readonly networks: Readonly<Record<string, { readonly agents: string; readonly description: string | null; readonly fallback: string | null }>>;
}

/** Whether one population fits one model. */
export interface PopulationFit {
  readonly fits: boolean;
  /** Why it does not fit, in words ("no agent type 'farms'"). */
  readonly missing: readonly string[];
  /** Optional parts it lacks, with what the model does instead. */
  readonly fallbacks: readonly string[];
}

/** Checks `needs` of defineModel; `where` names the model in errors. */
export function validateModelNeeds(needs: unknown, agentTypes: readonly string[], where: string): void {
  if (needs === undefined) return;
  assertDefinition(isPlainObject(needs), `${where}.needs`, 'an object { attributes?: { <agentType>: { <attribute>: { description, fallback? } } } }', needs);
  for (const key of Object.keys(needs)) assertDefinition(key === 'attributes', `${where}.needs`, 'only the key attributes', key);
  const attributes = needs.attributes ?? {};
  assertDefinition(isPlainObject(attributes), `${where}.needs.attributes`, 'an object keyed by agent type', attributes);
  for (const [type, attrs] of Object.entries(attributes)) {
    assertDefinition(agentTypes.includes(type), `${where}.needs.attributes`, `agent types of the model's state [${agentTypes.join(', ')}]`, type);
    assertDefinition(isPlainObject(attrs), `${where}.needs.attributes.${type}`, 'an object { <attribute>: { description, fallback? } }', attrs);
    for (const [name, need] of Object.entries(attrs)) {
      const at = `${where}.needs.attributes.${type}.${name}`;
      assertDefinition(LOCAL_NAME.test(name), at, 'an attribute name of letters, digits, _ . : -', name);
      assertDefinition(isPlainObject(need) && typeof need.description === 'string' && need.description.length > 0, `${at}.description`, 'a non-empty string', (need as { description?: unknown })?.description);
      assertDefinition(need.fallback === undefined || (typeof need.fallback === 'string' && need.fallback.length > 0), `${at}.fallback`, 'a non-empty string saying what the model does without it', need.fallback);
    }
  }
}

/** A model's needs from its state and its `needs` declaration (the declaration wins for an attribute both name). */
export function modelNeeds(model: ModelDefinition): PopulationNeeds {
  const agents: Record<string, { agentType: string; attributes: Record<string, { description: string; fallback: string | null }> }> = {};
  for (const [type, spec] of Object.entries(model.state.agents)) {
    const attributes: Record<string, { description: string; fallback: string | null }> = {};
    for (const [prop, p] of Object.entries(spec.properties)) {
      if (typeof p.init !== 'object' || p.init === null) continue;
      const { attribute, fallback } = p.init;
      attributes[attribute] = { description: p.description ?? `initial value of agents/${type}/${prop}`, fallback: fallback === undefined ? null : `${prop} starts at ${fallback}` };
    }
    for (const [name, need] of Object.entries(model.needs?.attributes?.[type] ?? {})) attributes[name] = { description: need.description, fallback: need.fallback ?? null };
    agents[type] = { agentType: spec.from ?? type, attributes };
  }
  const networks: Record<string, { agents: string; description: string | null; fallback: string | null }> = {};
  for (const [name, n] of Object.entries(model.state.networks ?? {})) {
    networks[n.layer ?? name] = { agents: n.agents, description: n.description ?? null, fallback: n.optional ? (n.description ?? 'the model runs without it') : null };
  }
  return { agents, networks };
}

/**
 * The population agent type each model agent type is taken from: `from`, else the type of the
 * same name, else (a one-type model on a one-type population) the population's only type.
 * Undefined where the population has none.
 */
export function mapAgentTypes(model: ModelDefinition, populationTypes: readonly string[]): Map<string, string | undefined> {
  const types = Object.entries(model.state.agents);
  return new Map(
    types.map(([type, spec]) => {
      const wanted = spec.from ?? type;
      if (populationTypes.includes(wanted)) return [type, wanted];
      return [type, spec.from === undefined && types.length === 1 && populationTypes.length === 1 ? populationTypes[0] : undefined];
    }),
  );
}

/**
 * Whether `population` provides what `model` needs, from their declarations alone (nothing is built).
 *
 * @example
 * ```ts
 * populationFit(h5n1, nyc).missing; // ["no agent type 'farms'"]
 * ```
 */
export function populationFit(model: ModelDefinition, population: PopulationDefinition): PopulationFit {
  const needs = modelNeeds(model);
  const missing: string[] = [];
  const fallbacks: string[] = [];
  const mapped = mapAgentTypes(model, population.agentTypes);
  for (const [type, source] of mapped) {
    const wanted = needs.agents[type]!.agentType;
    if (source === undefined) {
      missing.push(`no agent type '${wanted}'`);
      continue;
    }
    // A population that declares no attributes for this type is checked when it is built (checkBuiltAttributes).
    const provided = population.attributes?.[source];
    if (provided === undefined) continue;
    for (const [name, need] of Object.entries(needs.agents[type]!.attributes)) {
      if (provided[name] !== undefined) continue;
      if (need.fallback === null) missing.push(`no attribute '${name}' of ${source} (${need.description})`);
      else fallbacks.push(`attribute '${name}' of ${source}: ${need.fallback}`);
    }
  }
  const primary = population.agentTypes[0]!;
  if (![...mapped.values()].includes(primary) && missing.length === 0) {
    missing.push(`its agents are '${primary}' (what the agent count counts) and the model simulates only ${[...mapped.values()].map((t) => `'${t}'`).join(', ')}`);
  }
  for (const [layer, n] of Object.entries(needs.networks)) {
    if (population.networks.includes(layer)) continue;
    if (n.fallback === null) missing.push(`no contact network '${layer}'`);
    else fallbacks.push(`contact network '${layer}': ${n.fallback}`);
  }
  return { fits: missing.length === 0, missing, fallbacks };
}

/**
 * After a build: the required attributes of each model agent type must be in the data (for
 * populations that do not declare their attributes, this is the only check). Returns what is missing.
 */
export function missingBuiltAttributes(model: ModelDefinition, data: { readonly agents: Readonly<Record<string, { readonly attributes?: Readonly<Record<string, unknown>> }>> }): string[] {
  const needs = modelNeeds(model);
  const mapped = mapAgentTypes(model, Object.keys(data.agents));
  const missing: string[] = [];
  for (const [type, source] of mapped) {
    if (source === undefined) continue;
    const have = data.agents[source]?.attributes ?? {};
    for (const [name, need] of Object.entries(needs.agents[type]!.attributes)) {
      if (need.fallback === null && have[name] === undefined) missing.push(`no attribute '${name}' of ${source} (${need.description})`);
    }
  }
  return missing;
}
