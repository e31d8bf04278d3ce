/**
 * An operation: one job a caller can ask for (list the models, run a sweep),
 * declared once with its name, description, zod input and output and the
 * function that runs it. Every surface (MCP tools, GraphQL, the CLI) is
 * derived from the declarations in `OPERATIONS`.
 */
import { PopulaceError, type Runtime } from '@populace/core';
import { z } from 'zod';
import type { Executor } from '../executor.js';
import type { RunStore } from '../run-store.js';

/** What an operation runs on: a server kit's runtime, store and executor. */
export interface OperationContext {
  readonly runtime: Runtime;
  readonly store: RunStore;
  readonly executor: Executor;
  /** Aborts a long operation (Ctrl-C on the CLI, a closed request): it stops and returns what it has. */
  readonly signal?: AbortSignal | undefined;
  /** Progress of a long operation: `done` of `total` units, and a line about it when there is one. */
  readonly onProgress?: ((done: number, total: number, message?: string) => void) | undefined;
}

/** An operation's declaration. */
export interface Operation<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  /** snake_case; the MCP tool name, the GraphQL field (camelCase) and the CLI command derive from it. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** Strict: unknown keys are refused. */
  readonly input: I;
  /**
   * Deprecated input names still accepted for one release, old name -> field (`{ fit: 'learnable' }`):
   * `parseOperationInput` moves an alias's value to its field; giving both is refused.
   */
  readonly aliases?: Readonly<Record<string, string>> | undefined;
  readonly output: O;
  /** True when it only reads (MCP `readOnlyHint`, a GraphQL query rather than a mutation). */
  readonly readOnly: boolean;
  /** A reading of the output for people and assistants. */
  text(output: z.output<O>, ctx: OperationContext): string;
  run(input: z.output<I>, ctx: OperationContext): Promise<z.output<O>>;
}

/** The message of unknown keys: they, and the valid ones. */
export const unknownKeysText = (unknown: readonly string[], valid: readonly string[]): string => `unknown ${unknown.length > 1 ? 'keys' : 'key'} ${unknown.map((k) => `'${k}'`).join(', ')}; valid keys: ${valid.join(', ') || 'none'}`;

const NAME = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/**
 * Checks and freezes an operation's declaration; the input schema is made strict.
 *
 * @example
 * ```ts
 * const ping = defineOperation({
 *   name: 'ping', title: 'Ping', description: 'Answers pong.', readOnly: true,
 *   input: z.object({}), output: z.object({ answer: z.string() }),
 *   text: (o) => o.answer, run: async () => ({ answer: 'pong' }),
 * });
 * ```
 */
export function defineOperation<I extends z.ZodObject, O extends z.ZodObject>(spec: Operation<I, O>): Operation<I, O> {
  if (!NAME.test(spec.name)) throw new PopulaceError('invalid-argument', `defineOperation: name expected snake_case such as 'list_models', received ${JSON.stringify(spec.name)}.`);
  if (!(spec.input instanceof z.ZodObject) || !(spec.output instanceof z.ZodObject)) throw new PopulaceError('invalid-argument', `defineOperation '${spec.name}': input and output must be zod objects (z.object({...})).`);
  if (typeof spec.run !== 'function' || typeof spec.text !== 'function') throw new PopulaceError('invalid-argument', `defineOperation '${spec.name}': run and text must be functions.`);
  const keys = Object.keys(spec.input.shape);
  for (const [alias, field] of Object.entries(spec.aliases ?? {})) {
    if (!keys.includes(field) || keys.includes(alias)) throw new PopulaceError('invalid-argument', `defineOperation '${spec.name}': alias '${alias}' must name a field of the input (${keys.join(', ')}) and not be one.`);
  }
  // strict, with a message that lists the valid keys (MCP's own validation reports it too)
  const input = z.strictObject(spec.input.shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeysText(issue.keys, keys) : undefined) });
  return Object.freeze({ ...spec, input: input as unknown as I });
}

