/**
 * The runtime: the only place where plugin contributions are registered.
 * Registries belong to the instance, so runtimes with different plugins
 * coexist in one process.
 */
import { activateBackend, BACKEND_CHOICES, initBackend, type BackendChoice, type BackendInfo } from './backend.js';
import { compose, type ComposeOptions, type Composition } from './compose.js';
import { PopulaceError } from './errors.js';
import { resolveInputs, type InputValues } from './inputs.js';
import type { ModelDefinition } from './model.js';
import { resolveParams } from './parameters.js';
import type { Contribution, ModelIdOf, PluginDefinition, PopulationIdOf } from './plugin.js';
import { isPluginDefinition } from './plugin.js';
import type { AttributeSchema, PopulationDefinition } from './population.js';
import { formatFor, type PopulationFileAccess, type PopulationFormatDefinition } from './population-format.js';
import { modelNeeds, populationFit, type PopulationFit, type PopulationNeeds } from './population-fit.js';
import { Registry, type Registered } from './registry.js';
import { Simulation, type ResolvedSimulation } from './simulation.js';
import type { PopulationDataSource } from './simulation-population.js';
import type { SubstepDefinition } from './substep.js';
import { describeValue, isPlainObject } from './validate.js';

export interface RuntimeOptions<P extends readonly PluginDefinition[]> {
  readonly plugins: P;
  /** Tensor backend; `auto` (default) takes the fastest present. */
  readonly backend?: BackendChoice;
}

export interface CreateSimulationOptions<M extends string = string, Q extends string = string> {
  /** Full (`epi/sir`) or bare (`sir`) model id. */
  readonly model: M;
  /**
   * Population id, or the path of a population file (a value ending in an extension a loaded
   * format reads, e.g. `town/population.yaml`), or a file opened with `openPopulationFile`;
   * without one, the model runs on `agents` agents with no attributes or networks.
   */
  readonly population?: Q | PopulationFile;
  /** Parameter overrides, validated against the model's bounds. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Unsigned 32-bit integer; default 0. */
  readonly seed?: number;
  /** Number of agents (the population scales to it, or the model's agent count without a population). */
  readonly agents?: number;
  /** Values of the model's inputs (a constant or one value per step), over their defaults. */
  readonly inputs?: InputValues;
  /**
   * The population already built elsewhere (a worker thread) for this `population`, `agents` and
   * `seed`, or a function returning it (called once, when the simulation gets ready); it is
   * validated like a build and used instead of the population's own `build`.
   */
  readonly populationData?: PopulationDataSource;
}

/** A JSON-friendly description of a model (for CLIs, servers and assistants). */
export interface ModelDescription {
  readonly id: string;
  readonly plugin: string;
  readonly description: string;
  readonly agentTypes: Record<string, { description?: string; properties: Record<string, { dtype: string; shape: readonly number[]; description?: string }> }>;
  readonly environment: Record<string, { dtype: string; shape: readonly number[]; description?: string }>;
  readonly networks: Record<string, { agents: string; layer: string; optional: boolean; description?: string }>;
  /** `bounds` sides are null where unbounded (JSON has no Infinity). */
  readonly parameters: Record<string, { default: number | readonly number[]; bounds: [number | null, number | null]; learnable: boolean; integer: boolean; description?: string; unit?: string }>;
  readonly metrics: Record<string, { description?: string }>;
  readonly substeps: { name: string; description?: string; reads: readonly string[]; writes: readonly string[] }[];
  /** Behaviour slots (`sim.useBehavior`); `range` is null when unbounded. */
  readonly behaviors: Record<string, { agentType: string; description: string; range: [number, number] | null; context: Record<string, string> }>;
  /** What it needs from a population (agent types, attributes, networks) and what it falls back to without the optional parts. */
  readonly needs: PopulationNeeds;
  /** Exogenous series it reads each step; `default` is null when the input must be given, a series is summarised by its length. */
  readonly inputs: Record<string, { description: string; unit?: string; default: number | { length: number } | null }>;
}

