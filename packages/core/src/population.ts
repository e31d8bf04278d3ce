/**
 * Populations: who the agents are (counts and attributes per agent type) and
 * how they meet (contact networks in CSR form). A population definition is a
 * declaration with a `build` function; building is deterministic per seed.
 */
import { PopulaceError } from './errors.js';
import type { PopulationSizeEstimator } from './population-size.js';
import { assertDefinition, deepFreeze, describeValue, isPlainObject, LOCAL_NAME } from './validate.js';

export type AttributeArray = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array | Uint32Array | readonly number[];

/** One agent type of a built population. */
export interface AgentTable {
  readonly count: number;
  /** One value per agent for each attribute. */
  readonly attributes?: Readonly<Record<string, AttributeArray>>;
  /** Labels of integer-coded categorical attributes: `labels.sex = ['female', 'male']`. */
  readonly labels?: Readonly<Record<string, readonly string[]>>;
}

/**
 * A contact network in CSR form: the in-contacts of agent i are
 * `colIdx[rowPtr[i] .. rowPtr[i+1])`, with optional per-edge weights.
 */
export interface CsrNetwork {
  readonly kind?: 'csr';
  /** The agent type whose members are the nodes. */
  readonly agents: string;
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  readonly weights?: Float32Array;
  readonly description?: string;
}

/**
 * A contact network that is never stored: agent i's in-contacts are
 * `uint32At(key, i * degree + j) % N` for j < degree, recomputed by the message-passing kernel
 * (for populations too large to hold their edges).
 */
export interface HashedNetwork {
  readonly kind: 'hashed';
  readonly agents: string;
  readonly degree: number;
  readonly key: number;
  readonly description?: string;
}

export interface PopulationData {
  readonly agents: Readonly<Record<string, AgentTable>>;
  readonly networks?: Readonly<Record<string, CsrNetwork | HashedNetwork>>;
}

export interface PopulationBuildOptions {
  /** Requested number of agents (of the primary agent type); undefined means the population's own size. */
  readonly agents?: number;
  readonly seed: number;
}

/** What one attribute of a population means: its kind and, for a category, its labels when they are fixed. */
export interface AttributeInfo {
  readonly description: string;
  /** 'category' (integer codes with labels), 'number' (a measurement or count) or 'id' (a group id such as a household). */
  readonly kind: 'category' | 'number' | 'id';
  /** Labels of a category's codes when every build has the same ones (they may vary with the data otherwise). */
  readonly labels?: readonly string[];
  /** A category whose codes are in increasing order (age bands, income bands): medians and ranges make sense. */
  readonly ordered?: boolean;
  readonly unit?: string;
}

/** The attributes one agent type carries, by name. */
export type AttributeSchema = Readonly<Record<string, AttributeInfo>>;

export interface PopulationDefinition<Id extends string = string> {
  readonly id: Id;
  readonly description: string;
  /** Agent count when none is requested. */
  readonly defaultAgents: number;
  /** Largest agent count `build` accepts. */
  readonly maxAgents: number;
  /** Agent types it provides; the first is the primary one that `agents` sizes. */
  readonly agentTypes: readonly string[];
  /** Names of the contact networks it provides. */
  readonly networks: readonly string[];
  /** The attributes each agent type carries (declared, so tools can list and validate them before a build). */
  readonly attributes?: Readonly<Record<string, AttributeSchema>>;
  build(options: PopulationBuildOptions): PopulationData | Promise<PopulationData>;
  // ---- size estimate (see population-size.ts) ----
  /**
   * Memory the build will hold at `agents` agents, estimated without building (tools refuse a size
   * the machine cannot hold before allocating). Default: DEFAULT_POPULATION_BYTES_PER_AGENT per agent.
   */
  readonly estimateSize?: PopulationSizeEstimator;
}

export type PopulationInput<Id extends string> = Omit<PopulationDefinition<Id>, 'maxAgents' | 'networks' | 'agentTypes'> & {
  readonly maxAgents?: number;
  readonly networks?: readonly string[];
  readonly agentTypes?: readonly string[];
};

