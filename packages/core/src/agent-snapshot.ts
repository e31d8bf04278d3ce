/**
 * Per-agent snapshots, the plan: which per-agent values (a model's per-agent
 * state, a population's attributes) are read after which steps. Snapshots
 * are opt-in and bounded (agents x states x steps values); a run keeps only
 * its metrics unless asked. `SnapshotRecorder` (snapshot-recorder.ts) reads
 * them during a run.
 *
 * Names: a per-agent state property as `status` (bare, when one agent type
 * has it) or as its path `agents/people/status`; a population attribute of
 * the same agent type by its name (`age`). A state property with a
 * per-agent shape (several values per agent) is not a snapshot column.
 */
import { PopulaceError } from './errors.js';
import type { ModelDefinition, StateDtype } from './model.js';
import type { AttributeArray, PopulationDefinition } from './population.js';
import { mapAgentTypes } from './population-fit.js';
import { closest } from './validate.js';
import { parsePath, type AgentPath } from './state-path.js';

/** What to read: state or attribute names, after which steps (counted from the last reset, from 1). */
export interface SnapshotRequest {
  readonly states: readonly string[];
  readonly steps: readonly number[];
}

/** Where one column of a snapshot comes from. */
export type SnapshotSource = { readonly kind: 'state'; readonly path: AgentPath; readonly dtype: StateDtype } | { readonly kind: 'attribute'; readonly attribute: string };

/** A checked snapshot request. */
export interface SnapshotPlan {
  /** The model's agent type every column belongs to (one row per agent of it). */
  readonly agentType: string;
  /** One per requested name, in the order given. */
  readonly columns: readonly { readonly name: string; readonly source: SnapshotSource }[];
  /** Distinct, ascending, each >= 1. */
  readonly steps: readonly number[];
}

/** Attribute names per model agent type (those of the population type it takes its agents from). */
export type AttributeNames = Readonly<Record<string, readonly string[]>>;

/** The attributes a population declares, per model agent type (none without a population); for checks before a build. */
export function declaredAttributes(model: ModelDefinition, population: PopulationDefinition | undefined): AttributeNames {
  if (!population) return {};
  const mapped = mapAgentTypes(model, population.agentTypes);
  return Object.fromEntries(Object.keys(model.state.agents).map((type) => {
    const source = mapped.get(type);
    return [type, source === undefined ? [] : Object.keys(population.attributes?.[source] ?? {})];
  }));
}

/** The snapshot columns a model offers: per agent type, its one-value-per-agent state properties and the population's attributes. */
export function snapshotNames(model: ModelDefinition, attributes: AttributeNames = {}): { readonly agentType: string; readonly states: readonly string[]; readonly attributes: readonly string[] }[] {
  return Object.entries(model.state.agents).map(([type, spec]) => {
    const states = Object.entries(spec.properties)
      .filter(([, p]) => (p.shape ?? []).length === 0)
      .map(([name]) => name);
    return { agentType: type, states, attributes: (attributes[type] ?? []).filter((a) => !states.includes(a)) };
  });
}

/** The valid names in words, for messages. */
function validText(modelId: string, model: ModelDefinition, attributes: AttributeNames): string {
  const names = snapshotNames(model, attributes);
  const one = (n: (typeof names)[number]) => `states of agent type '${n.agentType}': ${n.states.join(', ') || '(none)'}; population attributes: ${n.attributes.join(', ') || '(none)'}`;
  return `valid names for '${modelId}': ${names.map(one).join('; ')} (a state also as its path, e.g. agents/${names[0]?.agentType ?? 'people'}/${names[0]?.states[0] ?? 'status'})`;
}

function invalid(message: string, details: Record<string, unknown>): never {
  throw new PopulaceError('invalid-argument', `snapshot: ${message}`, { details });
}

/**
 * Checks snapshot steps: a non-empty list of distinct whole numbers in [1, maxStep] (maxStep: the
 * run's steps, when known). Returns them ascending.
 */
