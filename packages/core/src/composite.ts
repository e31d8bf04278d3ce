/**
 * Composite models: several models stepping together on one tape, one
 * model's metric feeding another's input. A composite is itself a model (its
 * members' state, parameters, metrics and inputs under `<alias>.` prefixes),
 * so everything that runs or differentiates a model (run, trace, calibrate,
 * sensitivity, the CLI and the servers) runs a composite, and a gradient
 * crosses the links.
 */
import { PopulaceError } from './errors.js';
import type { InputSpec } from './inputs.js';
import { countWhere, countWhereTarget, type MetricContext, type MetricSpec } from './metrics.js';
import { defineModel, type AgentTypeSpec, type EnvironmentSpec, type Initializer, type ModelDefinition, type NetworkSpec, type PropertySpec } from './model.js';
import type { ParameterSpec } from './parameters.js';
import type { BehaviorSlot } from './behavior.js';
import type { PopulationData } from './population.js';
import { initUniform } from './state-init.js';
import type { StatePath } from './state-path.js';
import { randomDraws } from './substep-context.js';
import type { StateUpdates, SubstepContext, SubstepDefinition } from './substep.js';
import { tf } from './tf.js';
import { LOCAL_NAME } from './validate.js';

/** A link: the metric `from` (`<alias>.<metric>`) feeds the input `to` (`<alias>.<input>`) at every step. */
export interface CompositeLink {
  readonly from: string;
  readonly to: string;
  /** Multiplies the metric (a unit conversion, e.g. the share of culled birds that are table-egg layers). Default 1. */
  readonly scale?: number;
  /**
   * 0 (default): the metric of the same step (the source steps first). 1: the metric at the end of
   * the previous step (at step 0, of the initial state; the target steps first), so that two
   * models may feed each other: a cycle of links is allowed when one of its links lags. (The target's
   * substeps read it so; a metric of the target that reads the input, computed once every member has
   * stepped, sees the source's value of the same step.)
   */
  readonly lag?: 0 | 1;
}

export interface CompositeInput<Id extends string> {
  /** Local id of the composite (e.g. `h5n1-eggs`). */
  readonly id: Id;
  readonly description?: string;
  /** The member models by alias (the prefix of their names in the composite); they step in link order. */
  readonly members: Readonly<Record<string, ModelDefinition>>;
  readonly links?: readonly CompositeLink[];
}

/** What a composite is made of (kept on its definition for tools and for building its population). */
export interface CompositeSpec {
  /** Aliases in the order their models step. */
  readonly order: readonly string[];
  readonly members: Readonly<Record<string, ModelDefinition>>;
  readonly links: readonly Required<CompositeLink>[];
}

export type CompositeDefinition<Id extends string = string> = ModelDefinition<Id> & { readonly composite: CompositeSpec };

/** Member population data of a composite's built population, by alias (undefined: the member runs without one). */
const MEMBER_DATA = new WeakMap<PopulationData, ReadonlyMap<string, PopulationData | undefined>>();

/** @internal records the member populations a composite population was merged from. */
export function recordMemberData(merged: PopulationData, members: ReadonlyMap<string, PopulationData | undefined>): void {
  MEMBER_DATA.set(merged, members);
}

const fail = (message: string, details: Record<string, unknown> = {}): never => {
  throw new PopulaceError('incompatible-link', message, { details });
};

/** Splits `<alias>.<name>` at the alias that is a member (aliases may contain dots). */
function splitRef(ref: unknown, aliases: readonly string[], what: string): [string, string] {
  if (typeof ref !== 'string') return fail(`link ${what}: expected '<member>.<name>', received ${String(ref)}.`);
  const alias = [...aliases].sort((a, b) => b.length - a.length).find((a) => ref.startsWith(`${a}.`));
  if (alias === undefined) return fail(`link ${what} '${ref}': expected '<member>.<name>' with a member among [${aliases.join(', ')}].`, { ref });
  return [alias, ref.slice(alias.length + 1)];
}

/** Maps a member's state path into the composite. */
export function prefixPath(alias: string, path: string): StatePath {
  const slash = path.indexOf('/');
  return `${path.slice(0, slash)}/${alias}.${path.slice(slash + 1)}` as StatePath;
}

/**
 * Aliases in an order where every link's source steps before its target, and every lagged link's
 * target before its source (so it reads the source's state at the end of the previous step); a
 * cycle is refused.
 */