/** A population read from a file (see `Runtime.openPopulationFile`). */
export interface PopulationFile extends Registered<PopulationDefinition> {
  /** The absolute path of the file. */
  readonly file: string;
  /** `sha256:<hex>` over every file it reads. */
  readonly digest: string;
  /** Absolute paths of every file it reads (the manifest first). */
  readonly files: readonly string[];
}

export interface PopulationDescription {
  readonly id: string;
  readonly plugin: string;
  readonly description: string;
  readonly defaultAgents: number;
  readonly maxAgents: number;
  readonly agentTypes: readonly string[];
  readonly networks: readonly string[];
  /** Declared attributes per agent type (empty when the population does not declare them). */
  readonly attributes: Readonly<Record<string, AttributeSchema>>;
}

/**
 * A runtime. `M` and `Q` are the model and population ids it knows: literal unions when the
 * plugins are known at compile time, `string` when they are loaded at run time.
 */
export interface Runtime<M extends string = string, Q extends string = string> {
  readonly plugins: readonly { name: string; version: string; description?: string }[];
  readonly models: Registry<ModelDefinition>;
  readonly populations: Registry<PopulationDefinition>;
  readonly substeps: Registry<SubstepDefinition<any, any>>;
  readonly odeComponents: Registry<Contribution>;
  readonly archetypes: Registry<Contribution>;
  readonly populationFormats: Registry<PopulationFormatDefinition>;
  /** True when `value` names a population file: it ends in an extension one of the loaded formats reads. */
  isPopulationFile(value: string): boolean;
  /**
   * Opens a population file through the format that reads its extension. `file` is used as given
   * (resolve relative paths first); `name` is the id the simulation reports (default `file`);
   * `check` sees every path before it is read. Errors name the file and the fix.
   */
  openPopulationFile(file: string, options?: PopulationFileAccess & { readonly name?: string }): PopulationFile;
  /** Initialises the tensor backend (once) and reports which one was chosen and why. */
  ready(): Promise<BackendInfo>;
  describeModel(id: M): ModelDescription;
  describePopulation(id: Q): PopulationDescription;
  /** Whether a population provides what a model needs (from their declarations; nothing is built). */
  fit(model: M, population: Q | PopulationDefinition): PopulationFit;
  /** Full ids of the registered populations that fit a model. */
  populationsFor(model: M): string[];
  /** Full ids of the registered models that fit a population. */
  modelsFor(population: Q | PopulationDefinition): string[];
  /** Creates a simulation; every argument is validated now, the state is built on `ready()`/first step. */
  createSimulation(options: CreateSimulationOptions<M, Q>): Simulation;
  /**
   * Checks `createSimulation`'s arguments and resolves them (every parameter's value included, with
   * the same errors) without creating a simulation: nothing is built or allocated.
   */
  resolveSimulation(options: CreateSimulationOptions<M, Q>): ResolvedSimulation;
  /**
   * Composes registered models, each on its own population, one model's metric feeding another's
   * input (`links: ['epi/h5n1.birdsCulled=supplychain/eggs.layersLost']`): one model on one tape.
   */
  compose(options: ComposeOptions): Composition;
  /** The description of a model definition that is not registered (e.g. a composition's). */
  describeDefinition(id: string, definition: ModelDefinition): ModelDescription;
}

