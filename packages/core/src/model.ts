/**
 * Models: data (agent types with typed properties, environment, networks),
 * parameters, substeps and metrics. A model describes; a simulation runs.
 */
import { validateBehaviorSlots, type BehaviorSlots } from './behavior.js';
import { validateInputSpecs, type InputSpecs } from './inputs.js';
import type { MetricSpec } from './metrics.js';
import type { ParameterSpecs, ParamValue } from './parameters.js';
import { validateParameterSpecs } from './parameters.js';
import type { PopulationData } from './population.js';
import { validateModelNeeds, type ModelNeedsInput } from './population-fit.js';
import type { StatePath, UndeclaredPaths } from './state-path.js';
import { parsePath } from './state-path.js';
import type { SubstepDefinition } from './substep.js';
import type { tf } from './tf.js';
import { assertDefinition, deepCopy, deepFreeze, isPlainObject, LOCAL_NAME } from './validate.js';

export type StateDtype = 'float32' | 'int32' | 'bool';
const DTYPES: readonly StateDtype[] = ['float32', 'int32', 'bool'];

/** What an initialiser sees. */
export interface InitContext {
  /** Number of agents of this type (1 for environment values). */
  readonly count: number;
  /** Full tensor shape to produce: [count, ...shape] for agent properties, shape for environment values. */
  readonly shape: readonly number[];
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly seed: number;
  /** The built population, when the simulation has one. */
  readonly population: PopulationData | undefined;
  /** Attributes of this agent type in the population (empty without one). */
  readonly attributes: Readonly<Record<string, ArrayLike<number>>>;
  /**
   * Counter-based uniforms in (0, 1), one per element of `shape`, for a named stream. Properties of
   * one agent type get the same draws from the same stream name (so `infected` and `susceptible`
   * can be seeded consistently).
   */
  uniform(stream: string): Float32Array;
}

/**
 * How a property starts: a constant, a population attribute (`{ attribute: 'age' }`, with a
 * fallback when the population lacks it), or a function returning values, a number or a tensor.
 */
export type Initializer =
  | number
  | { readonly attribute: string; readonly fallback?: number }
  | ((ctx: InitContext) => ArrayLike<number> | number | tf.Tensor);

export interface PropertySpec {
  readonly dtype: StateDtype;
  /** Per-agent trailing shape; [] (one value per agent) by default. */
  readonly shape?: readonly number[];
  readonly init: Initializer;
  readonly description?: string;
}

// a type (not an interface), so that it is assignable to AgentTypeShorthand's index signature
export type AgentTypeSpec = {
  readonly description?: string;
  /** Population agent type to take counts and attributes from (default: same name, or the population's only type). */
  readonly from?: string;
  readonly properties: Readonly<Record<string, PropertySpec>>;
};

export interface EnvironmentSpec {
  readonly dtype: StateDtype;
  readonly shape?: readonly number[];
  readonly init: Initializer;
  readonly description?: string;
}

export interface NetworkSpec {
  /** Agent type whose members are the nodes. */
  readonly agents: string;
  /** Population network to use (default: the same name). */
  readonly layer?: string;
  /** When true, the model runs without it (e.g. homogeneous mixing) if the population lacks it. */
  readonly optional?: boolean;
  readonly description?: string;
}

export interface StateSpec {
  readonly agents: Readonly<Record<string, AgentTypeSpec>>;
  readonly environment?: Readonly<Record<string, EnvironmentSpec>>;
  readonly networks?: Readonly<Record<string, NetworkSpec>>;
}

/**
 * An agent type with its properties written directly under it, without the `properties` level:
 * `people: { status: { dtype: 'int32', init: 0 }, description: 'everyone' }`. `description` and
 * `from` keep their meaning (strings); a property named `description`, `from` or `properties` needs
 * the `{ properties }` form. `defineModel` stores the `{ properties }` form, so paths, snapshots and
 * stored runs are the same for both.
 */
export interface AgentTypeShorthand {
  readonly description?: string;
  readonly from?: string;
  readonly properties?: Readonly<Record<string, PropertySpec>>;
  readonly [property: string]: PropertySpec | string | Readonly<Record<string, PropertySpec>> | undefined;
}

