/**
 * Query depth and cost limits as one GraphQL validation rule, so an
 * over-deep or over-costly operation is refused before anything runs.
 *
 * Depth: the longest chain of nested fields (a root field is depth 1;
 * fragments add no depth). Cost: every field costs 1 (or its entry in
 * `fieldCosts`), and the selections under a list field count once per
 * expected item: the field's `first` argument when given as a literal (a
 * variable counts as `maxListSize`), else its default, else `listSize`; a
 * `first` on a field returning a page object applies to the list inside it.
 * Introspection (`__schema`, `__type`) is left out: its size is the schema's,
 * and graphql-js's own MaxIntrospectionDepthRule (in the specified rules Yoga
 * runs) refuses the nested introspection queries that could blow it up.
 */
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  typeFromAST,
  type ASTVisitor,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from './graphql.js';
import type { Plugin } from 'graphql-yoga';
import { PopulaceError } from '@populace/core';
import { graphqlCode } from './errors.js';

/** The limits and the cost model. */
export interface QueryLimits {
  /** Deepest field nesting accepted (a root field is 1). */
  readonly maxDepth: number;
  /** Highest estimated cost accepted. */
  readonly maxCost: number;
  /** Items expected of a list field with no `first` argument. */
  readonly listSize: number;
  /** Items expected of a list field whose `first` is a variable (the largest `first` the server accepts). */
  readonly maxListSize: number;
  /** Costs of particular fields, by `Type.field` (default 1 each). */
  readonly fieldCosts: Readonly<Record<string, number>>;
}

/**
 * The defaults: room for every sensible query of the schema (a sweep's runs with their metric
 * series are depth 6; a page of 100 runs with their params and series costs about 5,000), far
 * from anything that could stall the server.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = Object.freeze({
  maxDepth: 10,
  maxCost: 10_000,
  listSize: 10,
  maxListSize: 100,
  // the analysis fields build populations, run sweeps or call a chat model: they cost more than a lookup
  fieldCosts: Object.freeze({ 'Run.metrics': 5, 'Query.compareRuns': 5, 'RunProgressEvent.metrics': 2, 'Query.populationStats': 20, 'Query.searchDocuments': 5, 'Mutation.counterfactual': 50, 'Mutation.ask': 100 }),
});

/** Depth and cost of one operation. */
export interface QueryMeasure {
  readonly depth: number;
  readonly cost: number;
}

/** Items a field's `first` argument asks for: its literal, a variable's default (else `maxListSize`), else the argument's default. */
function firstArgument(field: GraphQLField<unknown, unknown>, node: FieldNode, operation: OperationDefinitionNode, limits: QueryLimits): number | undefined {
  const firstArg = field.args.find((a) => a.name === 'first');
  if (!firstArg) return undefined;
  const given = node.arguments?.find((a) => a.name.value === 'first')?.value;
  if (given === undefined) return typeof firstArg.defaultValue === 'number' ? firstArg.defaultValue : limits.maxListSize;
  if (given.kind === Kind.INT) return Math.max(0, Number(given.value));
  if (given.kind === Kind.VARIABLE) {
    const declared = operation.variableDefinitions?.find((v) => v.variable.name.value === given.name.value)?.defaultValue;
    return declared?.kind === Kind.INT ? Math.max(0, Number(declared.value)) : limits.maxListSize;
  }
  return limits.maxListSize;
}

/**
 * Depth and cost of `operation` under `limits`' cost model. Fragments are measured once each
 * (repeated spreads cost nothing extra to measure) and cycles count as empty.
 *
 * @example
 * ```ts
 * // in a validation rule: { OperationDefinition(op) { measureOperation(context, op).cost; } }
 * measureOperation(context, operation); // { depth: 2, cost: 11 } for '{ models { id } }'
 * ```
 */
