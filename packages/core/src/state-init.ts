/**
 * Builds a simulation's initial tensors from a model's state schema and a
 * built population: agent counts, properties, environment values, networks.
 */
import { PopulaceError } from './errors.js';
import type { CsrTensors } from './kernels/ops/gather-reduce.js';
import type { HashedContacts } from './kernels/ops/hashed-gather.js';
import type { EnvironmentSpec, Initializer, ModelDefinition, PropertySpec } from './model.js';
import type { ParamValue } from './parameters.js';
import type { PopulationData } from './population.js';
import { mapAgentTypes } from './population-fit.js';
import { fillUniform, hashString, streamKey } from './random.js';
import { tf } from './tf.js';
import { describeValue } from './validate.js';

/** Which population agent type each model agent type maps to, and how many agents it has. */
export interface AgentLayout {
  readonly counts: ReadonlyMap<string, number>;
  readonly sources: ReadonlyMap<string, string | undefined>;
}

export function layoutAgents(model: ModelDefinition, modelId: string, population: PopulationData | undefined, populationId: string | undefined, agents: number): AgentLayout {
  const counts = new Map<string, number>();
  const sources = new Map<string, string | undefined>();
  const popTypes = population ? Object.keys(population.agents) : [];
  const mapped = mapAgentTypes(model, popTypes);
  for (const [type, spec] of Object.entries(model.state.agents)) {
    if (!population) {
      counts.set(type, agents);
      sources.set(type, undefined);
      continue;
    }
    const source = mapped.get(type);
    if (source === undefined || !population.agents[source]) {
      throw new PopulaceError('invalid-argument', `model '${modelId}' needs agent type '${spec.from ?? type}', but population '${populationId}' provides [${popTypes.join(', ')}]. Choose a population with that agent type.`, { details: { model: modelId, population: populationId, needed: spec.from ?? type, provided: popTypes } });
    }
    counts.set(type, population.agents[source]!.count);
    sources.set(type, source);
  }
  return { counts, sources };
}

interface InitArgs {
  readonly spec: PropertySpec | EnvironmentSpec;
  readonly path: string;
  /** Agent type (or 'env') whose initialisers share uniform streams. */
  readonly owner: string;
  readonly count: number;
  readonly shape: number[];
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly seed: number;
  readonly population: PopulationData | undefined;
  readonly attributes: Readonly<Record<string, ArrayLike<number>>>;
}

function fromValues(values: ArrayLike<number> | number | tf.Tensor, args: InitArgs): tf.Tensor {
  const size = args.shape.reduce((a, b) => a * b, 1);
  const dtype = args.spec.dtype;
  if (typeof values === 'number') return tf.fill(args.shape, values, dtype);
  if (values instanceof tf.Tensor) {
    if (values.size !== size) throw initError(args, `a tensor of ${size} elements`, `shape [${values.shape.join(', ')}]`);
    const reshaped = values.reshape(args.shape);
    return values.dtype === dtype ? reshaped : tf.tidy(() => tf.cast(reshaped, dtype));
  }
  if (values.length !== size) throw initError(args, `${size} values`, `${values.length} values`);
  const typed = dtype === 'float32' ? Float32Array.from(values) : dtype === 'int32' ? Int32Array.from(values) : Uint8Array.from(values, (v) => (v ? 1 : 0));
  return tf.tensor(typed, args.shape, dtype);
}

function initError(args: InitArgs, expected: string, received: string): PopulaceError {
  return new PopulaceError('invalid-argument', `initialiser of '${args.path}': expected ${expected}, received ${received}.`, { details: { path: args.path } });
}

/**
 * The uniforms an initialiser's `uniform(stream)` returns: keyed by the seed, the owner (`agents/<type>`
 * or `env`) and the stream, so properties of one agent type can share draws by stream name.
 */
export function initUniform(seed: number, owner: string, stream: string, size: number): Float32Array {
  return fillUniform(new Float32Array(size), streamKey(seed, 0xffffffff, hashString(`init/${owner}/${stream}`)));
}