function stepOrder(aliases: readonly string[], links: readonly ResolvedLink[]): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (a: string, chain: string[]): void => {
    if (state.get(a) === 'done') return;
    if (state.get(a) === 'visiting') fail(`links form a cycle (${[...chain, a].join(' -> ')}); within a step links run one way: make one link of the cycle lag a step (lag: 1, or '@-1' after the metric on the command line).`);
    state.set(a, 'visiting');
    for (const l of links) {
      if (l.lag === 0 && l.toAlias === a) visit(l.fromAlias, [...chain, a]);
      if (l.lag === 1 && l.fromAlias === a) visit(l.toAlias, [...chain, a]);
    }
    state.set(a, 'done');
    order.push(a);
  };
  for (const a of aliases) visit(a, []);
  return order;
}

interface ResolvedLink extends Required<CompositeLink> {
  readonly fromAlias: string;
  readonly metric: string;
  readonly toAlias: string;
  readonly input: string;
}

/** Builds the contexts a member's code sees inside the composite. */
class MemberView {
  readonly paramNames: readonly string[];
  constructor(
    readonly alias: string,
    readonly model: ModelDefinition,
    readonly linkOf: (alias: string, input: string) => ResolvedLink | undefined,
    readonly views: ReadonlyMap<string, MemberView>,
  ) {
    this.paramNames = Object.keys(model.parameters);
  }

  name(local: string): string {
    return `${this.alias}.${local}`;
  }

  params(all: Readonly<Record<string, tf.Tensor>>): Record<string, tf.Tensor> {
    return Object.fromEntries(this.paramNames.map((n) => [n, all[this.name(n)]!]));
  }

  /** The value of one of this member's inputs: a linked metric of another member, or the composite's input. */
  input(outer: Pick<MetricContext, 'get' | 'param' | 'params' | 'step' | 'count' | 'input'>, input: string): tf.Tensor {
    const link = this.linkOf(this.alias, input);
    if (!link) {
      if (!Object.hasOwn(this.model.inputs ?? {}, input)) {
        throw new PopulaceError('unknown-input', `model '${this.model.id}' (member '${this.alias}') read input '${input}', which it does not declare (it declares [${Object.keys(this.model.inputs ?? {}).join(', ')}]).`, { details: { input } });
      }
      return outer.input(this.name(input));
    }
    const source = this.views.get(link.fromAlias)!;
    const value = source.model.metrics[link.metric]!.compute(source.metricContext(outer));
    const t = typeof value === 'number' ? tf.scalar(value) : tf.cast(tf.reshape(value, []), 'float32');
    return link.scale === 1 ? t : tf.mul(t, link.scale);
  }

  metricContext(outer: Pick<MetricContext, 'get' | 'param' | 'params' | 'step' | 'count' | 'input'>): MetricContext {
    return {
      step: outer.step,
      params: this.params(outer.params),
      param: (n) => outer.param(this.name(n)),
      get: (p) => outer.get(prefixPath(this.alias, p)),
      count: (t) => outer.count(this.name(t)),
      input: (n) => this.input(outer, n),
    };
  }

  substepContext(outer: SubstepContext, streamName: string): SubstepContext {
    const draws = randomDraws(outer.seed, outer.step, streamName, (t) => outer.count(this.name(t)));
    return {
      step: outer.step,
      seed: outer.seed,
      params: this.params(outer.params),
      param: (n) => outer.param(this.name(n)),
      get: (p) => outer.get(prefixPath(this.alias, p)),
      network: (n) => outer.network(this.name(n)),
      messagePass: (n, values) => outer.messagePass(this.name(n), values),
      count: (t) => outer.count(this.name(t)),
      input: (n) => this.input(outer, n),
      behavior: (slot) => outer.behavior(this.name(slot)),
      random: draws.random,
      sample: draws.sample,
    };
  }
}

function wrapInit(init: Initializer, view: MemberView, owner: string): Initializer {
  if (typeof init !== 'function') return init;
  return (ctx) =>
    init({
      ...ctx,
      params: Object.fromEntries(view.paramNames.map((n) => [n, ctx.params[view.name(n)]!])),
      population: ctx.population && MEMBER_DATA.get(ctx.population)?.get(view.alias),
      uniform: (stream) => initUniform(ctx.seed, owner, stream, ctx.shape.reduce((a, b) => a * b, 1)),
    });
}

/** The reads a member's code needs for its linked inputs: the source metrics' reads, transitively. */
function linkReads(alias: string, links: readonly ResolvedLink[], members: Readonly<Record<string, ModelDefinition>>, seen = new Set<string>()): StatePath[] {
  if (seen.has(alias)) return [];
  seen.add(alias);
  return links
    .filter((l) => l.toAlias === alias)
    .flatMap((l) => [...members[l.fromAlias]!.metrics[l.metric]!.reads.map((p) => prefixPath(l.fromAlias, p)), ...linkReads(l.fromAlias, links, members, seen)]);
}

