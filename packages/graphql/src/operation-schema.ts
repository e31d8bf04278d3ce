/**
 * GraphQL derived from server-kit's operation list: SDL generated from each
 * operation's zod input and output, and the resolvers that validate the input
 * with the same schema and run the operation. Read-only operations become
 * queries, the others mutations; names are the camelCase of the operation's
 * (but for the names clients already use: `startRun`, `ScenariosInput`).
 * A job operation (its output holds the job's `run` record) returns the
 * `Run` type and takes `waitMs` (default 0: GraphQL clients follow a job with
 * the runProgress subscription) in place of the input's `waitSeconds`.
 * The shared nouns render as typed inputs (input-renderings.ts); deprecated
 * aliases of fields are input fields marked `@deprecated`. The catalog
 * operations keep their hand-written fields (`models`, `model`,
 * `populations`), so only the operations in `GRAPHQL_OPERATIONS` are derived.
 */
import { PopulaceError } from '@populace/core';
import { executorForClient, OPERATIONS, parseOperationInput, runRecordSchema, unwrapField, wireInput, type Operation } from '@populace/server-kit';
import { z } from 'zod';
import { renderingOf } from './input-renderings.js';
import type { ResolverKit } from './resolvers.js';

/** The operations this schema derives fields for: every one but the catalog's. */
export const GRAPHQL_OPERATIONS: readonly Operation[] = (OPERATIONS as readonly Operation[]).filter((o) => !['list_models', 'describe_model', 'list_populations'].includes(o.name));

/** Names GraphQL clients used before the fields were derived: operation -> field and input type. */
const LEGACY_NAMES: Readonly<Record<string, { readonly field?: string; readonly input?: string }>> = {
  run_simulation: { field: 'startRun', input: 'StartRunInput' },
  run_scenarios: { input: 'ScenariosInput' },
};

/** The longest `waitMs` a job mutation accepts (10 minutes). */
export const MAX_WAIT_MS = 600_000;

/** The input field a job operation's wait is given in on other surfaces; GraphQL takes `waitMs` instead. */
const WAIT_FIELD = 'waitSeconds';

const INT_MAX = 2_147_483_647;
const bounded = (v: number | null | undefined, max: number): boolean => v === null || v === undefined || Math.abs(v) === Number.MAX_SAFE_INTEGER || v <= max;
const pascal = (name: string): string => name.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** A GraphQL string literal of `text` (a description). */
export const quote = (text: string): string => `"${text.replace(/["\\]/g, (c) => `\\${c}`).replace(/\n/g, ' ')}"`;
/** The description line of a field, or nothing. */
export const docString = (text: string | undefined): string => (text ? `${quote(text)}\n  ` : '');

/** The GraphQL field name of an operation (`sweep`, `startRun`). */
export const graphqlFieldName = (op: Operation): string => LEGACY_NAMES[op.name]?.field ?? camel(op.name);

/** The GraphQL input type name of an operation (`SweepInput`, `StartRunInput`). */
export const graphqlInputName = (op: Operation): string => LEGACY_NAMES[op.name]?.input ?? `${pascal(op.name)}Input`;

/** True for a job operation: its output is the job's record (`run`) and more; GraphQL returns the `Run`. */
export const isJobOperation = (op: Operation): boolean => (op.output.shape as Record<string, unknown>).run === runRecordSchema;

/** The fields GraphQL takes in an operation's input: the wire input's, but a job's wait. */
export function graphqlInputShape(op: Operation): Record<string, z.ZodType> {
  const shape = { ...(wireInput(op).shape as Record<string, z.ZodType>) };
  if (isJobOperation(op)) delete shape[WAIT_FIELD];
  return shape;
}

interface Sdl {
  readonly types: string[];
}

const unwrap = unwrapField;

/** The GraphQL type (with `!` where required) of a zod schema; object types are added to `sdl` under `name`. */
function typeOf(schema: z.ZodType, name: string, sdl: Sdl, input: boolean): string {
  const { inner: s, required } = unwrap(schema);
  const bang = required ? '!' : '';
  const rendering = input ? renderingOf(s) : undefined;
  if (rendering) return `${rendering.type}${bang}`;
  if (s instanceof z.ZodString || s instanceof z.ZodEnum) return `String${bang}`;
  if (s instanceof z.ZodBoolean) return `Boolean${bang}`;
  // an integer with no bound of its own (zod's are the safe-integer range) is an Int: GraphQL refuses more than 2^31-1
  if (s instanceof z.ZodNumber) return `${s.isInt && bounded(s.maxValue, INT_MAX) && bounded(-(s.minValue ?? 0), INT_MAX + 1) ? 'Int' : 'Float'}${bang}`;
  if (s instanceof z.ZodArray) return `[${typeOf(s.element as z.ZodType, name, sdl, input)}]${bang}`;
  if (s instanceof z.ZodObject) {
    sdl.types.push(objectType(s.shape as Record<string, z.ZodType>, name, sdl, input));
    return `${name}${bang}`;
  }
  // records, unions, tuples: free-form JSON, checked by the zod schema on the way in
  return `JSON${bang}`;
}

/**
 * The GraphQL output type (with `!` where required) of a zod schema, as a job's result fields are
 * rendered; object types are added to `types` under `name`.
 */
export const outputTypeOf = (schema: z.ZodType, name: string, types: string[]): string => typeOf(schema, name, { types }, false);