/**
 * Declares a population. Pure: it validates, freezes and returns the definition.
 *
 * @example
 * ```ts
 * const tiny = definePopulation({
 *   id: 'tiny', description: 'ten agents, no contacts', defaultAgents: 10,
 *   build: ({ agents = 10 }) => ({ agents: { people: { count: agents } } }),
 * });
 * ```
 */
export function definePopulation<const Id extends string>(input: PopulationInput<Id>): PopulationDefinition<Id> {
  const where = `definePopulation(${typeof input?.id === 'string' ? input.id : '?'})`;
  assertDefinition(isPlainObject(input), 'definePopulation', 'an object { id, description, defaultAgents, build }', input);
  assertDefinition(typeof input.id === 'string' && LOCAL_NAME.test(input.id) && !input.id.includes('/'), `${where}.id`, "a local name without '/' (the plugin adds its namespace)", input.id);
  assertDefinition(typeof input.description === 'string' && input.description.length > 0, `${where}.description`, 'a non-empty string', input.description);
  assertDefinition(Number.isInteger(input.defaultAgents) && input.defaultAgents > 0, `${where}.defaultAgents`, 'a positive integer', input.defaultAgents);
  const maxAgents = input.maxAgents ?? 2 ** 31 - 1;
  assertDefinition(Number.isInteger(maxAgents) && maxAgents >= input.defaultAgents, `${where}.maxAgents`, 'an integer >= defaultAgents', maxAgents);
  assertDefinition(typeof input.build === 'function', `${where}.build`, 'a function ({ agents, seed }) => PopulationData', input.build);
  const agentTypes = input.agentTypes ?? ['people'];
  assertDefinition(Array.isArray(agentTypes) && agentTypes.length > 0 && agentTypes.every((t) => typeof t === 'string' && LOCAL_NAME.test(t)), `${where}.agentTypes`, 'a non-empty array of names', agentTypes);
  const networks = input.networks ?? [];
  assertDefinition(Array.isArray(networks) && networks.every((t) => typeof t === 'string' && LOCAL_NAME.test(t)), `${where}.networks`, 'an array of network names', networks);
  validateAttributeSchemas(input.attributes, agentTypes, where);
  assertDefinition(input.estimateSize === undefined || typeof input.estimateSize === 'function', `${where}.estimateSize`, 'a function ({ agents }) => { agents, edges, bytes }', input.estimateSize);
  return deepFreeze({ ...input, maxAgents, agentTypes: [...agentTypes], networks: [...networks] });
}

const ATTRIBUTE_KINDS = ['category', 'number', 'id'];

function validateAttributeSchemas(attributes: unknown, agentTypes: readonly string[], where: string): void {
  if (attributes === undefined) return;
  assertDefinition(isPlainObject(attributes), `${where}.attributes`, 'an object agentType -> { name: { description, kind, labels? } }', attributes);
  for (const [type, schema] of Object.entries(attributes)) {
    assertDefinition(agentTypes.includes(type), `${where}.attributes`, `agent types among [${agentTypes.join(', ')}]`, type);
    assertDefinition(isPlainObject(schema), `${where}.attributes.${type}`, 'an object name -> { description, kind, labels? }', schema);
    for (const [name, info] of Object.entries(schema)) {
      const at = `${where}.attributes.${type}.${name}`;
      assertDefinition(isPlainObject(info) && typeof info.description === 'string', at, 'an object { description, kind, labels? }', info);
      assertDefinition(ATTRIBUTE_KINDS.includes(info.kind as string), `${at}.kind`, `one of ${ATTRIBUTE_KINDS.join(', ')}`, info.kind);
      const labels = info.labels;
      assertDefinition(labels === undefined || (Array.isArray(labels) && labels.every((l) => typeof l === 'string')), `${at}.labels`, 'an array of strings', labels);
      assertDefinition(info.ordered === undefined || (typeof info.ordered === 'boolean' && info.kind === 'category'), `${at}.ordered`, 'true or false, on a category', info.ordered);
    }
  }
}

function bad(populationId: string, what: string, expected: string, received: unknown): PopulaceError {
  return new PopulaceError('invalid-argument', `population '${populationId}' built invalid data at ${what}: expected ${expected}, received ${describeValue(received)}.`, { details: { population: populationId, at: what } });
}