export function measureOperation(context: Pick<ValidationContext, 'getSchema' | 'getFragment'>, operation: OperationDefinitionNode, limits: QueryLimits = DEFAULT_QUERY_LIMITS): QueryMeasure {
  const schema = context.getSchema();
  const memo = new Map<string, QueryMeasure>();
  const active = new Set<string>();

  // `page`: the `first` of the field above, for the list right inside it (`runs(first: 50) { runs { ... } }`)
  const selections = (type: GraphQLNamedType | undefined, set: SelectionSetNode, page?: number): QueryMeasure => {
    let depth = 0;
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) {
          // __typename is free; __schema and __type are bounded by graphql's MaxIntrospectionDepthRule
          depth = Math.max(depth, 1);
          continue;
        }
        const fieldDefinition = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[sel.name.value] : undefined;
        const own = (type && limits.fieldCosts[`${type.name}.${sel.name.value}`]) ?? 1;
        if (!sel.selectionSet || !fieldDefinition) {
          cost += own;
          depth = Math.max(depth, 1);
          continue;
        }
        const first = firstArgument(fieldDefinition, sel, operation, limits);
        const isList = isListType(getNullableType(fieldDefinition.type));
        const times = isList ? (first ?? page ?? limits.listSize) : 1;
        const child = selections(getNamedType(fieldDefinition.type), sel.selectionSet, isList ? undefined : first);
        cost += own + times * child.cost;
        depth = Math.max(depth, 1 + child.depth);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const on = sel.typeCondition ? (typeFromAST(schema, sel.typeCondition) as GraphQLNamedType | undefined) : type;
        const child = selections(on, sel.selectionSet, page);
        cost += child.cost;
        depth = Math.max(depth, child.depth);
      } else {
        const name = sel.name.value;
        const key = `${name}@${page ?? ''}`;
        let child = memo.get(key);
        if (!child) {
          const fragment = context.getFragment(name);
          if (!fragment || active.has(name)) continue;
          active.add(name);
          child = selections(typeFromAST(schema, fragment.typeCondition) as GraphQLNamedType | undefined, fragment.selectionSet, page);
          active.delete(name);
          memo.set(key, child);
        }
        cost += child.cost;
        depth = Math.max(depth, child.depth);
      }
    }
    return { depth, cost };
  };

  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return selections(root ?? undefined, operation.selectionSet);
}

function checkLimits(limits: Partial<QueryLimits>): QueryLimits {
  const out = { ...DEFAULT_QUERY_LIMITS, ...Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) } as QueryLimits;
  for (const key of ['maxDepth', 'maxCost', 'listSize', 'maxListSize'] as const) {
    const v = out[key];
    if (typeof v !== 'number' || !(v === Infinity || (Number.isSafeInteger(v) && v >= 1))) {
      throw new PopulaceError('invalid-argument', `query limits: ${key} expected a positive integer (or Infinity for none), received ${JSON.stringify(v)}.`, { details: { limit: key } });
    }
  }
  return out;
}

function overLimit(limit: 'maxDepth' | 'maxCost', max: number, received: number, operation: OperationDefinitionNode): GraphQLError {
  const what = limit === 'maxDepth' ? `query depth is ${received}` : `estimated query cost is ${received.toLocaleString('en-US')}`;
  const fix = limit === 'maxDepth' ? 'Select less deeply nested fields' : "Ask for fewer items (a smaller 'first') or fewer nested fields, or split the query";
  const name = operation.name ? ` of operation '${operation.name.value}'` : '';
  return new GraphQLError(`the ${what}${name}, over this server's limit of ${max.toLocaleString('en-US')} (${limit}). ${fix}; the operator can raise it with --${limit === 'maxDepth' ? 'max-query-depth' : 'max-query-cost'}.`, {
    nodes: [operation],
    extensions: { code: graphqlCode('limit-exceeded'), details: { limit, max, received } },
  });
}

/**
 * A validation rule refusing operations deeper than `maxDepth` or costlier than `maxCost`
 * (extensions.code `LIMIT_EXCEEDED`, details `{ limit, max, received }`).
 *
 * @example
 * ```ts
 * import { parse, validate } from './graphql.js';
 * validate(schema, parse('{ runs { runs { id } } }'), [queryLimitsRule({ maxDepth: 2 })]); // one error
 * ```
 */
export function queryLimitsRule(limits: Partial<QueryLimits> = {}): ValidationRule {
  const checked = checkLimits(limits);
  return function PopulaceQueryLimits(context: ValidationContext): ASTVisitor {
    return {
      OperationDefinition(operation) {
        const { depth, cost } = measureOperation(context, operation, checked);
        if (depth > checked.maxDepth) context.reportError(overLimit('maxDepth', checked.maxDepth, depth, operation));
        else if (cost > checked.maxCost) context.reportError(overLimit('maxCost', checked.maxCost, cost, operation));
        return false;
      },
    };
  };
}

/**
 * The Yoga plugin adding `queryLimitsRule` to every request's validation.
 *
 * @example
 * ```ts
 * createYoga({ schema, plugins: [useQueryLimits({ maxDepth: 10, maxCost: 5000 })] });
 * ```
 */
export function useQueryLimits(limits: Partial<QueryLimits> = {}): Plugin {
  const rule = queryLimitsRule(limits);
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
  };
}