const describeValue = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** One zod issue in words that say what was expected (`expected a whole number`, `expected at least 1`). */
export function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `expected ${issue.expected === 'int' ? 'a whole number' : issue.expected === 'number' ? 'a number' : issue.expected === 'string' ? 'a string' : issue.expected}`;
  // a schema's own message (`expected an integer in [0, 4294967295]`) says more than one bound
  if ((issue.code === 'too_small' || issue.code === 'too_big') && issue.message.startsWith('expected ')) return issue.message;
  if (issue.code === 'too_small' && issue.origin === 'number') return `expected ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `expected ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}`;
  if (issue.code === 'too_small' && issue.origin === 'array') return `expected at least ${String(issue.minimum)} value(s)`;
  return issue.message;
}

/** A field's schema without its optional, nullable and default wrappers; whether it is required, and its default. */
export interface UnwrappedField {
  readonly inner: z.ZodType;
  readonly required: boolean;
  readonly fallback: unknown;
}

/** Unwraps an operation field (every surface reads types and defaults through this). */
export function unwrapField(schema: z.ZodType): UnwrappedField {
  let s = schema;
  let required = true;
  let fallback: unknown;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) {
    required = false;
    if (s instanceof z.ZodDefault && fallback === undefined) fallback = (s.def as { defaultValue: unknown }).defaultValue;
    s = s.unwrap() as z.ZodType;
  }
  return { inner: s, required, fallback };
}

/**
 * The input as surfaces publish it: the fields, then each deprecated alias as an optional field of
 * the same type (described as deprecated), strict. `parseOperationInput` maps the aliases back.
 */
export function wireInput(op: Operation): z.ZodObject {
  const aliases = Object.entries(op.aliases ?? {});
  if (aliases.length === 0) return op.input;
  const shape: Record<string, z.ZodType> = { ...(op.input.shape as Record<string, z.ZodType>) };
  for (const [alias, field] of aliases) {
    let s = shape[field]!;
    while (s instanceof z.ZodOptional || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    shape[alias] = s.optional().describe(`Deprecated (removed in the next release): the old name of '${field}'.`);
  }
  const keys = Object.keys(op.input.shape);
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeysText(issue.keys, keys) : undefined) });
}

/** Raw input with each deprecated alias moved to its field; giving an alias and its field is refused. */
function applyAliases(op: Operation, raw: unknown): unknown {
  const aliases = Object.entries(op.aliases ?? {});
  if (aliases.length === 0 || raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const [alias, field] of aliases) {
    if (!Object.hasOwn(out, alias)) continue;
    if (Object.hasOwn(out, field) && out[field] !== undefined) throw new PopulaceError('invalid-argument', `${op.name}: '${alias}' is the deprecated name of '${field}'; give only '${field}'.`, { details: { operation: op.name, field } });
    out[field] = out[alias];
    delete out[alias];
  }
  return out;
}

/**
 * Refuses an own '__proto__' key anywhere in raw input (JSON.parse makes one): a parsed record
 * would drop it silently, as if the caller had not given it.
 */
function refuseProtoKeys(name: string, value: unknown, at: string): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) return value.forEach((v, i) => refuseProtoKeys(name, v, `${at}[${i}]`));
  if (Object.hasOwn(value, '__proto__')) throw new PopulaceError('invalid-argument', `${name}: ${at || 'input'}: '__proto__' is not a name this server accepts (no parameter, metric or slot has it).`, { details: { operation: name, field: at } });
  for (const [k, v] of Object.entries(value)) refuseProtoKeys(name, v, at ? `${at}.${k}` : k);
}

/**
 * Validates raw input (MCP arguments, GraphQL variables, CLI options) against an operation's input;
 * a mistake throws an `invalid-argument` PopulaceError naming the field, what was expected and, for
 * an unknown key, the valid ones.
 */
export function parseOperationInput<I extends z.ZodObject>(op: Operation<I, z.ZodObject>, raw: unknown): z.output<I> {
  raw = applyAliases(op as unknown as Operation, raw ?? {});
  refuseProtoKeys(op.name, raw, '');
  const result = op.input.safeParse(raw);
  if (result.success) return result.data;
  const keys = Object.keys(op.input.shape);
  const issues = result.error.issues.map((issue) => {
    const at = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') return `${at ? `${at}: ` : ''}${issue.message}`;
    const received = at ? describeValue(issue.path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k] : undefined), raw)) : describeValue(raw);
    return `${at || 'input'}: ${issueText(issue)} (received ${received})`;
  });
  throw new PopulaceError('invalid-argument', `${op.name}: ${issues.join('; ')}.`, { details: { operation: op.name, keys } });
}

/** Runs an operation on raw input: validates it, runs it, returns the output. */
export async function callOperation<I extends z.ZodObject, O extends z.ZodObject>(op: Operation<I, O>, raw: unknown, ctx: OperationContext): Promise<z.output<O>> {
  return op.run(parseOperationInput(op, raw), ctx);
}