/** The state `defineModel` accepts: agent types in either form (`{ properties }` or `AgentTypeShorthand`). */
export interface StateInput {
  readonly agents: Readonly<Record<string, AgentTypeShorthand>>;
  readonly environment?: Readonly<Record<string, EnvironmentSpec>>;
  readonly networks?: Readonly<Record<string, NetworkSpec>>;
}

type ShorthandProperties<T> = { readonly [P in Exclude<keyof T, 'description' | 'from' | 'properties'>]: Extract<T[P], PropertySpec> };
/** The stored form of a state input: every agent type as `{ description?, from?, properties }`. */
export type NormalizedState<S> = {
  readonly [K in keyof S]: K extends 'agents'
    ? { readonly [T in keyof S[K]]: S[K][T] extends { readonly properties: object } ? S[K][T] : { readonly description?: string; readonly from?: string; readonly properties: ShorthandProperties<S[K][T]> } }
    : S[K];
};

/** The `{ properties }` form of every agent type (a shorthand's non-object `description`/`from` stay as they are, for the validation to report). */
function normalizeState(state: StateInput): StateSpec {
  if (!isPlainObject(state) || !isPlainObject(state.agents)) return state as StateSpec;
  const agents = Object.fromEntries(
    Object.entries(state.agents).map(([type, spec]) => {
      if (!isPlainObject(spec) || 'properties' in spec) return [type, spec];
      const { description, from, ...properties } = spec as Record<string, unknown>;
      return [type, { ...(description === undefined ? {} : { description }), ...(from === undefined ? {} : { from }), properties }];
    }),
  );
  return { ...state, agents } as StateSpec;
}

export interface ModelDefinition<Id extends string = string, S = StateSpec> {
  readonly id: Id;
  readonly description: string;
  /** Its state; `ModelPathOf<typeof model>` is the union of the paths it declares. */
  readonly state: S;
  readonly parameters: ParameterSpecs;
  readonly substeps: readonly SubstepDefinition<any, any>[];
  readonly metrics: Readonly<Record<string, MetricSpec>>;
  /** Agents when the simulation has no population (default 1000). */
  readonly defaultAgents: number;
  /** Behaviour slots its substeps consult through `ctx.behavior(name)` (filled by `sim.useBehavior`). */
  readonly behaviors?: BehaviorSlots;
  /**
   * What it needs from a population beyond what its state says (agent types, networks and
   * `{ attribute }` initialisers are read from the state): population attributes that function
   * initialisers read, each required or with the fallback the model uses without it.
   */
  readonly needs?: ModelNeedsInput;
  /** Exogenous series it reads each step with `ctx.input(name)` (from data, or from another model's metric in a composed run). */
  readonly inputs?: InputSpecs;
}

export type ModelInput<Id extends string> = Omit<ModelDefinition<Id>, 'defaultAgents' | 'parameters' | 'state'> & {
  /** Agent types as `{ properties }` or with their properties directly under them (see AgentTypeShorthand). */
  readonly state: StateInput;
  readonly defaultAgents?: number;
  readonly parameters?: ParameterSpecs;
};

/**
 * Substeps whose literal reads or writes the state `S` declares; one that names an undeclared path
 * gets a required property naming it, so the mistake is a compile error at `defineModel`.
 */
export type CheckedSubsteps<Subs, S> = {
  readonly [K in keyof Subs]: Subs[K] extends { readonly reads: readonly (infer R)[]; readonly writes: readonly (infer W)[] }
    ? [UndeclaredPaths<R | W, S>] extends [never] ? Subs[K] : { readonly 'undeclared state paths': UndeclaredPaths<R | W, S> }
    : Subs[K];
};

/** Metrics whose literal reads the state `S` declares (see `CheckedSubsteps`). */
export type CheckedMetrics<Ms, S> = {
  readonly [K in keyof Ms]: Ms[K] extends { readonly reads: readonly (infer R)[] }
    ? [UndeclaredPaths<R, S>] extends [never] ? Ms[K] : { readonly 'undeclared state paths': UndeclaredPaths<R, S> }
    : Ms[K];
};

