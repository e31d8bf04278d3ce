/**
 * GraphQL derived from server-kit's operation list: SDL generated from each
 * operation's zod input and output, and the resolvers that validate the input
 * with the same schema and run the operation. Read-only operations become
 * queries, the others mutations; names are the camelCase of the operation's.
 * The catalog operations keep their hand-written fields (`models`, `model`,
 * `populations`), so only the operations in `GRAPHQL_OPERATIONS` are derived.
 */
import { parseOperationInput, sweepOperation, type Operation } from '@populace/server-kit';
import { z } from 'zod';
import type { ResolverKit } from './resolvers.js';

/** The operations this schema derives fields for. */
export const GRAPHQL_OPERATIONS: readonly Operation[] = [sweepOperation as unknown as Operation];

const INT_MAX = 2_147_483_647;
const pascal = (name: string): string => name.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const docString = (text: string | undefined): string => (text ? `"${text.replace(/["\\]/g, (c) => `\\${c}`).replace(/\n/g, ' ')}"\n  ` : '');

/** The GraphQL field name of an operation (`sweep`, `listModels`). */
export const graphqlFieldName = (op: Operation): string => camel(op.name);

interface Sdl {
  readonly types: string[];
}

/** The GraphQL type (with `!` where required) of a zod schema; object types are added to `sdl` under `name`. */
function typeOf(schema: z.ZodType, name: string, sdl: Sdl, input: boolean): string {
  let s = schema;
  let required = true;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) {
    required = false;
    s = s.unwrap() as z.ZodType;
  }
  const bang = required ? '!' : '';
  if (s instanceof z.ZodString || s instanceof z.ZodEnum) return `String${bang}`;
  if (s instanceof z.ZodBoolean) return `Boolean${bang}`;
  if (s instanceof z.ZodNumber) return `${s.isInt && (s.maxValue ?? Infinity) <= INT_MAX && (s.minValue ?? -Infinity) >= -INT_MAX - 1 ? 'Int' : 'Float'}${bang}`;
  if (s instanceof z.ZodArray) return `[${typeOf(s.element as z.ZodType, name, sdl, input)}]${bang}`;
  if (s instanceof z.ZodObject) {
    const fields = Object.entries(s.shape as Record<string, z.ZodType>).map(([f, fs]) => `  ${docString(fs.description)}${f}: ${typeOf(fs, `${name}${pascal(f)}`, sdl, input)}`);
    sdl.types.push(`${input ? 'input' : 'type'} ${name} {\n${fields.join('\n')}\n}`);
    return `${name}${bang}`;
  }
  // records, unions, tuples: free-form JSON, checked by the zod schema on the way in
  return `JSON${bang}`;
}

/**
 * The SDL of `operations`: per operation an input type `<Name>Input`, an output type `<Name>Result`
 * and a Query (read-only) or Mutation field `name(input: <Name>Input!): <Name>Result!`.
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
    const base = pascal(op.name);
    const inType = Object.keys(op.input.shape).length > 0 ? typeOf(op.input, `${base}Input`, sdl, true) : undefined;
    const outType = typeOf(op.output, `${base}Result`, sdl, false);
    const field = `  ${docString(op.description)}${graphqlFieldName(op)}${inType ? `(input: ${inType})` : ''}: ${outType}`;
    (op.readOnly ? queries : mutations).push(field);
  }
  return [...sdl.types, ...(queries.length ? [`extend type Query {\n${queries.join('\n')}\n}`] : []), ...(mutations.length ? [`extend type Mutation {\n${mutations.join('\n')}\n}`] : [])].join('\n\n');
}

/** GraphQL sends null for an omitted optional field; zod's optional means absent. */
function dropNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

/** Resolvers of the derived fields: the input validated by the operation's schema, then the operation run on the kit. */
export function operationResolvers(kit: ResolverKit, operations: readonly Operation[] = GRAPHQL_OPERATIONS): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = { Query: {}, Mutation: {} };
  for (const op of operations) {
    out[op.readOnly ? 'Query' : 'Mutation']![graphqlFieldName(op)] = async (_: unknown, args: { input?: unknown }, context: { request?: Request }) => {
      const input = parseOperationInput(op, dropNulls(args.input ?? {}));
      return op.run(input, { ...kit, signal: context.request?.signal });
    };
  }
  return out;
}
