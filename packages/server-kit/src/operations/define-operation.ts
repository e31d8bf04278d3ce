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
  /** Progress of a long operation: `done` of `total` units. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

/** An operation's declaration. */
export interface Operation<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  /** snake_case; the MCP tool name, the GraphQL field (camelCase) and the CLI command derive from it. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** Strict: unknown keys are refused. */
  readonly input: I;
  readonly output: O;
  /** True when it only reads (MCP `readOnlyHint`, a GraphQL query rather than a mutation). */
  readonly readOnly: boolean;
  /** A reading of the output for people and assistants. */
  text(output: z.output<O>): string;
  run(input: z.output<I>, ctx: OperationContext): Promise<z.output<O>>;
}

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
  // strict, with a message that lists the valid keys (MCP's own validation reports it too)
  const input = z.strictObject(spec.input.shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown ${issue.keys.length > 1 ? 'keys' : 'key'} ${issue.keys.map((k) => `'${k}'`).join(', ')}; valid keys: ${keys.join(', ') || 'none'}` : undefined),
  });
  return Object.freeze({ ...spec, input: input as unknown as I });
}

const describeValue = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** One zod issue in words that say what was expected (`expected a whole number`, `expected at least 1`). */
export function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `expected ${issue.expected === 'int' ? 'a whole number' : issue.expected === 'number' ? 'a number' : issue.expected === 'string' ? 'a string' : issue.expected}`;
  if (issue.code === 'too_small' && issue.origin === 'number') return `expected ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `expected ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}`;
  if (issue.code === 'too_small' && issue.origin === 'array') return `expected at least ${String(issue.minimum)} value(s)`;
  return issue.message;
}

/**
 * Validates raw input (MCP arguments, GraphQL variables, CLI options) against an operation's input;
 * a mistake throws an `invalid-argument` PopulaceError naming the field, what was expected and, for
 * an unknown key, the valid ones.
 */
export function parseOperationInput<I extends z.ZodObject>(op: Operation<I, z.ZodObject>, raw: unknown): z.output<I> {
  const result = op.input.safeParse(raw ?? {});
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