/** Every state path a model declares, with its dtype and per-element shape. */
export function declaredPaths(state: StateSpec): Map<StatePath, { dtype?: StateDtype; shape?: readonly number[] }> {
  const out = new Map<StatePath, { dtype?: StateDtype; shape?: readonly number[] }>();
  for (const [type, spec] of Object.entries(state.agents)) {
    for (const [prop, p] of Object.entries(spec.properties)) out.set(`agents/${type}/${prop}`, { dtype: p.dtype, shape: p.shape ?? [] });
  }
  for (const [name, e] of Object.entries(state.environment ?? {})) out.set(`env/${name}`, { dtype: e.dtype, shape: e.shape ?? [] });
  for (const name of Object.keys(state.networks ?? {})) out.set(`networks/${name}`, {});
  return out;
}

function checkShape(shape: unknown, at: string): void {
  assertDefinition(shape === undefined || (Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d > 0)), `${at}.shape`, 'an array of positive integers', shape);
}

function checkInit(init: unknown, at: string): void {
  const ok = typeof init === 'number' || typeof init === 'function' || (isPlainObject(init) && typeof init.attribute === 'string');
  assertDefinition(ok, `${at}.init`, 'a number, { attribute } or a function', init);
}

function validateState(state: unknown, where: string): void {
  assertDefinition(isPlainObject(state) && isPlainObject(state.agents), `${where}.state`, 'an object { agents, environment?, networks? }', state);
  const s = state as unknown as StateSpec;
  assertDefinition(Object.keys(s.agents).length > 0, `${where}.state.agents`, 'at least one agent type', s.agents);
  for (const [type, spec] of Object.entries(s.agents)) {
    const at = `${where}.state.agents.${type}`;
    assertDefinition(LOCAL_NAME.test(type), at, 'an agent type name of letters, digits, _ or -', type);
    assertDefinition(isPlainObject(spec) && isPlainObject(spec.properties), at, 'an object { properties }', spec);
    assertDefinition(spec.from === undefined || typeof spec.from === 'string', `${at}.from`, 'the name of a population agent type', spec.from);
    assertDefinition(spec.description === undefined || typeof spec.description === 'string', `${at}.description`, 'a string', spec.description);
    for (const [prop, p] of Object.entries(spec.properties)) {
      const pat = `${at}.properties.${prop}`;
      assertDefinition(LOCAL_NAME.test(prop), pat, 'a property name of letters, digits, _ or -', prop);
      assertDefinition(isPlainObject(p) && DTYPES.includes(p.dtype as StateDtype), `${pat}.dtype`, `one of ${DTYPES.join(', ')}`, (p as { dtype?: unknown })?.dtype);
      checkShape(p.shape, pat);
      checkInit(p.init, pat);
    }
  }
  for (const [name, e] of Object.entries(s.environment ?? {})) {
    const at = `${where}.state.environment.${name}`;
    assertDefinition(isPlainObject(e) && DTYPES.includes(e.dtype as StateDtype), `${at}.dtype`, `one of ${DTYPES.join(', ')}`, (e as { dtype?: unknown })?.dtype);
    checkShape(e.shape, at);
    checkInit(e.init, at);
  }
  for (const [name, n] of Object.entries(s.networks ?? {})) {
    const at = `${where}.state.networks.${name}`;
    assertDefinition(isPlainObject(n) && typeof n.agents === 'string' && s.agents[n.agents] !== undefined, `${at}.agents`, `one of the agent types [${Object.keys(s.agents).join(', ')}]`, (n as { agents?: unknown })?.agents);
  }
}

/**
 * Declares a model. Pure: it validates the whole declaration (state schema, parameters,
 * substep reads/writes against the schema, metric reads), freezes a copy and returns it.
 *
 * @example
 * ```ts
 * const walk = defineModel({
 *   id: 'walk', description: 'a 1-D random walk',
 *   state: { agents: { walkers: { properties: { x: { dtype: 'float32', init: 0 } } } } },
 *   parameters: { speed: { default: 1, bounds: [0, 10], learnable: true } },
 *   substeps: [drift],
 *   metrics: { meanX: meanOf('agents/walkers/x') },
 * });
 * ```
 */
