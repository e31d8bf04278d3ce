/**
 * `defineArchetype`: a pure declaration of an archetype, the question asked
 * once per group of agents (times nArch samples) in the context a model's
 * behaviour slot gives, and its offline prior. Data, a zod schema and a
 * function: no chat model here. `@populace/llm-archetypes` makes behaviours of
 * it (asking a LangChain chat model, or the prior offline), so a model package
 * can declare the archetype its slot is meant for next to the slot.
 */
import type { z } from 'zod';
import { validateGroupBy, type GroupBySpec, type GroupDimension, type GroupLabels } from './archetype-group-by.js';
import { validateOutput, type ArchetypeOutputSchema } from './archetype-output.js';
import { defaultSystemMessage, validateTemplate } from './archetype-prompt.js';
import type { BehaviorContext } from './behavior.js';
import type { AttributeSchema } from './population.js';
import { assertDefinition, isPlainObject } from './validate.js';

/** How the nArch samples of a group become its value. */
export type ArchetypeAggregate = 'mean' | 'median';

/** The aggregates `defineArchetype` accepts. */
export const ARCHETYPE_AGGREGATES: readonly ArchetypeAggregate[] = ['mean', 'median'];

/** The declared fallback: an answer of the output schema for one group in one context. Deterministic. */
export type ArchetypePrior<S extends ArchetypeOutputSchema> = (group: GroupLabels, context: BehaviorContext) => z.input<S>;

/** What `defineArchetype` takes. */
export interface ArchetypeInput<S extends ArchetypeOutputSchema> {
  /** Local id (the plugin that contributes it namespaces it: `llm-archetypes/<id>`). */
  readonly id: string;
  readonly description?: string;
  /** Agent type the archetype answers for (default 'people'). */
  readonly agentType?: string;
  /** The attribute schema of that agent type (e.g. `peopleAttributes(nycMarginals())`); groupBy is checked against it. */
  readonly attributes: AttributeSchema;
  /** Attributes that define the groups: category names, or numbers with bins. */
  readonly groupBy: readonly GroupBySpec[];
  /** Context keys the behaviour is asked with, key -> meaning (e.g. epi/covid's ISOLATION_CONTEXT). */
  readonly context?: Readonly<Record<string, string>>;
  /** System message template (default: answer as the archetype, reply with JSON matching the schema). */
  readonly system?: string;
  /** User message template; `{attribute}` renders the group's label, `{contextKey}` the context value. */
  readonly prompt: string;
  /** The answer: a zod object schema. */
  readonly output: S;
  /** The numeric or boolean field of the answer that reaches the agents (default: the only one). */
  readonly value?: Extract<keyof z.infer<S>, string>;
  /** Samples per group and context (a chat model is asked nArch times; the answers are aggregated). */
  readonly nArch: number;
  /** The answer when there is no model, or when the model's answer is invalid or failed. */
  readonly prior: ArchetypePrior<S>;
  /** How the nArch samples combine (default 'mean'). */
  readonly aggregate?: ArchetypeAggregate;
}

/** A declared archetype: validated and frozen, defaults filled. */
export interface ArchetypeDefinition<S extends ArchetypeOutputSchema = ArchetypeOutputSchema> {
  readonly id: string;
  readonly description?: string;
  readonly agentType: string;
  readonly attributes: AttributeSchema;
  readonly groupBy: readonly GroupDimension[];
  readonly context: Readonly<Record<string, string>>;
  /** The system message template (the default one when none was given). */
  readonly system: string;
  readonly prompt: string;
  readonly output: S;
  readonly value: string;
  readonly nArch: number;
  readonly prior: ArchetypePrior<S>;
  readonly aggregate: ArchetypeAggregate;
  /** The output schema as JSON schema text (what the default system message shows the model). */
  readonly jsonSchema: string;
}

const ID = /^[A-Za-z][A-Za-z0-9_.:-]*$/;