/** Runs one initialiser and returns a tensor of the declared dtype and shape. */
export function initialize(init: Initializer, args: InitArgs): tf.Tensor {
  if (typeof init === 'number') return tf.fill(args.shape, init, args.spec.dtype);
  if (typeof init === 'function') {
    const size = args.shape.reduce((a, b) => a * b, 1);
    const result = init({
      count: args.count,
      shape: args.shape,
      params: args.params,
      seed: args.seed,
      population: args.population,
      attributes: args.attributes,
      // keyed by agent type and stream, so properties of one agent type can share draws by stream name
      uniform: (stream: string) => initUniform(args.seed, args.owner, stream, size),
    });
    if (typeof result !== 'number' && !(result instanceof tf.Tensor) && !(Array.isArray(result) || ArrayBuffer.isView(result))) {
      throw initError(args, 'a number, an array of numbers or a tensor', describeValue(result));
    }
    return fromValues(result, args);
  }
  const values = args.attributes[init.attribute];
  if (values === undefined) {
    if (init.fallback !== undefined) return tf.fill(args.shape, init.fallback, args.spec.dtype);
    throw new PopulaceError('invalid-argument', `'${args.path}' is initialised from the population attribute '${init.attribute}', which the population does not have (it has [${Object.keys(args.attributes).join(', ')}]). Choose a population with that attribute, or declare a fallback.`, { details: { path: args.path, attribute: init.attribute } });
  }
  return fromValues(values, args);
}

/** Creates every agent property and environment value of a model. */
export function initialState(model: ModelDefinition, layout: AgentLayout, population: PopulationData | undefined, params: Readonly<Record<string, ParamValue>>, seed: number): Map<string, tf.Tensor> {
  const state = new Map<string, tf.Tensor>();
  try {
    for (const [type, spec] of Object.entries(model.state.agents)) {
      const count = layout.counts.get(type)!;
      const source = layout.sources.get(type);
      const attributes = (source && population?.agents[source]?.attributes) || {};
      for (const [prop, p] of Object.entries(spec.properties)) {
        const path = `agents/${type}/${prop}`;
        state.set(path, initialize(p.init, { spec: p, path, owner: `agents/${type}`, count, shape: [count, ...(p.shape ?? [])], params, seed, population, attributes }));
      }
    }
    for (const [name, e] of Object.entries(model.state.environment ?? {})) {
      const path = `env/${name}`;
      state.set(path, initialize(e.init, { spec: e, path, owner: 'env', count: 1, shape: [...(e.shape ?? [])], params, seed, population, attributes: {} }));
    }
  } catch (error) {
    for (const t of state.values()) t.dispose();
    throw error;
  }
  return state;
}

/** A network as kernels see it: CSR tensors, or the parameters of hashed contacts. */
export type NetworkHandle = CsrTensors | HashedContacts;

/** Uploads the model's networks from the population (undefined for optional ones it lacks). */
export function networkTensors(model: ModelDefinition, modelId: string, layout: AgentLayout, population: PopulationData | undefined, populationId: string | undefined): Map<string, NetworkHandle | undefined> {
  const out = new Map<string, NetworkHandle | undefined>();
  for (const [name, spec] of Object.entries(model.state.networks ?? {})) {
    const layer = spec.layer ?? name;
    const net = population?.networks?.[layer];
    if (!net) {
      if (spec.optional) {
        out.set(name, undefined);
        continue;
      }
      const have = Object.keys(population?.networks ?? {});
      throw new PopulaceError('invalid-argument', `model '${modelId}' needs the contact network '${layer}', but ${population ? `population '${populationId}' has [${have.join(', ') || 'no networks'}]` : 'no population was given'}. Choose a population that provides '${layer}'.`, { details: { model: modelId, population: populationId, network: layer, available: have } });
    }
    if (net.agents !== layout.sources.get(spec.agents)) {
      throw new PopulaceError('invalid-argument', `network '${layer}' of population '${populationId}' connects '${net.agents}' agents, but model '${modelId}' uses it for '${spec.agents}'.`, { details: { network: layer } });
    }
    if (net.kind === 'hashed') {
      out.set(name, { kind: 'hashed', degree: net.degree, key: net.key });
      continue;
    }
    out.set(name, {
      rowPtr: tf.tensor1d(net.rowPtr, 'int32'),
      colIdx: tf.tensor1d(net.colIdx, 'int32'),
      ...(net.weights ? { weights: tf.tensor1d(net.weights, 'float32') } : {}),
    });
  }
  return out;
}
