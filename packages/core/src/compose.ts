/**
 * `runtime.compose`: a composite of registered models, each on its own
 * population, linked by id (`epi/h5n1.birdsCulled` feeds
 * `supplychain/eggs.layersLost`), ready to create simulations.
 */
import { defineComposite, recordMemberData, type CompositeDefinition, type CompositeLink } from './composite.js';
import { PopulaceError } from './errors.js';
import { resolveInputs, type InputValues } from './inputs.js';
import { mapAgentTypes } from './population-fit.js';
import type { ModelDefinition } from './model.js';
import { resolveParams } from './parameters.js';
import { validatePopulationData, type AgentTable, type CsrNetwork, type HashedNetwork, type PopulationData, type PopulationDefinition } from './population.js';
import type { Registered, Registry } from './registry.js';
import { Simulation, type ResolvedSimulation, type SimulationSetup } from './simulation.js';
import { describeValue, isPlainObject } from './validate.js';

export interface ComposeOptions {
  /** Model ids (full or bare), at least one; each member is named by its model's local id (`h5n1`). */
  readonly models: readonly string[];
  /**
   * Links, as objects or as `<model>.<metric>=<model>.<input>` strings (a `*<factor>` after the
   * metric scales it, `@-1` after the metric reads it at the previous step); models by full id,
   * bare id or local name.
   */
  readonly links?: readonly (CompositeLink | string)[];
  /** Population per model (id or opened population file), keyed by model id or local name; a model not listed runs without one. */
  readonly populations?: Readonly<Record<string, unknown>>;
  /** Agents per model, keyed like `populations`. */
  readonly agents?: Readonly<Record<string, number>>;
}

export interface CompositeSimulationOptions {
  /** Parameter overrides by composite name (`h5n1.farmToFarmRate`). */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Values of the inputs no link feeds, by composite name (`eggs.priceShock`). */
  readonly inputs?: InputValues;
  readonly seed?: number;
}

/** A composite of registered models: its definition, and simulations of it. */
export interface Composition {
  /** `epi/h5n1+supplychain/eggs`. */
  readonly id: string;
  readonly definition: CompositeDefinition;
  /** Member alias -> full model id. */
  readonly members: Readonly<Record<string, string>>;
  /** Member alias -> population id (absent: none). */
  readonly populations: Readonly<Record<string, string>>;
  createSimulation(options?: CompositeSimulationOptions): Simulation;
  /** Checks `createSimulation`'s options and resolves them (parameters, seed, inputs) with the same errors; builds nothing. */
  resolveSimulation(options?: CompositeSimulationOptions): ResolvedSimulation;
}

/** @internal what compose needs from the runtime */
export interface ComposeContext {
  readonly models: Registry<ModelDefinition>;
  resolvePopulation(value: unknown): Registered<PopulationDefinition>;
  checkFit(model: Registered<ModelDefinition>, population: Registered<PopulationDefinition>): void;
  checkSeed(seed: unknown): number;
  setup(): Pick<SimulationSetup, 'backend' | 'activate'>;
}

const bad = (message: string, details: Record<string, unknown> = {}): never => {
  throw new PopulaceError('invalid-argument', message, { details });
};

/**
 * Parses `epi/h5n1.birdsCulled*0.8=supplychain/eggs.layersLost` into a link with model references;
 * `@-1` after the metric (`supplychain/labor.workMobility@-1=epi/covid.workActivity`) makes the link
 * read the metric at the end of the previous step (lag 1).
 */