/**
 * Declares an archetype. Pure: validates and freezes its input (throwing `invalid-definition` with the
 * fix) and registers nothing. `@populace/llm-archetypes`' `llmArchetype(definition)` gives it
 * `behavior(sim, { model })`.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { nycMarginals, peopleAttributes } from '@populace/populations';
 * const masks = defineArchetype({
 *   id: 'wears-mask',
 *   attributes: peopleAttributes(nycMarginals()),
 *   groupBy: [{ attribute: 'age', bins: [0, 18, 65, 101] }, 'employed'],
 *   context: { week: 'week of the epidemic' },
 *   prompt: 'You are {age} years old and {employed}. It is week {week} of an epidemic. Do you wear a mask on the subway?',
 *   output: z.object({ wearsMask: z.number().min(0).max(1) }),
 *   nArch: 3,
 *   prior: () => ({ wearsMask: 0.5 }),
 * });
 * ```
 */
export function defineArchetype<S extends ArchetypeOutputSchema>(input: ArchetypeInput<S>): ArchetypeDefinition<S> {
  assertDefinition(isPlainObject(input), 'defineArchetype', 'an object { id, attributes, groupBy, prompt, output, nArch, prior, ... }', input);
  assertDefinition(typeof input.id === 'string' && ID.test(input.id), 'defineArchetype.id', 'an id of letters, digits, _, -, . or : starting with a letter', input.id);
  const where = `defineArchetype(${input.id})`;
  const agentType = input.agentType ?? 'people';
  assertDefinition(typeof agentType === 'string' && agentType.length > 0, `${where}.agentType`, 'an agent type name', agentType);
  assertDefinition(input.description === undefined || typeof input.description === 'string', `${where}.description`, 'a string', input.description);
  assertDefinition(isPlainObject(input.attributes) && Object.keys(input.attributes).length > 0, `${where}.attributes`, `the attribute schema of '${agentType}' (e.g. peopleAttributes(nycMarginals()) or runtime.describePopulation(id).attributes.${agentType})`, input.attributes);
  const groupBy = validateGroupBy(input.groupBy, input.attributes, where);
  const context = input.context ?? {};
  assertDefinition(isPlainObject(context) && Object.values(context).every((d) => typeof d === 'string'), `${where}.context`, 'an object of context key -> description (e.g. ISOLATION_CONTEXT)', context);
  const names = groupBy.map((d) => d.attribute);
  const contextKeys = Object.keys(context);
  const clash = contextKeys.find((k) => names.includes(k));
  assertDefinition(clash === undefined, `${where}.context`, 'context keys that are not also groupBy attributes', clash);
  const prompt = validateTemplate(input.prompt, 'prompt', names, contextKeys, where);
  const { schema, value, jsonSchema } = validateOutput(input.output, input.value, where);
  assertDefinition(Number.isInteger(input.nArch) && input.nArch > 0, `${where}.nArch`, 'a positive integer (samples per group)', input.nArch);
  assertDefinition(typeof input.prior === 'function', `${where}.prior`, 'a function (group, context) => an answer of the output schema', input.prior, 'The prior is what agents get offline and when the model fails.');
  const aggregate = input.aggregate ?? 'mean';
  assertDefinition(ARCHETYPE_AGGREGATES.includes(aggregate), `${where}.aggregate`, `one of ${ARCHETYPE_AGGREGATES.join(', ')}`, aggregate);
  const system = input.system === undefined ? defaultSystemMessage(agentType, input.description, jsonSchema) : validateTemplate(input.system, 'system', names, contextKeys, where);

  return Object.freeze({
    id: input.id,
    ...(input.description === undefined ? {} : { description: input.description }),
    agentType,
    attributes: Object.freeze(Object.fromEntries(Object.entries(input.attributes).map(([k, v]) => [k, Object.freeze({ ...v, ...(v.labels ? { labels: Object.freeze([...v.labels]) } : {}) })]))),
    groupBy: Object.freeze(groupBy.map((d) => Object.freeze(d))),
    context: Object.freeze({ ...context }),
    system,
    prompt,
    output: schema as S,
    value,
    nArch: input.nArch,
    prior: input.prior,
    aggregate,
    jsonSchema,
  });
}