export function checkSnapshotSteps(steps: unknown, maxStep = Number.MAX_SAFE_INTEGER): number[] {
  if (!Array.isArray(steps) || steps.length === 0) invalid(`steps: expected a non-empty list of steps such as [10, 20, 30], received ${JSON.stringify(steps) ?? String(steps)}.`, { field: 'steps' });
  for (const s of steps) {
    if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 1 || s > maxStep) {
      invalid(`steps: expected whole numbers from 1 to ${maxStep === Number.MAX_SAFE_INTEGER ? 'the run\'s steps' : `${maxStep} (the run's steps)`}, received ${JSON.stringify(s) ?? String(s)}. A snapshot at step k holds the state after k steps.`, { field: 'steps', received: s, max: maxStep });
    }
  }
  if (new Set(steps).size !== steps.length) invalid(`steps: expected distinct steps, received ${JSON.stringify(steps)}.`, { field: 'steps' });
  return [...(steps as number[])].sort((a, b) => a - b);
}

/**
 * Checks a snapshot request against a model and the attributes its population offers (declared
 * ones before a build, the built ones after) and returns the plan. An unknown name is refused with
 * the valid ones listed; every name must belong to one agent type.
 *
 * @example
 * ```ts
 * planSnapshot(model, 'epi/sir', { people: ['age'] }, { states: ['status', 'age'], steps: [10, 20] }, 30);
 * ```
 */
export function planSnapshot(model: ModelDefinition, modelId: string, attributes: AttributeNames, request: SnapshotRequest, maxStep?: number): SnapshotPlan {
  if (request === null || typeof request !== 'object') invalid(`expected { states, steps }, received ${JSON.stringify(request) ?? String(request)}.`, {});
  const { states } = request;
  if (!Array.isArray(states) || states.length === 0 || states.some((s) => typeof s !== 'string' || s === '')) {
    invalid(`states: expected a non-empty list of names; ${validText(modelId, model, attributes)}.`, { field: 'states' });
  }
  if (new Set(states).size !== states.length) invalid(`states: expected distinct names, received ${JSON.stringify(states)}.`, { field: 'states' });
  const steps = checkSnapshotSteps(request.steps, maxStep);
  const offered = snapshotNames(model, attributes);
  // states first: each fixes its agent type (a bare name must be unambiguous)
  const resolved = new Map<string, { type: string; source: SnapshotSource }>();
  for (const name of states) {
    const parsed = parsePath(name);
    const candidates = parsed?.kind === 'agents' ? offered.filter((o) => o.agentType === parsed.agentType && o.states.includes(parsed.property)) : offered.filter((o) => o.states.includes(name));
    const property = parsed?.kind === 'agents' ? parsed.property : name;
    if (candidates.length > 1) invalid(`'${name}' is a state of several agent types; name one as ${candidates.map((c) => `agents/${c.agentType}/${name}`).join(' or ')}.`, { field: 'states', name });
    if (candidates.length === 1) {
      const type = candidates[0]!.agentType;
      resolved.set(name, { type, source: { kind: 'state', path: `agents/${type}/${property}`, dtype: model.state.agents[type]!.properties[property]!.dtype } });
    }
  }
  const types = [...new Set([...resolved.values()].map((r) => r.type))];
  if (types.length > 1) invalid(`states ${states.filter((s) => resolved.has(s)).map((s) => `'${s}'`).join(', ')} belong to different agent types (${types.join(', ')}); a snapshot has one row per agent of one type.`, { field: 'states', agentTypes: types });
  const agentType = types[0] ?? offered[0]?.agentType;
  const typeAttributes = offered.find((o) => o.agentType === agentType)?.attributes ?? [];
  for (const name of states) {
    if (resolved.has(name)) continue;
    if (agentType !== undefined && typeAttributes.includes(name)) {
      resolved.set(name, { type: agentType, source: { kind: 'attribute', attribute: name } });
      continue;
    }
    const all = offered.flatMap((o) => [...o.states, ...o.attributes]);
    const guess = closest(name, all);
    const elsewhere = offered.find((o) => o.agentType !== agentType && o.attributes.includes(name));
    invalid(
      `unknown state '${name}'.${guess ? ` Did you mean '${guess}'?` : ''}${elsewhere ? ` (It is an attribute of agent type '${elsewhere.agentType}', not of '${agentType}'.)` : ''} ${validText(modelId, model, attributes)}.`,
      { field: 'states', name, valid: offered.flatMap((o) => [...o.states, ...o.attributes]) },
    );
  }
  return { agentType: agentType!, columns: states.map((name) => ({ name, source: resolved.get(name)!.source })), steps };
}

/** Values a snapshot holds: agents x columns x steps. */
export const snapshotCells = (agents: number, plan: Pick<SnapshotPlan, 'columns' | 'steps'>): number => agents * plan.columns.length * plan.steps.length;

/**
 * Refuses a snapshot of more than `maxCells` values (`limit-exceeded`), naming the sizes;
 * `limit` names the limit in the message (e.g. `maxSnapshotCells`).
 */
export function checkSnapshotCells(agents: number, plan: Pick<SnapshotPlan, 'columns' | 'steps'>, maxCells: number, limit = 'the snapshot size limit'): void {
  const cells = snapshotCells(agents, plan);
  if (cells > maxCells) {
    throw new PopulaceError(
      'limit-exceeded',
      `snapshot: ${agents.toLocaleString('en-US')} agents x ${plan.columns.length} states x ${plan.steps.length} steps = ${cells.toLocaleString('en-US')} values, over the limit of ${maxCells.toLocaleString('en-US')} (${limit}). Ask for fewer states, steps or agents.`,
      { details: { limit, max: maxCells, received: cells } },
    );
  }
}

/**
 * Parses the text form `status,age@10,20,30` (names, then '@', then steps) into a request.
 *
 * @example
 * ```ts
 * parseSnapshot('status,age@10,20,30'); // { states: ['status', 'age'], steps: [10, 20, 30] }
 * ```
 */
export function parseSnapshot(text: string): SnapshotRequest {
  const at = text.indexOf('@');
  const states = text.slice(0, Math.max(at, 0)).split(',').map((s) => s.trim());
  const steps = text.slice(at + 1).split(',').map((s) => (/^\s*\d+\s*$/.test(s) ? Number(s) : Number.NaN));
  if (at <= 0 || text.indexOf('@', at + 1) !== -1 || states.some((s) => s === '') || steps.some((s) => !Number.isSafeInteger(s))) {
    throw new PopulaceError('invalid-argument', `snapshot: expected names@steps such as status,age@10,20,30 (state or attribute names, then the steps after which to read them), received ${JSON.stringify(text)}.`, { details: { received: text } });
  }
  return { states, steps };
}

/** Whether an attribute array holds whole numbers by its type (codes, counts, ids). */
export const isIntegerArray = (values: AttributeArray): boolean => (Array.isArray(values) ? values.every((v) => Number.isInteger(v)) : !(values instanceof Float32Array || values instanceof Float64Array));