/** The default of an input field as a GraphQL literal, for scalars and rendered enums. */
function defaultLiteral(schema: z.ZodType): string {
  const { inner, fallback } = unwrap(schema);
  if (fallback === undefined) return '';
  const rendering = renderingOf(inner);
  if (rendering?.literal) return ` = ${rendering.literal(fallback)}`;
  return typeof fallback === 'number' || typeof fallback === 'string' || typeof fallback === 'boolean' ? ` = ${JSON.stringify(fallback)}` : '';
}

function objectType(shape: Record<string, z.ZodType>, name: string, sdl: Sdl, input: boolean, deprecated: Readonly<Record<string, string>> = {}): string {
  const fields = Object.entries(shape).map(([f, fs]) => {
    const note = deprecated[f] ? ` @deprecated(reason: ${quote(`Use '${deprecated[f]}'.`)})` : '';
    return `  ${docString(fs.description)}${f}: ${typeOf(fs, `${name}${pascal(f)}`, sdl, input)}${input ? defaultLiteral(fs) : ''}${note}`;
  });
  return `${input ? 'input' : 'type'} ${name} {\n${fields.join('\n')}\n}`;
}

/**
 * The SDL of `operations`: per operation an input type (`<Name>Input`), an output type
 * (`<Name>Result`, or the `Run` for a job) and a Query (read-only) or Mutation field.
 *
 * @example
 * ```ts
 * operationTypeDefs(GRAPHQL_OPERATIONS); // 'input SweepInput {...} type SweepResult {...} extend type Mutation { sweep(...) }'
 * ```
 */
export function operationTypeDefs(operations: readonly Operation[] = GRAPHQL_OPERATIONS): string {
  const sdl: Sdl = { types: [] };
  const queries: string[] = [];
  const mutations: string[] = [];
  for (const op of operations) {
    const shape = graphqlInputShape(op);
    const inName = graphqlInputName(op);
    if (Object.keys(shape).length > 0) sdl.types.push(objectType(shape, inName, sdl, true, op.aliases ?? {}));
    const inArg = Object.keys(shape).length > 0 ? `input: ${inName}!` : '';
    const job = isJobOperation(op);
    const args = [inArg, ...(job ? ['waitMs: Int = 0'] : [])].filter(Boolean).join(', ');
    const outType = job ? 'Run!' : typeOf(op.output, `${pascal(op.name)}Result`, sdl, false);
    const doc = job ? `${op.description} GraphQL returns the run at once, or when it ends within waitMs milliseconds (at most ${MAX_WAIT_MS}); follow it with the runProgress subscription.` : op.description;
    (op.readOnly ? queries : mutations).push(`  ${docString(doc)}${graphqlFieldName(op)}${args ? `(${args})` : ''}: ${outType}`);
  }
  return [...sdl.types, ...(queries.length ? [`extend type Query {\n${queries.join('\n')}\n}`] : []), ...(mutations.length ? [`extend type Mutation {\n${mutations.join('\n')}\n}`] : [])].join('\n\n');
}

/**
 * A GraphQL input value back as the zod schema's input: explicit nulls dropped (zod's optional
 * means absent), rendered nouns decoded, objects and lists walked.
 */
function decode(schema: z.ZodType, value: unknown, field: string): unknown {
  if (value === null || value === undefined) return undefined;
  const { inner } = unwrap(schema);
  const rendering = renderingOf(inner);
  if (rendering) return rendering.decode(value, field);
  if (inner instanceof z.ZodArray && Array.isArray(value)) return value.map((v, i) => decode(inner.element as z.ZodType, v, `${field}[${i}]`));
  if (inner instanceof z.ZodObject && typeof value === 'object' && !Array.isArray(value)) return decodeObject(inner.shape as Record<string, z.ZodType>, value as Record<string, unknown>, field);
  return value;
}

function decodeObject(shape: Record<string, z.ZodType>, value: Record<string, unknown>, at: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const d = shape[k] ? decode(shape[k], v, at ? `${at}.${k}` : k) : v;
    if (d !== undefined) out[k] = d;
  }
  return out;
}

/** Resolvers of the derived fields: the input decoded and validated by the operation's schema, then the operation run on the kit. */
export function operationResolvers(kit: ResolverKit, operations: readonly Operation[] = GRAPHQL_OPERATIONS): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = { Query: {}, Mutation: {} };
  for (const op of operations) {
    const shape = graphqlInputShape(op);
    const job = isJobOperation(op);
    out[op.readOnly ? 'Query' : 'Mutation']![graphqlFieldName(op)] = async (_: unknown, args: { input?: Record<string, unknown>; waitMs?: number }, context: { request?: Request; req?: { socket?: { remoteAddress?: string | undefined } } }) => {
      const raw = decodeObject(shape, args.input ?? {}, '');
      if (job) {
        const waitMs = args.waitMs ?? 0;
        if (!Number.isSafeInteger(waitMs) || waitMs < 0 || waitMs > MAX_WAIT_MS) {
          throw new PopulaceError('invalid-argument', `waitMs expected an integer in [0, ${MAX_WAIT_MS}] (milliseconds), received ${waitMs}. Follow longer jobs with the runProgress subscription or by polling run(id).`, { details: { field: 'waitMs' } });
        }
        raw[WAIT_FIELD] = waitMs / 1000;
      }
      // the client of the per-client cap (maxClientRunning): the peer's address when served over HTTP
      const peer = context.req?.socket?.remoteAddress;
      const executor = peer ? executorForClient(kit.executor, `graphql:${peer}`) : kit.executor;
      const output = (await op.run(parseOperationInput(op, raw), { ...kit, executor, signal: context.request?.signal })) as { run?: unknown };
      return job ? output.run : output;
    };
  }
  return out;
}