/** Checks a CSR network's structure in O(E). */
export function validateCsr(net: CsrNetwork, nodes: number, populationId: string, name: string): void {
  const at = `networks.${name}`;
  if (!(net.rowPtr instanceof Int32Array) || net.rowPtr.length !== nodes + 1) throw bad(populationId, `${at}.rowPtr`, `an Int32Array of length ${nodes + 1}`, net.rowPtr);
  if (!(net.colIdx instanceof Int32Array)) throw bad(populationId, `${at}.colIdx`, 'an Int32Array', net.colIdx);
  const edges = net.colIdx.length;
  if (net.rowPtr[0] !== 0 || net.rowPtr[nodes] !== edges) throw bad(populationId, `${at}.rowPtr`, `rowPtr[0] = 0 and rowPtr[${nodes}] = ${edges} (the edge count)`, `[${net.rowPtr[0]}, ..., ${net.rowPtr[nodes]}]`);
  for (let i = 0; i < nodes; i++) {
    if (net.rowPtr[i + 1]! < net.rowPtr[i]!) throw bad(populationId, `${at}.rowPtr[${i + 1}]`, 'a non-decreasing sequence', net.rowPtr[i + 1]);
  }
  for (let e = 0; e < edges; e++) {
    const c = net.colIdx[e]!;
    if (c < 0 || c >= nodes) throw bad(populationId, `${at}.colIdx[${e}]`, `an agent index in [0, ${nodes})`, c);
  }
  if (net.weights !== undefined) {
    if (!(net.weights instanceof Float32Array) || net.weights.length !== edges) throw bad(populationId, `${at}.weights`, `a Float32Array of length ${edges}`, net.weights);
    for (let e = 0; e < edges; e++) {
      if (!Number.isFinite(net.weights[e]!)) throw bad(populationId, `${at}.weights[${e}]`, 'a finite number', net.weights[e]);
    }
  }
}

/** Validates what a population's `build` returned, so models never see malformed data. */
export function validatePopulationData(data: unknown, populationId: string): PopulationData {
  if (!isPlainObject(data) || !isPlainObject(data.agents)) throw bad(populationId, 'the top level', 'an object { agents, networks? }', data);
  const agents = data.agents as Record<string, AgentTable>;
  for (const [type, table] of Object.entries(agents)) {
    if (!isPlainObject(table) || !Number.isInteger(table.count) || (table.count as number) < 0) throw bad(populationId, `agents.${type}.count`, 'a non-negative integer', (table as { count?: unknown })?.count);
    for (const [attr, values] of Object.entries(table.attributes ?? {})) {
      if (!(Array.isArray(values) || ArrayBuffer.isView(values)) || (values as ArrayLike<number>).length !== table.count) {
        throw bad(populationId, `agents.${type}.attributes.${attr}`, `${table.count} values (one per agent)`, values);
      }
    }
  }
  const networks = (data.networks ?? {}) as Record<string, CsrNetwork | HashedNetwork>;
  if (!isPlainObject(networks)) throw bad(populationId, 'networks', 'an object of CSR networks', networks);
  for (const [name, net] of Object.entries(networks)) {
    if (!isPlainObject(net) || typeof net.agents !== 'string' || !agents[net.agents]) throw bad(populationId, `networks.${name}.agents`, `one of the agent types [${Object.keys(agents).join(', ')}]`, (net as { agents?: unknown })?.agents);
    const nodes = agents[net.agents]!.count;
    if ((net as { kind?: unknown }).kind === 'hashed') {
      const hashed = net as unknown as HashedNetwork;
      if (!Number.isInteger(hashed.degree) || hashed.degree < 0 || nodes * hashed.degree > 2 ** 32) throw bad(populationId, `networks.${name}.degree`, `a non-negative integer with agents * degree <= 2^32 (${nodes} agents)`, hashed.degree);
      if (!Number.isInteger(hashed.key) || hashed.key < 0 || hashed.key > 0xffffffff) throw bad(populationId, `networks.${name}.key`, 'an unsigned 32-bit integer', hashed.key);
    } else validateCsr(net as CsrNetwork, nodes, populationId, name);
  }
  return data as unknown as PopulationData;
}