export function defineModel<
  const Id extends string,
  const S extends StateInput = StateInput,
  Subs extends readonly SubstepDefinition<any, any, any, any>[] = readonly SubstepDefinition<any, any>[],
  const Ms extends Readonly<Record<string, MetricSpec<any>>> = Readonly<Record<string, MetricSpec>>,
>(input: Omit<ModelInput<Id>, 'state' | 'substeps' | 'metrics'> & { readonly state: S; readonly substeps: Subs & CheckedSubsteps<Subs, S>; readonly metrics: Ms & CheckedMetrics<Ms, S> }): ModelDefinition<Id, NormalizedState<S>> {
  assertDefinition(isPlainObject(input), 'defineModel', 'an object { id, description, state, parameters, substeps, metrics }', input);
  const where = `defineModel(${typeof input.id === 'string' ? input.id : '?'})`;
  assertDefinition(typeof input.id === 'string' && LOCAL_NAME.test(input.id) && !input.id.includes('/'), `${where}.id`, "a local name without '/' (the plugin adds its namespace)", input.id);
  assertDefinition(typeof input.description === 'string' && input.description.length > 0, `${where}.description`, 'a non-empty string', input.description);
  const state = normalizeState(input.state);
  validateState(state, where);
  validateBehaviorSlots(input.behaviors, Object.keys(state.agents), where);
  validateModelNeeds(input.needs, Object.keys(state.agents), where);
  validateInputSpecs(input.inputs, where);
  const parameters = input.parameters ?? {};
  validateParameterSpecs(parameters, where);
  const defaultAgents = input.defaultAgents ?? 1000;
  assertDefinition(Number.isInteger(defaultAgents) && defaultAgents > 0, `${where}.defaultAgents`, 'a positive integer', defaultAgents);
  const paths = declaredPaths(state);
  const known = [...paths.keys()].join(', ');
  assertDefinition(Array.isArray(input.substeps) && input.substeps.length > 0, `${where}.substeps`, 'a non-empty array of substeps (defineSubstep)', input.substeps);
  const names = new Set<string>();
  for (const sub of input.substeps as readonly SubstepDefinition<unknown, unknown>[]) {
    assertDefinition(isPlainObject(sub as unknown) && typeof sub.transition === 'function' && Array.isArray(sub.reads) && Array.isArray(sub.writes), `${where}.substeps`, 'substeps made with defineSubstep', sub);
    assertDefinition(!names.has(sub.name), `${where}.substeps`, 'unique substep names', sub.name);
    names.add(sub.name);
    for (const p of sub.reads) assertDefinition(paths.has(p), `${where}: substep '${sub.name}' reads`, `a declared state path (${known})`, p, 'Declare it in state or fix the path.');
    for (const p of sub.writes) assertDefinition(paths.has(p) && parsePath(p)?.kind !== 'networks', `${where}: substep '${sub.name}' writes`, `a declared agent or environment path (${known})`, p, 'Declare it in state or fix the path.');
  }
  assertDefinition(isPlainObject(input.metrics), `${where}.metrics`, 'an object of metric specs', input.metrics);
  for (const [name, m] of Object.entries(input.metrics)) {
    assertDefinition(LOCAL_NAME.test(name), `${where}.metrics`, 'metric names of letters, digits, _ or -', name);
    assertDefinition(isPlainObject(m) && typeof m.compute === 'function' && Array.isArray(m.reads), `${where}.metrics.${name}`, 'a metric spec { reads, compute } (see countWhere, sumOf, meanOf)', m);
    for (const p of m.reads) assertDefinition(paths.has(p), `${where}: metric '${name}' reads`, `a declared state path (${known})`, p);
  }
  // A copy, so that later edits to the caller's objects do not reach the definition.
  return deepFreeze({ ...deepCopy(input), state: deepCopy(state), parameters: deepCopy(parameters), defaultAgents }) as unknown as ModelDefinition<Id, NormalizedState<S>>;
}