/**
 * Declares a composite: member models stepping together, each link feeding a member's input from
 * another member's metric at the same step (the source steps first) or, with `lag: 1`, at the end
 * of the previous step (the target steps first; two models feeding each other need one such link). The result is a model whose
 * state, parameters, metrics, inputs and behaviour slots are its members' under `<alias>.`: run it,
 * calibrate it or take sensitivities like any model. Each member draws the random numbers it draws
 * alone, so a member whose linked input is replaced by the linked series as data reproduces its
 * composite run exactly.
 *
 * @example
 * ```ts
 * const outbreakPrices = defineComposite({
 *   id: 'h5n1-eggs',
 *   members: { h5n1, eggs },
 *   links: [{ from: 'h5n1.birdsCulled', to: 'eggs.layersLost' }],
 * });
 * // metrics: 'h5n1.birdsCulled', ..., 'eggs.retailPrice'; parameters: 'h5n1.farmToFarmRate', ...
 * ```
 */
export function defineComposite<const Id extends string>(input: CompositeInput<Id>): CompositeDefinition<Id> {
  const where = `defineComposite(${typeof input?.id === 'string' ? input.id : '?'})`;
  if (!input || typeof input.members !== 'object' || input.members === null || Object.keys(input.members).length === 0) {
    throw new PopulaceError('invalid-definition', `${where}.members: expected an object { alias: model } with at least one model.`);
  }
  const members = input.members;
  const aliases = Object.keys(members);
  for (const a of aliases) {
    if (!LOCAL_NAME.test(a)) throw new PopulaceError('invalid-definition', `${where}.members: alias '${a}' expected letters, digits, _, -, : or . (starting with a letter).`);
    const m = members[a] as ModelDefinition | undefined;
    if (!m || typeof m !== 'object' || !Array.isArray(m.substeps)) throw new PopulaceError('invalid-definition', `${where}.members.${a}: expected a model made with defineModel.`);
  }
  const links: ResolvedLink[] = [];
  for (const [i, l] of (input.links ?? []).entries()) {
    const [fromAlias, metric] = splitRef(l?.from, aliases, `${i} from`);
    const [toAlias, inputName] = splitRef(l?.to, aliases, `${i} to`);
    const source = members[fromAlias]!;
    const target = members[toAlias]!;
    const spec = Object.hasOwn(source.metrics, metric) ? source.metrics[metric] : undefined;
    if (!spec) throw new PopulaceError('unknown-id', `link '${l.from}': model '${source.id}' (member '${fromAlias}') has no metric '${metric}'; it has [${Object.keys(source.metrics).join(', ')}].`, { details: { metric, known: Object.keys(source.metrics) } });
    const inputSpec: InputSpec | undefined = Object.hasOwn(target.inputs ?? {}, inputName) ? target.inputs![inputName] : undefined;
    if (!inputSpec) throw new PopulaceError('unknown-input', `link '${l.to}': model '${target.id}' (member '${toAlias}') has no input '${inputName}'; its inputs: ${Object.keys(target.inputs ?? {}).join(', ') || '(none)'}.`, { details: { input: inputName, known: Object.keys(target.inputs ?? {}) } });
    if (fromAlias === toAlias) fail(`link '${l.from}' -> '${l.to}': a member cannot feed itself.`);
    const scale = l.scale ?? 1;
    if (typeof scale !== 'number' || !Number.isFinite(scale)) fail(`link '${l.from}' -> '${l.to}': scale expected a finite number, received ${String(scale)}.`);
    const lag = l.lag ?? 0;
    if (lag !== 0 && lag !== 1) fail(`link '${l.from}' -> '${l.to}': lag expected 0 (the same step) or 1 (the previous step), received ${String(lag)}.`);
    if (l.scale === undefined && spec.unit && inputSpec.unit && spec.unit !== inputSpec.unit) {
      fail(`link '${l.from}' -> '${l.to}': the metric is in ${spec.unit} but the input expects ${inputSpec.unit}. Give a conversion scale (e.g. { scale: 0.8 }, or '*0.8' after the metric on the command line) if the units are compatible.`, { from: spec.unit, to: inputSpec.unit });
    }
    if (links.some((k) => k.to === l.to)) fail(`input '${l.to}' is linked twice; an input takes one metric.`);
    links.push({ from: l.from, to: l.to, scale, lag, fromAlias, metric, toAlias, input: inputName });
  }
  const order = stepOrder(aliases, links);
  const views = new Map<string, MemberView>();
  const linkOf = (alias: string, name: string) => links.find((l) => l.toAlias === alias && l.input === name);
  for (const a of aliases) views.set(a, new MemberView(a, members[a]!, linkOf, views));

  const agents: Record<string, AgentTypeSpec> = {};
  const environment: Record<string, EnvironmentSpec> = {};
  const networks: Record<string, NetworkSpec> = {};
  const parameters: Record<string, ParameterSpec> = {};
  const metrics: Record<string, MetricSpec> = {};
  const inputs: Record<string, InputSpec> = {};
  const behaviors: Record<string, BehaviorSlot> = {};
  const needs: Record<string, Record<string, unknown>> = {};
  const substeps: SubstepDefinition<unknown, unknown>[] = [];
  const duplicated = new Set(aliases.filter((a) => aliases.some((b) => b !== a && members[b]!.id === members[a]!.id)));
  for (const a of order) {
    const m = members[a]!;
    const view = views.get(a)!;
    const n = (local: string) => `${a}.${local}`;
    for (const [type, spec] of Object.entries(m.state.agents)) {
      const properties: Record<string, PropertySpec> = {};
      for (const [prop, p] of Object.entries(spec.properties)) properties[prop] = { ...p, init: wrapInit(p.init, view, `agents/${type}`) };
      agents[n(type)] = { ...(spec.description ? { description: spec.description } : {}), properties };
    }
    for (const [name, e] of Object.entries(m.state.environment ?? {})) environment[n(name)] = { ...e, init: wrapInit(e.init, view, 'env') };
    for (const [name, net] of Object.entries(m.state.networks ?? {})) networks[n(name)] = { ...net, agents: n(net.agents), layer: n(net.layer ?? name) };
    for (const [name, p] of Object.entries(m.parameters)) parameters[n(name)] = p;
    for (const [name, i] of Object.entries(m.inputs ?? {})) if (!linkOf(a, name)) inputs[n(name)] = i;
    for (const [name, b] of Object.entries(m.behaviors ?? {})) behaviors[n(name)] = { ...b, agentType: n(b.agentType) };
    for (const [type, attrs] of Object.entries(m.needs?.attributes ?? {})) needs[n(type)] = attrs as Record<string, unknown>;
    const extra = linkReads(a, links, members);
    for (const [name, spec] of Object.entries(m.metrics)) {
      const counted = countWhereTarget(spec);
      metrics[n(name)] = counted
        ? { ...countWhere(prefixPath(a, counted.path), counted.value, spec.description), ...(spec.unit ? { unit: spec.unit } : {}) }
        : { ...spec, reads: [...new Set([...spec.reads.map((p) => prefixPath(a, p)), ...extra])], compute: (ctx) => spec.compute(view.metricContext(ctx)) };
    }
    for (const sub of m.substeps as readonly SubstepDefinition<unknown, unknown>[]) {
      const stream = duplicated.has(a) ? `${a}/${sub.name}` : sub.name;
      const inner = (ctx: SubstepContext) => view.substepContext(ctx, stream);
      const { observe, act } = sub;
      substeps.push({
        name: n(sub.name),
        ...(sub.description ? { description: sub.description } : {}),
        reads: [...new Set([...sub.reads.map((p) => prefixPath(a, p)), ...extra])],
        writes: sub.writes.map((p) => prefixPath(a, p)),
        ...(sub.continuous ? { continuous: sub.continuous.map((p) => prefixPath(a, p)) } : {}),
        ...(observe ? { observe: (ctx: SubstepContext) => observe(inner(ctx)) } : {}),
        ...(act ? { act: (ctx: SubstepContext, obs: unknown) => act(inner(ctx), obs) } : {}),
        transition: (ctx, obs, action) => {
          const updates = sub.transition(inner(ctx), obs, action) ?? {};
          return Object.fromEntries(Object.entries(updates).map(([p, t]) => [prefixPath(a, p), t])) as StateUpdates;
        },
      });
    }
  }
  const definition = defineModel({
    id: input.id,
    description: input.description ?? `${aliases.map((a) => members[a]!.id).join(' + ')}${links.length ? ` (${links.map((l) => `${l.from}${l.lag ? ' (previous step)' : ''} -> ${l.to}`).join(', ')})` : ''}`,
    state: { agents, environment, networks },
    parameters,
    substeps,
    metrics,
    inputs,
    behaviors,
    needs: { attributes: needs } as ModelDefinition['needs'] & object,
    defaultAgents: Math.max(...aliases.map((a) => members[a]!.defaultAgents)),
  });
  const composite: CompositeSpec = Object.freeze({ order: Object.freeze(order), members: Object.freeze({ ...members }), links: Object.freeze(links.map(({ from, to, scale, lag }) => Object.freeze({ from, to, scale, lag }))) });
  return Object.freeze({ ...definition, composite }) as CompositeDefinition<Id>;
}

/** True for a model made with `defineComposite`. */
export function isComposite(model: ModelDefinition): model is CompositeDefinition {
  return typeof (model as Partial<CompositeDefinition>).composite === 'object';
}
