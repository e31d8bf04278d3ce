/**
 * The cost model of an operation: how deep it nests, how much it costs and
 * how many aliases it uses, measured on its document before anything runs.
 *
 * Every field costs 1 (`__typename` included), or its entry in `fieldCosts`;
 * the selections under a list field count once per expected item (its
 * `first`, else its default, else `listSize`). Fields that build a population
 * or run simulations cost more with their size (`sizedFieldCost`), and the
 * numbers of a metric series are charged by the points asked for (`maxPoints`,
 * else the longest series a run can have), one cost unit per
 * `valuesPerCost` numbers. Introspection (`__schema`, `__type`) is left out:
 * graphql-js's MaxIntrospectionDepthRule bounds it.
 */
import { getNamedType, getNullableType, isInterfaceType, isListType, isObjectType, Kind, typeFromAST, valueFromASTUntyped, type FieldNode, type GraphQLField, type GraphQLNamedType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from './graphql.js';
import { DEFAULT_SWEEP_SEEDS } from '@populace/server-kit';

/** The limits and the cost model. */
export interface QueryLimits {
  /** Deepest field nesting accepted (a root field is 1). */
  readonly maxDepth: number;
  /** Highest estimated cost accepted. */
  readonly maxCost: number;
  /** Items expected of a list field with no `first` argument. */
  readonly listSize: number;
  /** Items expected of a list field whose `first` is an unknown variable (the largest `first` the server accepts). */
  readonly maxListSize: number;
  /** Costs of particular fields, by `Type.field` (default 1 each). */
  readonly fieldCosts: Readonly<Record<string, number>>;
  /** Aliases in one operation, counted over all its selection sets (fragments once per use). */
  readonly maxAliases: number;
  /** Aliases in one selection set. */
  readonly maxAliasesPerSelection: number;
  /** Lexical tokens of a document; a longer one is refused while it is parsed. */
  readonly maxTokens: number;
  /** Points of a metric series when `maxPoints` is not given (the longest series a run can have). */
  readonly maxPoints: number;
  /** Numbers of a series charged as one cost unit. */
  readonly valuesPerCost: number;
}

/** Depth, cost and aliases of one operation. */
export interface QueryMeasure {
  readonly depth: number;
  readonly cost: number;
  /** Aliases over the whole operation. */
  readonly aliases: number;
  /** The most aliases of one selection set. */
  readonly aliasesPerSelection: number;
}

/** Agents a population-building field is charged for when the request gives none (the analyzer's default for statistics). */
export const COST_DEFAULT_AGENTS = 100_000;
/** Steps a simulating field is charged for when the request gives none. */
export const COST_DEFAULT_STEPS = 100;
/** Agents per cost unit of a population build (2,000,000 agents: 2,000). */
export const AGENTS_PER_COST = 1_000;
/** Characters of an `ask` question per cost unit, whole units only (a 4,000-character question: 40 over the field's base cost of 100). */
export const QUESTION_CHARS_PER_COST = 100;
/** Agent-steps per cost unit of a simulated run. */
export const AGENT_STEPS_PER_COST = 1_000_000;

type Args = Readonly<Record<string, unknown>>;
const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback);
const input = (args: Args): Args => (args.input !== null && typeof args.input === 'object' ? (args.input as Args) : {});

/**
 * Fields whose cost grows with what they are asked to do, by `Type.field`: the base cost (from
 * `fieldCosts`) plus what the arguments ask for. `ask` costs one unit per QUESTION_CHARS_PER_COST
 * characters of its question; `populationStats` builds `agents` agents; `counterfactual` runs two
 * scenarios on each seed for `steps` steps of `agents` agents; `sweep` runs every grid point on each
 * seed.
 */
export const SIZED_FIELDS: Readonly<Record<string, (args: Args) => number>> = Object.freeze({
  // the question goes to the chat model on every round of the agent: longer questions cost more
  'Mutation.ask': (args) => Math.floor((typeof args.question === 'string' ? args.question.length : 0) / QUESTION_CHARS_PER_COST),
  'Query.populationStats': (args) => Math.ceil(num(input(args).agents, COST_DEFAULT_AGENTS) / AGENTS_PER_COST),
  'Mutation.counterfactual': (args) => {
    const i = input(args);
    const seeds = Array.isArray(i.seeds) ? i.seeds.length : num(i.seedCount, 3);
    return 2 * seeds * Math.ceil((num(i.agents, COST_DEFAULT_AGENTS) * num(i.steps, COST_DEFAULT_STEPS)) / AGENT_STEPS_PER_COST);
  },
  'Mutation.sweep': (args) => {
    const i = input(args);
    const points = i.vary !== null && typeof i.vary === 'object' ? Object.values(i.vary as Args).reduce<number>((n, v) => n * (Array.isArray(v) ? v.length : 1), 1) : 1;
    return points * num(i.seeds, DEFAULT_SWEEP_SEEDS) * Math.ceil((num(i.agents, COST_DEFAULT_AGENTS) * num(i.steps, COST_DEFAULT_STEPS)) / AGENT_STEPS_PER_COST);
  },
});

/** Fields returning metric series (`names`, `maxPoints` arguments) and the lists of numbers under them, charged by points. */
const SERIES_FIELDS = new Set(['Run.metrics', 'RunProgressEvent.metrics']);
const POINT_LISTS = new Set(['MetricsSlice.steps', 'Series.values']);

