/**
 * `populationStats`: grouped aggregates over the agent attributes of a
 * population built at a size and seed (no simulation is run): counts and
 * shares per group, and per attribute the count, share, mean, median, min,
 * max, sum or mode, with filters, bins for numbers, and a ranking of the
 * groups when one statistic is asked ("which age group has the lowest median
 * income?").
 */
import { closest, PopulaceError, type AttributeSchema } from '@populace/core';
import { checkLimit } from '@populace/server-kit';
import { z } from 'zod';
import { attributeColumns, type AttributeColumn } from './attribute-columns.js';
import { checkContext, type AnalysisContext } from './context.js';
import { CATEGORY_STATS, groupStats, STATS, type Stat, type StatValue } from './group-stats.js';
import { jsonSafe, parseInput, seedSchema } from './input.js';
import { buildPopulation } from './population-cache.js';
import { rankGroups, type PopulationRanking } from './population-ranking.js';
import { agentFilter, whereValueSchema, type AppliedFilter } from './population-filter.js';

/** Agents built when a call gives none and the population's default is larger. */
export const DEFAULT_STATS_AGENTS = 100_000;
/** The most groups one call may produce. */
export const MAX_GROUPS = 10_000;

/** Input of `populationStats`. */
export const populationStatsInput = z.strictObject({
  population: z.string().min(1).describe("Population id ('populations/nyc' or 'nyc'); list_populations lists them, describe_population their attributes."),
  agents: z.number().int().min(1).optional().describe(`Agents to build (default the population's default, at most ${DEFAULT_STATS_AGENTS.toLocaleString('en-US')}); shares do not depend on it beyond sampling noise.`),
  seed: seedSchema.optional().describe('Seed of the build (default 0); the same seed gives the same population.'),
  agentType: z.string().min(1).optional().describe("Agent type (default the population's first, e.g. 'people')."),
  groupBy: z.array(z.string().min(1)).max(3).optional().describe("Attributes to group by (at most 3): categories group by label ('ageBand', 'area'); numbers need bins."),
  bins: z.record(z.string(), z.array(z.number()).min(2)).optional().describe('Bin edges for number attributes in groupBy, ascending: { age: [0, 18, 65, 101] } makes groups [0, 18), [18, 65), [65, 101).'),
  measures: z
    .array(z.strictObject({ attribute: z.string().min(1), stats: z.array(z.enum(STATS)).min(1) }))
    .max(8)
    .optional()
    .describe(
      "Per attribute, statistics per group. Numbers: count, share (of the total sum), mean, median, min, max, sum, mode. Categories: count and share by label, mode; ordered categories (numeric ranges such as income or age bands) also median, min and max, as labels. Example: [{ attribute: 'income', stats: ['median'] }].",
    ),
  where: z.record(z.string(), whereValueSchema).optional().describe("Filters, all must hold: a label or list of labels for categories ({ employed: 'employed', area: ['bronx', 'queens'] }), a number, list or { min, max } (inclusive) for numbers ({ age: { min: 18 } })."),
  ordered: z.array(z.string()).optional().describe('Categories to treat as ordered (codes in label order) besides those whose labels are numeric ranges.'),
  order: z.enum(['ascending', 'descending']).optional().describe('Order of the ranking (default ascending: lowest first).'),
});

/** What `populationStats` takes. */
export type PopulationStatsInput = z.input<typeof populationStatsInput>;

/** One group's row: its labels, size, share of the filtered agents and the measures. */
export interface PopulationStatsRow {
  /** The group's label for each groupBy attribute (empty without groupBy). */
  readonly group: Readonly<Record<string, string>>;
  readonly count: number;
  /** count / total. */
  readonly share: number;
  /** By attribute, by statistic. An ordered category's median comes with `medianPosition`. */
  readonly measures: Readonly<Record<string, Readonly<Record<string, StatValue>>>>;
}

/** What one attribute used by the call is. */
export interface AttributeSummary {
  readonly kind: 'category' | 'number' | 'id';
  readonly ordered: boolean;
  readonly description: string;
  readonly unit: string | null;
  readonly labels: readonly string[];
}