export function parseLinkText(text: string): { from: string; to: string; scale?: number; lag?: 1 } {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) bad(`link ${JSON.stringify(text)}: expected <model>.<metric>=<model>.<input>, e.g. epi/h5n1.birdsCulled=supplychain/eggs.layersLost.`, { received: text });
  let from = text.slice(0, eq).trim();
  const to = text.slice(eq + 1).trim();
  const star = from.lastIndexOf('*');
  let scale: number | undefined;
  if (star >= 0) {
    scale = Number(from.slice(star + 1));
    if (from.slice(star + 1).trim() === '' || !Number.isFinite(scale)) bad(`link ${JSON.stringify(text)}: the factor after '*' expected a finite number, received ${JSON.stringify(from.slice(star + 1))}.`, { received: text });
    from = from.slice(0, star).trim();
  }
  const at = from.lastIndexOf('@');
  let lag: 1 | undefined;
  if (at >= 0) {
    if (from.slice(at + 1).trim() !== '-1') bad(`link ${JSON.stringify(text)}: after '@' expected -1 (the metric of the previous step), received ${JSON.stringify(from.slice(at + 1))}.`, { received: text });
    lag = 1;
    from = from.slice(0, at).trim();
  }
  return { from, to, ...(scale === undefined ? {} : { scale }), ...(lag === undefined ? {} : { lag }) };
}

/** @internal builds a composition from registered models (see Runtime.compose). */
export function compose(ctx: ComposeContext, options: ComposeOptions): Composition {
  if (!isPlainObject(options) || !Array.isArray(options.models) || options.models.length === 0) {
    bad(`compose: expected { models: [id, ...], links?, populations?, agents? }, received ${describeValue(options)}.`);
  }
  const registered = options.models.map((id) => ctx.models.get(id));
  const aliases = registered.map((r) => r.definition.id);
  const dup = aliases.find((a, i) => aliases.indexOf(a) !== i);
  if (dup) bad(`compose: two models are named '${dup}'; compose them in code with defineComposite and distinct member names.`);
  /** The alias of a model reference: full id, bare id or alias. */
  const aliasOf = (ref: string): string | undefined => {
    const k = registered.findIndex((r) => r.id === ref || r.definition.id === ref);
    return k >= 0 ? aliases[k] : undefined;
  };
  const memberRef = (text: string, what: string): string => {
    // the longest member reference that prefixes `text` before a '.'
    const candidates = registered.flatMap((r, k) => [r.id, r.definition.id].map((ref) => [ref, aliases[k]!] as const));
    const hit = candidates.filter(([ref]) => text.startsWith(`${ref}.`)).sort((a, b) => b[0].length - a[0].length)[0];
    if (!hit) bad(`link ${what} ${JSON.stringify(text)}: expected <model>.<name> with a model among [${registered.map((r) => r.id).join(', ')}].`, { received: text });
    return `${hit![1]}.${text.slice(hit![0].length + 1)}`;
  };
  const links = (options.links ?? []).map((l) => {
    const link = typeof l === 'string' ? parseLinkText(l) : l;
    if (!isPlainObject(link) || typeof link.from !== 'string' || typeof link.to !== 'string') bad(`compose: a link expected { from, to, scale?, lag? } or 'model.metric=model.input', received ${describeValue(l)}.`);
    return { from: memberRef(link.from, 'from'), to: memberRef(link.to, 'to'), ...(link.scale === undefined ? {} : { scale: link.scale }), ...(link.lag === undefined ? {} : { lag: link.lag }) };
  });
  const keyed = <T>(record: Readonly<Record<string, T>> | undefined, what: string): Map<string, T> => {
    const out = new Map<string, T>();
    for (const [ref, value] of Object.entries(record ?? {})) {
      const alias = aliasOf(ref);
      if (alias === undefined) bad(`compose: ${what} names '${ref}', which is not one of the composed models [${registered.map((r) => r.id).join(', ')}].`, { received: ref });
      out.set(alias!, value);
    }
    return out;
  };
  const populations = new Map([...keyed(options.populations, 'populations')].map(([alias, value]) => [alias, ctx.resolvePopulation(value)]));
  const agents = keyed(options.agents, 'agents');
  registered.forEach((r, k) => {
    const pop = populations.get(aliases[k]!);
    if (pop) ctx.checkFit(r, pop);
    const n = agents.get(aliases[k]!);
    const max = pop?.definition.maxAgents ?? 2 ** 31 - 1;
    if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > max)) bad(`agents of ${r.id}: expected an integer in [1, ${max}], received ${describeValue(n)}.`, { received: n, max });
  });
  const id = registered.map((r) => r.id).join('+');
  const definition = defineComposite({ id: aliases.join('-'), description: `composite of ${registered.map((r) => r.id).join(' and ')}`, members: Object.fromEntries(registered.map((r, k) => [aliases[k]!, r.definition])), links });
  const population = mergedPopulation(definition, registered, aliases, populations, agents);
  const members = Object.fromEntries(registered.map((r, k) => [aliases[k]!, r.id]));
  const resolveSimulation = (o: CompositeSimulationOptions = {}): ResolvedSimulation => {
    if (!isPlainObject(o)) bad(`createSimulation: expected { params?, inputs?, seed? }, received ${describeValue(o)}.`);
    return {
      model: { id, plugin: 'composite', definition },
      population,
      params: resolveParams(definition.parameters, o.params, id),
      seed: ctx.checkSeed(o.seed),
      agents: undefined,
      inputs: resolveInputs(definition.inputs, o.inputs, id),
    };
  };
  return Object.freeze({
    id,
    definition,
    members,
    populations: Object.fromEntries([...populations].map(([a, p]) => [a, p.id])),
    createSimulation: (o?: CompositeSimulationOptions) => new Simulation({ ...resolveSimulation(o), ...ctx.setup() }),
    resolveSimulation,
  });
}