function register(plugins: readonly PluginDefinition[]) {
  const models = new Registry<ModelDefinition>('model');
  const populations = new Registry<PopulationDefinition>('population');
  const substeps = new Registry<SubstepDefinition<any, any>>('substep');
  const odeComponents = new Registry<Contribution>('ODE component');
  const archetypes = new Registry<Contribution>('archetype');
  const populationFormats = new Registry<PopulationFormatDefinition>('population format');
  const names = new Set<string>();
  for (const [i, plugin] of plugins.entries()) {
    if (!isPluginDefinition(plugin)) {
      throw new PopulaceError('invalid-argument', `createRuntime: plugins[${i}]: expected a plugin made with definePlugin, received ${describeValue(plugin)}. Pass the package's default export or its 'plugin' export.`);
    }
    if (names.has(plugin.name)) {
      throw new PopulaceError('duplicate-id', `createRuntime: plugin '${plugin.name}' is given twice. Pass each plugin once.`, { details: { plugin: plugin.name } });
    }
    names.add(plugin.name);
  }
  for (const plugin of plugins) {
    for (const req of plugin.requires) {
      if (!names.has(req)) {
        throw new PopulaceError('missing-requirement', `plugin '${plugin.name}' requires plugin '${req}', which is not in this runtime. Install it and add it to plugins: createRuntime({ plugins: [..., ${req}] }).`, { details: { plugin: plugin.name, requires: req } });
      }
    }
    for (const m of plugin.models) models.add(plugin.name, m.id, m);
    for (const p of plugin.populations) populations.add(plugin.name, p.id, p);
    for (const s of plugin.substeps) substeps.add(plugin.name, s.name, s);
    for (const o of plugin.odeComponents) odeComponents.add(plugin.name, o.id, o);
    for (const a of plugin.archetypes) archetypes.add(plugin.name, a.id, a);
    for (const f of plugin.populationFormats ?? []) populationFormats.add(plugin.name, f.id, f);
  }
  const formats = populationFormats.list().map((f) => f.definition);
  for (const p of populations.list()) {
    const reader = formatFor(p.id, formats);
    if (reader) throw new PopulaceError('duplicate-id', `population '${p.id}' ends in '${reader.extensions.find((e) => p.id.toLowerCase().endsWith(e))}', which names a population file; rename it.`, { details: { id: p.id } });
  }
  return { models, populations, substeps, odeComponents, archetypes, populationFormats };
}

const finiteOrNull = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

/**
 * Checks an agent count (undefined: the default) against a population's limit, as createSimulation
 * does; callers that size a job before creating its simulation (memory checks) call it first.
 */
export function checkAgentCount(agents: unknown, population?: { readonly id: string; readonly definition: { readonly maxAgents: number } }): void {
  if (agents === undefined) return;
  const max = population?.definition.maxAgents ?? 2 ** 31 - 1;
  if (typeof agents !== 'number' || !Number.isInteger(agents) || agents < 1 || agents > max) {
    throw new PopulaceError('invalid-argument', `agents: expected an integer in [1, ${max}]${population ? ` (the limit of population '${population.id}')` : ''}, received ${describeValue(agents)}.`, { details: { received: agents, max } });
  }
}

function checkSeed(seed: unknown): number {
  if (seed === undefined) return 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new PopulaceError('invalid-argument', `seed: expected an integer in [0, 4294967295], received ${describeValue(seed)}.`, { details: { received: seed } });
  }
  return seed;
}

/**
 * Builds a runtime from plugins.
 *
 * @example
 * ```ts
 * const populace = createRuntime({ plugins: [examplePlugin] });
 * const sim = populace.createSimulation({ model: 'network-sir', population: 'random-graph', agents: 10_000, seed: 1 });
 * const { metrics } = await sim.run({ steps: 30 });
 * ```
 */