/** The result of `populationStats` (plain JSON). */
export interface PopulationStatsResult {
  readonly population: string;
  readonly agentType: string;
  /** Agents built. */
  readonly agents: number;
  readonly seed: number;
  /** Agents that pass the filters. */
  readonly total: number;
  /** Agents left out by a number's bins (values outside every bin). */
  readonly outsideBins: number;
  readonly groupBy: readonly string[];
  readonly where: Readonly<Record<string, AppliedFilter>>;
  /** Groups with at least one agent, in code (bin) order. */
  readonly rows: readonly PopulationStatsRow[];
  /** The groups ranked by the one statistic asked (null unless groupBy and exactly one statistic). */
  readonly ranking: PopulationRanking | null;
  readonly attributes: Readonly<Record<string, AttributeSummary>>;
  readonly notes: readonly string[];
}

function attributeError(name: string, field: string, known: Readonly<Record<string, { kind: string }>>, population: string, agentType: string): PopulaceError {
  const names = Object.keys(known);
  const guess = closest(name, names);
  return new PopulaceError(
    'invalid-argument',
    `populationStats: ${field} names attribute '${name}', which ${agentType} of population '${population}' does not have.${guess ? ` Did you mean '${guess}'?` : ''} Known attributes: ${names.map((n) => `${n} (${known[n]!.kind})`).join(', ') || '(none)'}.`,
    { details: { attribute: name, known: names } },
  );
}

/** Every attribute name the input refers to, with the field it appears in. */
function referencedAttributes(input: z.output<typeof populationStatsInput>): [string, string][] {
  return [
    ...(input.groupBy ?? []).map((a, i): [string, string] => [a, `groupBy[${i}]`]),
    ...(input.measures ?? []).map((m, i): [string, string] => [m.attribute, `measures[${i}].attribute`]),
    ...Object.keys(input.where ?? {}).map((a): [string, string] => [a, `where.${a}`]),
    ...Object.keys(input.bins ?? {}).map((a): [string, string] => [a, `bins.${a}`]),
    ...(input.ordered ?? []).map((a, i): [string, string] => [a, `ordered[${i}]`]),
  ];
}

interface GroupDim {
  readonly name: string;
  readonly labels: readonly string[];
  readonly code: (i: number) => number;
}

function groupDim(column: AttributeColumn, edges: readonly number[] | undefined): GroupDim {
  const { name, values } = column;
  if (column.kind === 'id') throw new PopulaceError('invalid-argument', `populationStats: groupBy '${name}' is an id attribute (one group per id); group by a category or a binned number instead.`, { details: { attribute: name } });
  if (column.kind === 'category') {
    if (edges) throw new PopulaceError('invalid-argument', `populationStats: bins.${name}: '${name}' is a category (labels ${column.labels.slice(0, 6).join(', ')}...), which groups by label; bins apply to number attributes. Remove bins.${name}.`, { details: { attribute: name } });
    const K = column.labels.length;
    return { name, labels: column.labels, code: (i) => (Number.isInteger(values[i]) && values[i]! >= 0 && values[i]! < K ? values[i]! : -1) };
  }
  if (!edges) throw new PopulaceError('invalid-argument', `populationStats: groupBy '${name}' is a number attribute${column.unit ? ` (${column.unit})` : ''}: give bin edges, e.g. bins: { ${name}: [0, 18, 65, 101] } for groups [0, 18), [18, 65), [65, 101).`, { details: { attribute: name } });
  if (edges.some((e) => !Number.isFinite(e)) || edges.some((e, k) => k > 0 && !(e > edges[k - 1]!))) {
    throw new PopulaceError('invalid-argument', `populationStats: bins.${name}: expected finite edges in increasing order, received ${JSON.stringify(edges)}.`, { details: { attribute: name } });
  }
  const labels = edges.slice(1).map((hi, k) => `[${edges[k]}, ${hi})`);
  return {
    name,
    labels,
    code: (i) => {
      const v = values[i]!;
      if (!(v >= edges[0]!) || !(v < edges[edges.length - 1]!)) return -1;
      let lo = 0;
      let hi = edges.length - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (v >= edges[mid]!) lo = mid;
        else hi = mid;
      }
      return lo;
    },
  };
}

