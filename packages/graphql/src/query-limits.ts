/**
 * The query limits, enforced before anything runs: the document's tokens
 * (while it is parsed), its depth and aliases (a validation rule), and its
 * estimated cost (`query-cost.ts`; with the request's variables, just before
 * execution). An operation over one gets `LIMIT_EXCEEDED` with
 * `{ limit, max, received }`.
 */
import { GraphQLError, Kind, parse, type ASTVisitor, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type ValidationContext, type ValidationRule } from './graphql.js';
import { measureOperation, type QueryLimits, type QueryMeasure } from './query-cost.js';
import type { Plugin } from 'graphql-yoga';
import { PopulaceError } from '@populace/core';
import { graphqlCode } from './errors.js';

export type { QueryLimits, QueryMeasure } from './query-cost.js';
export { measureOperation } from './query-cost.js';

/**
 * The defaults: room for every sensible query of the schema (a sweep's runs with their metric
 * series are depth 6; a page of 100 runs with their params and 30-point series costs about
 * 5,000), far from anything that could stall the server: a 2,000,000-agent populationStats costs
 * 2,020, so four fit in one request. A run's snapshot (Run.snapshot) costs 1,000: the default
 * maxSnapshotCells (100,000 values) at valuesPerCost, so a page of runs cannot ask for many.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = Object.freeze({
  maxDepth: 10,
  maxCost: 10_000,
  listSize: 10,
  maxListSize: 100,
  // the analysis fields build populations, run sweeps or call a chat model: they cost more than a lookup (plus SIZED_FIELDS)
  fieldCosts: Object.freeze({ 'Run.metrics': 5, 'Query.compareRuns': 5, 'RunProgressEvent.metrics': 2, 'Query.populationStats': 20, 'Query.searchDocuments': 5, 'Mutation.counterfactual': 50, 'Mutation.ask': 100, 'Run.snapshot': 1000 }),
  maxAliases: 100,
  maxAliasesPerSelection: 30,
  maxTokens: 10_000,
  maxPoints: 10_000,
  valuesPerCost: 100,
});

const NUMERIC_LIMITS = ['maxDepth', 'maxCost', 'listSize', 'maxListSize', 'maxAliases', 'maxAliasesPerSelection', 'maxTokens', 'maxPoints', 'valuesPerCost'] as const;

/**
 * The defaults with `limits` applied, each checked (a positive integer, or Infinity for none).
 *
 * @example
 * ```ts
 * resolveQueryLimits({ maxCost: 5000 }).maxDepth; // 10
 * ```
 */
export function resolveQueryLimits(limits: Partial<QueryLimits> = {}): QueryLimits {
  const out = { ...DEFAULT_QUERY_LIMITS, ...Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) } as QueryLimits;
  for (const key of NUMERIC_LIMITS) {
    const v = out[key];
    if (typeof v !== 'number' || !(v === Infinity || (Number.isSafeInteger(v) && v >= 1))) {
      throw new PopulaceError('invalid-argument', `query limits: ${key} expected a positive integer (or Infinity for none), received ${JSON.stringify(v)}.`, { details: { limit: key } });
    }
  }
  return Object.freeze(out);
}

/** What to do about each limit, and the flag that raises it. */
const LIMIT_TEXT: Readonly<Record<'maxDepth' | 'maxCost' | 'maxAliases' | 'maxAliasesPerSelection' | 'maxTokens', { what: string; fix: string; flag?: string }>> = {
  maxDepth: { what: 'query depth', fix: 'Select less deeply nested fields', flag: 'max-query-depth' },
  maxCost: { what: 'estimated query cost', fix: "Ask for fewer items (a smaller 'first', 'maxPoints' or 'agents') or fewer fields, or split the query", flag: 'max-query-cost' },
  maxAliases: { what: 'number of aliases', fix: 'Use fewer aliases, or split the query' },
  maxAliasesPerSelection: { what: 'number of aliases in one selection set', fix: 'Use fewer aliases side by side, or split the query' },
  maxTokens: { what: 'number of tokens of the document', fix: 'Send a shorter document: fewer fields and aliases, values as variables' },
};

/**
 * The error of an operation over one of the query limits (`LIMIT_EXCEEDED`, details `{ limit, max, received }`).
 *
 * @example
 * ```ts
 * queryLimitError('maxCost', 10000, 12000).extensions.code; // 'LIMIT_EXCEEDED'
 * ```
 */