export function createRuntime<const P extends readonly PluginDefinition[]>(options: RuntimeOptions<P>): Runtime<ModelIdOf<P>, PopulationIdOf<P>> {
  if (!options || !Array.isArray(options.plugins)) {
    throw new PopulaceError('invalid-argument', `createRuntime: expected { plugins: [...] }, received ${describeValue(options?.plugins)}.`);
  }
  const requested = options.backend ?? 'auto';
  if (!BACKEND_CHOICES.includes(requested)) {
    throw new PopulaceError('invalid-argument', `backend: expected one of ${BACKEND_CHOICES.join(', ')}, received ${describeValue(requested)}.`, { details: { expected: BACKEND_CHOICES } });
  }
  const registries = register(options.plugins);
  let backend: Promise<BackendInfo> | undefined;
  const ready = (): Promise<BackendInfo> => {
    backend ??= initBackend(requested);
    backend.catch(() => (backend = undefined));
    return backend;
  };

  const describeModel = (id: string): ModelDescription => describeRegistered(registries.models.get(id));
  const describeRegistered = ({ id: full, plugin, definition: m }: Registered<ModelDefinition>): ModelDescription => {
    const shape = (s?: readonly number[]) => [...(s ?? [])];
    return {
      id: full,
      plugin,
      description: m.description,
      agentTypes: Object.fromEntries(Object.entries(m.state.agents).map(([t, a]) => [t, { description: a.description, properties: Object.fromEntries(Object.entries(a.properties).map(([k, p]) => [k, { dtype: p.dtype, shape: shape(p.shape), description: p.description }])) }])),
      environment: Object.fromEntries(Object.entries(m.state.environment ?? {}).map(([k, e]) => [k, { dtype: e.dtype, shape: shape(e.shape), description: e.description }])),
      networks: Object.fromEntries(Object.entries(m.state.networks ?? {}).map(([k, n]) => [k, { agents: n.agents, layer: n.layer ?? k, optional: n.optional ?? false, description: n.description }])),
      parameters: Object.fromEntries(Object.entries(m.parameters).map(([k, p]) => [k, { default: p.default, bounds: [finiteOrNull(p.bounds?.[0]), finiteOrNull(p.bounds?.[1])], learnable: p.learnable ?? false, integer: p.integer ?? false, description: p.description, unit: p.unit }])),
      metrics: Object.fromEntries(Object.entries(m.metrics).map(([k, v]) => [k, { description: v.description }])),
      substeps: m.substeps.map((s) => ({ name: s.name, description: s.description, reads: s.reads, writes: s.writes })),
      behaviors: Object.fromEntries(Object.entries(m.behaviors ?? {}).map(([k, b]) => [k, { agentType: b.agentType, description: b.description, range: b.range ? [b.range[0], b.range[1]] : null, context: { ...(b.context ?? {}) } }])),
      needs: modelNeeds(m),
      inputs: Object.fromEntries(Object.entries(m.inputs ?? {}).map(([k, i]) => [k, { description: i.description, ...(i.unit ? { unit: i.unit } : {}), default: i.default === undefined ? null : typeof i.default === 'number' ? i.default : { length: i.default.length } }])),
    };
  };

  const isPopulationFile = (value: string): boolean => typeof value === 'string' && formatFor(value, registries.populationFormats.list().map((f) => f.definition)) !== undefined;
  const openPopulationFile = (file: string, options: PopulationFileAccess & { readonly name?: string } = {}): PopulationFile => {
    const format = registries.populationFormats.list().find((f) => formatFor(file, [f.definition]));
    if (!format) {
      const known = registries.populationFormats.list().flatMap((f) => f.definition.extensions);
      throw new PopulaceError('invalid-argument', `population file '${options.name ?? file}': no loaded plugin reads ${known.length ? `this kind of file (they read ${known.join(', ')})` : 'population files'}. Load a plugin that does, e.g. @populace/populations for .json/.yaml/.yml manifests.`, { details: { file: options.name ?? file } });
    }
    const opened = format.definition.open(file, options.check ? { check: options.check } : {});
    return Object.freeze({ id: options.name ?? file, plugin: format.plugin, definition: opened.population, file, digest: opened.digest, files: opened.files });
  };
  const resolvePopulation = (population: string | PopulationFile): Registered<PopulationDefinition> => {
    if (typeof population === 'object' && population !== null && typeof (population as PopulationFile).digest === 'string') return population as PopulationFile;
    if (typeof population === 'string' && isPopulationFile(population)) return openPopulationFile(population);
    return registries.populations.get(population as string);
  };

  const definitionOf = (population: string | PopulationDefinition): PopulationDefinition => (typeof population === 'string' ? registries.populations.get(population).definition : population);
  const fit = (model: string, population: string | PopulationDefinition): PopulationFit => populationFit(registries.models.get(model).definition, definitionOf(population));
  const populationsFor = (model: string): string[] => {
    const m = registries.models.get(model).definition;
    return registries.populations.list().filter((p) => populationFit(m, p.definition).fits).map((p) => p.id);
  };
  const modelsFor = (population: string | PopulationDefinition): string[] => {
    const p = definitionOf(population);
    return registries.models.list().filter((m) => populationFit(m.definition, p).fits).map((m) => m.id);
  };
  /** Refuses a population that lacks what the model needs, naming the missing parts and the populations that fit. */
  const checkFit = (model: Registered<ModelDefinition>, population: { id: string; definition: PopulationDefinition }): void => {
    const result = populationFit(model.definition, population.definition);
    if (result.fits) return;
    const fitting = populationsFor(model.id);
    throw new PopulaceError('population-mismatch', `model '${model.id}' cannot run on population '${population.id}': ${result.missing.join('; ')}. ${fitting.length > 0 ? `Populations that fit: ${fitting.join(', ')}.` : 'No loaded population fits it; run it without a population or load a plugin that provides one.'}`, { details: { model: model.id, population: population.id, missing: result.missing, fitting } });
  };

  const describePopulation = (id: string): PopulationDescription => {
    const { id: full, plugin, definition: p } = registries.populations.get(id);
    return { id: full, plugin, description: p.description, defaultAgents: p.defaultAgents, maxAgents: p.maxAgents, agentTypes: p.agentTypes, networks: p.networks, attributes: p.attributes ?? {} };
  };

  const resolveSimulation = (opts: CreateSimulationOptions): ResolvedSimulation => {
    if (!opts || typeof opts !== 'object') throw new PopulaceError('invalid-argument', `createSimulation: expected { model, population?, params?, seed?, agents? }, received ${describeValue(opts)}.`);
    const model = registries.models.get(opts.model);
    const population = opts.population === undefined ? undefined : resolvePopulation(opts.population);
    if (population) checkFit(model, population);
    const seed = checkSeed(opts.seed);
    const agents = opts.agents;
    checkAgentCount(agents, population);
    const params = resolveParams(model.definition.parameters, opts.params, model.id);
    const populationData = opts.populationData;
    if (populationData !== undefined && (!population || !(typeof populationData === 'function' || isPlainObject(populationData)))) {
      throw new PopulaceError('invalid-argument', `createSimulation: populationData expected ${population ? 'built population data { agents, networks? } or a function returning it' : 'a population too (the id the data was built for)'}, received ${describeValue(populationData)}.`);
    }
    return { populationData, model, population, params, seed, agents, ...(model.definition.inputs || opts.inputs ? { inputs: resolveInputs(model.definition.inputs, opts.inputs, model.id) } : {}) };
  };
  const createSimulation = (opts: CreateSimulationOptions): Simulation => new Simulation({ ...resolveSimulation(opts), backend: ready, activate: async () => activateBackend((await ready()).name) });
  const composeModels = (options: ComposeOptions): Composition =>
    compose(
      { models: registries.models, resolvePopulation: (v) => resolvePopulation(v as string), checkFit, checkSeed, setup: () => ({ backend: ready, activate: async () => activateBackend((await ready()).name) }) },
      options,
    );

  return {
    plugins: options.plugins.map((p) => ({ name: p.name, version: p.version, ...(p.description ? { description: p.description } : {}) })),
    ...registries,
    isPopulationFile,
    openPopulationFile,
    ready,
    describeModel,
    describePopulation,
    fit,
    populationsFor,
    modelsFor,
    createSimulation,
    resolveSimulation,
    compose: composeModels,
    describeDefinition: (id, definition) => describeRegistered({ id, plugin: 'composite', definition }),
  };
}
