/**
 * Behaviours: per-agent decisions that come from outside the tensor program
 * (an LLM archetype, a survey table, a rule set) and enter a simulation as
 * data. A model declares the behaviour slots its substeps consult; a
 * simulation gets a Behavior per slot with `sim.useBehavior(name, behavior)`.
 * A slot left empty keeps the model's own parameterised default.
 */
import { PopulaceError } from './errors.js';
import type { Simulation } from './simulation.js';
import { tf } from './tf.js';
import { assertDefinition, describeValue, isPlainObject, LOCAL_NAME } from './validate.js';

/** What a behaviour is asked with: simulation context such as the day, the week or case counts. */
export type BehaviorContext = Readonly<Record<string, number | string | boolean>>;

/**
 * A source of per-agent values for one behaviour slot. `sample` returns one float32 value per agent
 * of `agentType` (a probability, a rate...); it may be asynchronous. Its output is data: gradients do
 * not flow through it (`differentiable: false`).
 */
export interface Behavior {
  /** What produced the values (e.g. 'llm-archetypes/covid-isolation via ChatOpenAI'), shown in reports. */
  readonly id: string;
  readonly agentType: string;
  readonly differentiable: false;
  sample(context: BehaviorContext): tf.Tensor | Promise<tf.Tensor>;
}

/** A behaviour slot a model declares. */
export interface BehaviorSlot {
  /** Agent type the values are for. */
  readonly agentType: string;
  readonly description: string;
  /** Inclusive range every value must lie in (e.g. [0, 1] for probabilities). */
  readonly range?: readonly [number, number];
  /** The context keys the model passes to `sample`, with what each means. */
  readonly context?: Readonly<Record<string, string>>;
}

export type BehaviorSlots = Readonly<Record<string, BehaviorSlot>>;

/** Validates a model's behaviour slots against its agent types (definition time). */
export function validateBehaviorSlots(slots: unknown, agentTypes: readonly string[], where: string): void {
  if (slots === undefined) return;
  assertDefinition(isPlainObject(slots), `${where}.behaviors`, 'an object of behaviour slots { agentType, description, range?, context? }', slots);
  for (const [name, slot] of Object.entries(slots)) {
    const at = `${where}.behaviors.${name}`;
    assertDefinition(LOCAL_NAME.test(name), at, 'a slot name of letters, digits, _ or -', name);
    assertDefinition(isPlainObject(slot), at, 'an object { agentType, description, range?, context? }', slot);
    assertDefinition(typeof slot.agentType === 'string' && agentTypes.includes(slot.agentType), `${at}.agentType`, `one of the agent types [${agentTypes.join(', ')}]`, slot.agentType);
    assertDefinition(typeof slot.description === 'string' && slot.description.length > 0, `${at}.description`, 'a non-empty string', slot.description);
    const r = slot.range;
    assertDefinition(r === undefined || (Array.isArray(r) && r.length === 2 && r.every(Number.isFinite) && r[0] <= r[1]), `${at}.range`, 'a pair [min, max] of finite numbers with min <= max', r);
    const c = slot.context;
    assertDefinition(c === undefined || (isPlainObject(c) && Object.values(c).every((v) => typeof v === 'string')), `${at}.context`, 'an object of context key -> description', c);
  }
}

/** Checks that a value is a Behavior for `slot` (when it is attached to a simulation). */
export function checkBehavior(behavior: unknown, name: string, slot: BehaviorSlot, modelId: string): asserts behavior is Behavior {
  const b = behavior as Partial<Behavior> | null;
  if (!b || typeof b !== 'object' || typeof b.sample !== 'function' || typeof b.id !== 'string' || typeof b.agentType !== 'string') {
    throw new PopulaceError('invalid-argument', `useBehavior('${name}'): expected a Behavior { id, agentType, differentiable: false, sample(context) } (e.g. archetype.behavior(sim, { model })), received ${describeValue(behavior)}.`);
  }
  if (b.agentType !== slot.agentType) {
    throw new PopulaceError('invalid-argument', `useBehavior('${name}'): behaviour '${b.id}' gives values for agent type '${b.agentType}', but slot '${name}' of model '${modelId}' needs '${slot.agentType}'.`);
  }
}

/**
 * Calls a behaviour and checks its answer: a float32-castable tensor of shape [count] with every value
 * finite and inside the slot's range. Anything else is an error naming the behaviour and the slot.
 */
export async function sampleBehavior(behavior: Behavior, name: string, slot: BehaviorSlot, count: number, context: BehaviorContext): Promise<tf.Tensor> {
  const out = await behavior.sample(context);
  const where = `behaviour '${behavior.id}' in slot '${name}'`;
  if (!(out instanceof tf.Tensor)) throw new PopulaceError('invalid-update', `${where} returned ${describeValue(out)}; expected a tensor of shape [${count}].`);
  if (out.rank !== 1 || out.shape[0] !== count) {
    out.dispose();
    throw new PopulaceError('invalid-update', `${where} returned a tensor of shape [${out.shape.join(', ')}]; expected [${count}] (one value per '${slot.agentType}' agent).`);
  }
  const values = out.dtype === 'float32' ? out : tf.cast(out, 'float32');
  if (values !== out) out.dispose();
  const data = values.dataSync();
  const [lo, hi] = slot.range ?? [-Infinity, Infinity];
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v) || v < lo || v > hi) {
      values.dispose();
      throw new PopulaceError('invalid-update', `${where} gave agent ${i} the value ${v}; expected a finite number in [${lo}, ${hi}].`);
    }
  }
  return values;
}

/** What a behaviour source is given when it makes a behaviour for a simulation. */
export interface BehaviorSourceOptions {
  /** The chat model an LLM archetype asks (a LangChain BaseChatModel); absent: its offline prior. */
  readonly model?: unknown;
}

/**
 * A contribution that makes behaviours for simulations: an LLM archetype is one. Plugins contribute
 * them under `archetypes`; servers and the CLI fill a slot with `source.behavior(sim, options)`.
 */
export interface BehaviorSource {
  readonly id: string;
  readonly description?: string;
  /** Agent type its behaviours give values for. */
  readonly agentType: string;
  behavior(sim: Simulation, options?: BehaviorSourceOptions): Behavior;
}

/** True for a contribution that can make behaviours (has `agentType` and `behavior(sim, options)`). */
export function isBehaviorSource(value: unknown): value is BehaviorSource {
  const v = value as Partial<BehaviorSource> | null;
  return !!v && typeof v === 'object' && typeof v.id === 'string' && typeof v.agentType === 'string' && typeof v.behavior === 'function';
}