export function queryLimitError(limit: keyof typeof LIMIT_TEXT, max: number, received: number, operation?: OperationDefinitionNode): GraphQLError {
  const t = LIMIT_TEXT[limit];
  const name = operation?.name ? ` of operation '${operation.name.value}'` : '';
  const raise = t.flag ? `; the operator can raise it with --${t.flag}` : '';
  return new GraphQLError(`the ${t.what}${name} is ${received.toLocaleString('en-US')}, over this server's limit of ${max.toLocaleString('en-US')} (${limit}). ${t.fix}${raise}.`, {
    ...(operation ? { nodes: [operation] } : {}),
    extensions: { code: graphqlCode('limit-exceeded'), details: { limit, max, received } },
  });
}

/** The first limit `m` is over, as an error; cost only when `withCost`. */
function firstOver(m: QueryMeasure, limits: QueryLimits, operation: OperationDefinitionNode, withCost: boolean): GraphQLError | undefined {
  if (m.depth > limits.maxDepth) return queryLimitError('maxDepth', limits.maxDepth, m.depth, operation);
  if (m.aliasesPerSelection > limits.maxAliasesPerSelection) return queryLimitError('maxAliasesPerSelection', limits.maxAliasesPerSelection, m.aliasesPerSelection, operation);
  if (m.aliases > limits.maxAliases) return queryLimitError('maxAliases', limits.maxAliases, m.aliases, operation);
  if (withCost && m.cost > limits.maxCost) return queryLimitError('maxCost', limits.maxCost, m.cost, operation);
  return undefined;
}

/**
 * A validation rule refusing operations deeper than `maxDepth`, with more aliases than
 * `maxAliases` (or `maxAliasesPerSelection` side by side), or costlier than `maxCost`
 * (extensions.code `LIMIT_EXCEEDED`, details `{ limit, max, received }`). The cost of an
 * operation that declares variables depends on them: `useQueryLimits` checks it when the
 * operation executes, with the request's variables.
 *
 * @example
 * ```ts
 * import { parse, validate } from './graphql.js';
 * validate(schema, parse('{ runs { runs { id } } }'), [queryLimitsRule({ maxDepth: 2 })]); // one error
 * ```
 */
export function queryLimitsRule(limits: Partial<QueryLimits> = {}): ValidationRule {
  const checked = resolveQueryLimits(limits);
  return function PopulaceQueryLimits(context: ValidationContext): ASTVisitor {
    return {
      OperationDefinition(operation) {
        const error = firstOver(measureOperation(context, operation, checked), checked, operation, (operation.variableDefinitions ?? []).length === 0);
        if (error) context.reportError(error);
        return false;
      },
    };
  };
}

/** The operation an execution runs (by name, else the only one). */
function operationOf(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
}

/**
 * The Yoga plugin enforcing the query limits: documents over `maxTokens` are refused while they
 * are parsed, `queryLimitsRule` runs with validation, and every operation's cost is checked with
 * its variables before it executes or subscribes.
 *
 * @example
 * ```ts
 * createYoga({ schema, plugins: [useQueryLimits({ maxDepth: 10, maxCost: 5000 })] });
 * ```
 */
export function useQueryLimits(limits: Partial<QueryLimits> = {}): Plugin {
  const checked = resolveQueryLimits(limits);
  const rule = queryLimitsRule(checked);
  const parseOptions = Number.isFinite(checked.maxTokens) ? { maxTokens: checked.maxTokens } : {};
  const costError = (args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null | undefined; variableValues?: Readonly<Record<string, unknown>> | null | undefined }): GraphQLError | undefined => {
    const operation = operationOf(args.document, args.operationName);
    if (!operation) return undefined;
    const fragments = new Map(args.document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
    const m = measureOperation({ getSchema: () => args.schema, getFragment: (n) => fragments.get(n) }, operation, checked, args.variableValues ?? {});
    return m.cost > checked.maxCost ? queryLimitError('maxCost', checked.maxCost, m.cost, operation) : undefined;
  };
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parse(source, { ...options, ...parseOptions });
        } catch (error) {
          if (/more tha[nt] \d+ tokens/.test((error as Error)?.message ?? '')) throw queryLimitError('maxTokens', checked.maxTokens, checked.maxTokens + 1);
          throw error;
        }
      });
    },
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const error = costError(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = costError(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