/** What a measure needs of a validation context or of an execution's document. */
export interface MeasureContext {
  getSchema(): GraphQLSchema;
  getFragment(name: string): { readonly typeCondition: Parameters<typeof typeFromAST>[1]; readonly selectionSet: SelectionSetNode } | null | undefined;
}

/** Argument values of a field node: literals, variables from `variables` (an absent variable: its declared default, else undefined). */
function argumentValues(node: FieldNode, operation: OperationDefinitionNode, variables: Args | undefined): Args {
  const out: Record<string, unknown> = {};
  const vars: Record<string, unknown> = {};
  for (const d of operation.variableDefinitions ?? []) {
    const name = d.variable.name.value;
    if (variables && Object.hasOwn(variables, name)) vars[name] = variables[name];
    else if (d.defaultValue) vars[name] = valueFromASTUntyped(d.defaultValue);
  }
  for (const a of node.arguments ?? []) out[a.name.value] = valueFromASTUntyped(a.value as ValueNode, vars);
  return out;
}

/**
 * Depth, cost and aliases of `operation` under `limits`' cost model; `variables` are the
 * request's (without them a variable `first` or `agents` counts as its declared default, else as
 * the largest the server accepts). Fragments are measured once per page size and cycles count as
 * empty, so the measure is linear in the document.
 *
 * @example
 * ```ts
 * measureOperation(context, operation, DEFAULT_QUERY_LIMITS); // { depth: 2, cost: 11, ... } for '{ models { id } }'
 * ```
 */
export function measureOperation(context: MeasureContext, operation: OperationDefinitionNode, limits: QueryLimits, variables?: Args): QueryMeasure {
  const schema = context.getSchema();
  const memo = new Map<string, QueryMeasure>();
  const active = new Set<string>();
  let aliases = 0;
  let perSelection = 0;

  const firstOf = (field: GraphQLField<unknown, unknown>, args: Args, node: FieldNode): number | undefined => {
    const def = field.args.find((a) => a.name === 'first');
    if (!def) return undefined;
    const given = node.arguments?.find((a) => a.name.value === 'first');
    if (!given) return typeof def.defaultValue === 'number' ? def.defaultValue : limits.maxListSize;
    return typeof args.first === 'number' ? Math.max(0, args.first) : limits.maxListSize;
  };

  // `page`: the `first` of the field above, for the list right inside it; `points`: the points of the series above
  const selections = (type: GraphQLNamedType | undefined, set: SelectionSetNode, page: number | undefined, points: number): Omit<QueryMeasure, 'aliases' | 'aliasesPerSelection'> => {
    let depth = 0;
    let cost = 0;
    const here = set.selections.filter((s) => s.kind === Kind.FIELD && s.alias).length;
    aliases += here;
    perSelection = Math.max(perSelection, here);
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        if (name === '__schema' || name === '__type') {
          depth = Math.max(depth, 1);
          continue;
        }
        depth = Math.max(depth, 1);
        const key = type ? `${type.name}.${name}` : name;
        const field = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[name] : undefined;
        const args = field ? argumentValues(sel, operation, variables) : {};
        let own = limits.fieldCosts[key] ?? 1;
        const sized = SIZED_FIELDS[key];
        if (sized) own += sized(args);
        if (POINT_LISTS.has(key)) own += Math.ceil(points / limits.valuesPerCost);
        if (!sel.selectionSet || !field) {
          cost += own;
          continue;
        }
        let childPoints = points;
        let times: number;
        const isList = isListType(getNullableType(field.type));
        const first = firstOf(field, args, sel);
        if (SERIES_FIELDS.has(key)) {
          childPoints = Math.min(limits.maxPoints, num(args.maxPoints, limits.maxPoints));
          times = isList ? (Array.isArray(args.names) ? args.names.length : limits.listSize) : 1;
        } else times = isList ? (first ?? page ?? limits.listSize) : 1;
        const series = !isList && SERIES_FIELDS.has(key) ? (Array.isArray(args.names) ? args.names.length : undefined) : undefined;
        const child = selections(getNamedType(field.type), sel.selectionSet, isList ? undefined : (series ?? first), childPoints);
        cost += own + times * child.cost;
        depth = Math.max(depth, 1 + child.depth);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const on = sel.typeCondition ? (typeFromAST(schema, sel.typeCondition) as GraphQLNamedType | undefined) : type;
        const child = selections(on, sel.selectionSet, page, points);
        cost += child.cost;
        depth = Math.max(depth, child.depth);
      } else {
        const name = sel.name.value;
        const key = `${name}@${page ?? ''}@${points}`;
        let child = memo.get(key);
        if (!child) {
          const fragment = context.getFragment(name);
          if (!fragment || active.has(name)) continue;
          active.add(name);
          const before = aliases;
          const inner = selections(typeFromAST(schema, fragment.typeCondition) as GraphQLNamedType | undefined, fragment.selectionSet, page, points);
          active.delete(name);
          child = { ...inner, aliases: aliases - before, aliasesPerSelection: 0 };
          memo.set(key, child);
        } else aliases += child.aliases;
        cost += child.cost;
        depth = Math.max(depth, child.depth);
      }
    }
    return { depth, cost };
  };

  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  const { depth, cost } = selections(root ?? undefined, operation.selectionSet, undefined, limits.maxPoints);
  return { depth, cost, aliases, aliasesPerSelection: perSelection };
}