/**
 * Grouped statistics of a population's agent attributes, computed on the population built with
 * `agents` agents and `seed` (nothing is simulated, nothing is recorded).
 *
 * @example
 * ```ts
 * // which age group has the lowest median household income?
 * const s = await populationStats(kit, { population: 'nyc', agents: 20000, groupBy: ['ageBand'], measures: [{ attribute: 'income', stats: ['median'] }] });
 * s.ranking!.lowest; // { group: { ageBand: '20-24' }, value: 4.61, label: '35-50k', rank: 1 } (for example)
 * ```
 */
export async function populationStats(ctx: AnalysisContext, input: PopulationStatsInput): Promise<PopulationStatsResult> {
  const { runtime, executor } = checkContext(ctx, 'populationStats');
  const args = parseInput(populationStatsInput, input, 'populationStats');
  const description = runtime.describePopulation(args.population);
  const agentType = args.agentType ?? description.agentTypes[0]!;
  if (!description.agentTypes.includes(agentType)) {
    throw new PopulaceError('invalid-argument', `populationStats: agentType '${agentType}' is not an agent type of population '${description.id}'; expected one of ${description.agentTypes.join(', ')}.`, { details: { agentType, known: description.agentTypes } });
  }
  const agents = args.agents ?? Math.min(description.defaultAgents, DEFAULT_STATS_AGENTS);
  if (agents > description.maxAgents) {
    throw new PopulaceError('invalid-argument', `populationStats: agents is ${agents}, over the ${description.maxAgents.toLocaleString('en-US')} population '${description.id}' can build. Pass fewer agents.`, { details: { received: agents, max: description.maxAgents } });
  }
  checkLimit(executor.limits, 'maxAgents', agents, 'agents', 'Pass fewer agents: shares and medians are stable at a few tens of thousands.');
  const declared: AttributeSchema | undefined = description.attributes[agentType];
  const refs = referencedAttributes(args);
  if (declared && Object.keys(declared).length > 0) {
    for (const [name, field] of refs) if (!declared[name]) throw attributeError(name, field, declared, description.id, agentType);
  }
  const seed = args.seed ?? 0;
  const data = await buildPopulation(runtime, description.id, agents, seed, ctx.populationBuilder);
  const table = data.agents[agentType];
  if (!table) throw new PopulaceError('invalid-argument', `populationStats: population '${description.id}' built no agents of type '${agentType}' (it built ${Object.keys(data.agents).join(', ')}).`);
  const columns = attributeColumns(table, declared, args.ordered ?? []);
  const known = Object.fromEntries([...columns].map(([n, c]) => [n, { kind: c.kind }]));
  for (const [name, field] of refs) if (!columns.has(name)) throw attributeError(name, field, known, description.id, agentType);
  const notes: string[] = [];

  // filters, then groups
  const { pass, applied } = agentFilter(columns, args.where ?? {}, table.count);
  const dims = (args.groupBy ?? []).map((name) => groupDim(columns.get(name)!, args.bins?.[name]));
  for (const name of Object.keys(args.bins ?? {})) {
    if (!(args.groupBy ?? []).includes(name)) throw new PopulaceError('invalid-argument', `populationStats: bins.${name} is given but '${name}' is not in groupBy. Add it to groupBy or remove the bins.`, { details: { attribute: name } });
  }
  const groups = dims.reduce((n, d) => n * d.labels.length, 1);
  if (groups > MAX_GROUPS) throw new PopulaceError('invalid-argument', `populationStats: groupBy [${dims.map((d) => d.name).join(', ')}] makes ${groups} groups, over ${MAX_GROUPS}. Group by fewer attributes or use fewer bins.`, { details: { groups, max: MAX_GROUPS } });
  const groupOf = new Int32Array(table.count).fill(-1);
  let total = 0;
  let outsideBins = 0;
  for (let i = 0; i < table.count; i++) {
    if (!pass(i)) continue;
    let g = 0;
    for (const d of dims) {
      const c = d.code(i);
      if (c < 0) {
        g = -1;
        break;
      }
      g = g * d.labels.length + c;
    }
    if (g < 0) outsideBins += 1;
    else {
      groupOf[i] = g;
      total += 1;
    }
  }
  if (outsideBins > 0) notes.push(`${outsideBins} agents fell outside the bins (or had a code without a label) and are not counted.`);
  const counts = new Float64Array(groups);
  for (let i = 0; i < groupOf.length; i++) if (groupOf[i]! >= 0) counts[groupOf[i]!]! += 1;

  // measures
  for (const m of args.measures ?? []) {
    if ((args.measures ?? []).filter((o) => o.attribute === m.attribute).length > 1) {
      throw new PopulaceError('invalid-argument', `populationStats: measures names '${m.attribute}' more than once; list all its stats in one entry: { attribute: '${m.attribute}', stats: [...] }.`, { details: { attribute: m.attribute } });
    }
  }
  const measured: Record<string, Record<string, StatValue>[]> = {};
  for (const [i, m] of (args.measures ?? []).entries()) {
    const column = columns.get(m.attribute)!;
    const stats = [...new Set(m.stats)] as Stat[];
    if (column.kind === 'id') throw new PopulaceError('invalid-argument', `populationStats: measures[${i}]: '${m.attribute}' is an id attribute; statistics of ids mean nothing. Measure a category or a number.`, { details: { attribute: m.attribute } });
    if (column.kind === 'category') {
      const bad = stats.filter((s) => !CATEGORY_STATS.includes(s) || (!column.ordered && (s === 'median' || s === 'min' || s === 'max')));
      if (bad.length > 0) {
        const allowed = CATEGORY_STATS.filter((s) => column.ordered || !(s === 'median' || s === 'min' || s === 'max'));
        throw new PopulaceError(
          'invalid-argument',
          `populationStats: measures[${i}]: '${m.attribute}' is ${column.ordered ? 'an ordered' : 'an unordered'} category, so ${bad.join(', ')} ${bad.length > 1 ? 'are' : 'is'} not defined; expected stats among ${allowed.join(', ')}.${column.ordered ? '' : ` If its labels (${column.labels.slice(0, 5).join(', ')}...) are in a meaningful order, pass ordered: ['${m.attribute}'].`}`,
          { details: { attribute: m.attribute, stats: bad, allowed } },
        );
      }
    }
    measured[m.attribute] = groupStats(column, groupOf, groups, stats);
  }

  const rows: PopulationStatsRow[] = [];
  for (let g = 0; g < groups; g++) {
    if (counts[g] === 0) continue;
    const group: Record<string, string> = {};
    let rest = g;
    for (let d = dims.length - 1; d >= 0; d--) {
      const size = dims[d]!.labels.length;
      group[dims[d]!.name] = dims[d]!.labels[rest % size]!;
      rest = Math.floor(rest / size);
    }
    const ordered = Object.fromEntries(dims.map((d) => [d.name, group[d.name]!]));
    rows.push({ group: ordered, count: counts[g]!, share: total === 0 ? 0 : counts[g]! / total, measures: Object.fromEntries(Object.entries(measured).map(([a, per]) => [a, per[g]!])) });
  }
  if (total === 0) notes.push('No agent passes the filters: check the where values.');
  const ranking = dims.length > 0 ? rankGroups(rows, args.measures ?? [], columns, args.order ?? 'ascending') : null;
  if (ranking && ranking.entries.length > 1 && ranking.entries[0]!.label !== null && ranking.entries.every((e) => e.label === ranking.entries[0]!.label)) {
    notes.push(`Every group has the same ${ranking.stat} of ${ranking.attribute} ('${ranking.entries[0]!.label}'); the ranking orders them by ${ranking.stat === 'median' ? 'the position of the median inside that band' : 'band index'}, and differences this small may be sampling noise of the synthetic population (compare another seed).`);
  }
  if (ranking?.tiedAtTop) notes.push(`Several groups share the ${ranking.order === 'ascending' ? 'lowest' : 'highest'} value; see ranking.entries.`);
  const used = new Set(refs.map(([n]) => n));
  const attributes = Object.fromEntries(
    [...used].map((n) => {
      const c = columns.get(n)!;
      return [n, { kind: c.kind, ordered: c.ordered, description: c.description, unit: c.unit, labels: c.labels }];
    }),
  );
  return jsonSafe({ population: description.id, agentType, agents: table.count, seed, total, outsideBins, groupBy: dims.map((d) => d.name), where: applied, rows, ranking, attributes, notes });
}