/** One population holding every member's agents and networks under its alias. */
function mergedPopulation(definition: CompositeDefinition, registered: readonly Registered<ModelDefinition>[], aliases: readonly string[], populations: ReadonlyMap<string, Registered<PopulationDefinition>>, agents: ReadonlyMap<string, number>): Registered<PopulationDefinition> {
  const agentTypes = Object.keys(definition.state.agents);
  const networks = Object.values(definition.state.networks ?? {}).map((n) => n.layer!);
  const id = aliases.map((a) => `${a}=${populations.get(a)?.id ?? '(none)'}`).join(',');
  const build = async ({ seed }: { seed: number }): Promise<PopulationData> => {
    const outAgents: Record<string, AgentTable> = {};
    const outNetworks: Record<string, CsrNetwork | HashedNetwork> = {};
    const memberData = new Map<string, PopulationData | undefined>();
    for (const [k, r] of registered.entries()) {
      const a = aliases[k]!;
      const model = r.definition;
      const pop = populations.get(a);
      const n = agents.get(a);
      if (!pop) {
        memberData.set(a, undefined);
        for (const type of Object.keys(model.state.agents)) outAgents[`${a}.${type}`] = { count: n ?? model.defaultAgents };
        continue;
      }
      const data = validatePopulationData(await pop.definition.build({ ...(n === undefined ? {} : { agents: n }), seed }), pop.id);
      memberData.set(a, data);
      const mapped = mapAgentTypes(model, Object.keys(data.agents));
      for (const [type, source] of mapped) {
        if (source === undefined || !data.agents[source]) {
          throw new PopulaceError('population-mismatch', `model '${r.id}' needs agent type '${model.state.agents[type]!.from ?? type}', but population '${pop.id}' provides [${Object.keys(data.agents).join(', ')}].`, { details: { model: r.id, population: pop.id } });
        }
        outAgents[`${a}.${type}`] = data.agents[source]!;
      }
      for (const [name, spec] of Object.entries(model.state.networks ?? {})) {
        const layer = spec.layer ?? name;
        const net = data.networks?.[layer];
        if (net && net.agents === mapped.get(spec.agents)) outNetworks[`${a}.${layer}`] = { ...net, agents: `${a}.${spec.agents}` };
      }
    }
    const merged: PopulationData = { agents: outAgents, networks: outNetworks };
    recordMemberData(merged, memberData);
    return merged;
  };
  const defaultAgents = Math.max(1, ...registered.map((r, k) => populations.get(aliases[k]!)?.definition.defaultAgents ?? r.definition.defaultAgents));
  const popDefinition: PopulationDefinition = Object.freeze({ id, description: `the populations of ${registered.map((r) => r.id).join(' and ')}`, defaultAgents, maxAgents: 2 ** 31 - 1, agentTypes, networks, build });
  return Object.freeze({ id, plugin: 'composite', definition: popDefinition });
}
