/**
 * The analysis inputs on the wire as the analyzer's inputs: typed lists
 * (`[{ attribute, edges }]`, `[{ name, value }]`) become the records its
 * functions take, GraphQL's explicit nulls count as not given. What the
 * lists cannot say twice is checked here; everything else is checked by the
 * analyzer's own zod schemas when the function runs.
 */
import type { CounterfactualInput, PopulationStatsInput } from '@populace/analyzer';
import { PopulaceError } from '@populace/core';
import { given, paramRecord, type ParamIn } from './values.js';

/** PopulationStatsInput on the wire. */
export interface PopulationStatsIn {
  readonly population: string;
  readonly agents?: number | null;
  readonly seed?: number | null;
  readonly agentType?: string | null;
  readonly groupBy?: readonly string[] | null;
  readonly bins?: readonly { readonly attribute: string; readonly edges: readonly number[] }[] | null;
  readonly measures?: readonly { readonly attribute: string; readonly stats: readonly string[] }[] | null;
  readonly where?: readonly FilterIn[] | null;
  readonly ordered?: readonly string[] | null;
  readonly order?: 'ascending' | 'descending' | null;
}

/** FilterInput on the wire. */
export interface FilterIn {
  readonly attribute: string;
  readonly labels?: readonly string[] | null;
  readonly values?: readonly number[] | null;
  readonly min?: number | null;
  readonly max?: number | null;
}

/** CounterfactualInput on the wire. */
export interface CounterfactualIn {
  readonly model: string;
  readonly population?: string | null;
  readonly agents?: number | null;
  readonly steps?: number | null;
  readonly label?: string | null;
  readonly baseline?: readonly ParamIn[] | null;
  readonly changes: readonly ParamIn[];
  readonly seeds?: readonly number[] | null;
  readonly seedCount?: number | null;
  readonly seed?: number | null;
  readonly metrics?: readonly string[] | null;
  readonly summaries?: readonly string[] | null;
  readonly confidence?: number | null;
}

/** A list keyed by attribute as a record; an attribute given twice is an error. */
function byAttribute<T extends { readonly attribute: string }, V>(list: readonly T[] | null | undefined, field: string, value: (item: T, i: number) => V): Record<string, V> | undefined {
  if (!list) return undefined;
  const out: Record<string, V> = {};
  list.forEach((item, i) => {
    if (Object.hasOwn(out, item.attribute)) throw new PopulaceError('invalid-argument', `populationStats: ${field}[${i}]: attribute '${item.attribute}' is given twice. Give each attribute once.`, { details: { field: `${field}[${i}]`, attribute: item.attribute } });
    out[item.attribute] = value(item, i);
  });
  return out;
}

/** One filter as the analyzer's `where` value: labels, values or a { min, max } range. */
function filterValue(f: FilterIn, i: number): string[] | number[] | { min?: number; max?: number } {
  const labels = given(f.labels);
  const values = given(f.values);
  const range = given(f.min) !== undefined || given(f.max) !== undefined;
  const kinds = [labels !== undefined, values !== undefined, range].filter(Boolean).length;
  if (kinds !== 1) {
    throw new PopulaceError('invalid-argument', `populationStats: where[${i}] ('${f.attribute}'): expected exactly one of labels (a category), values (a number) or min/max (a range), received ${kinds === 0 ? 'none' : 'several'}.`, { details: { field: `where[${i}]`, attribute: f.attribute } });
  }
  if (labels) return [...labels];
  if (values) return [...values];
  return { ...(given(f.min) === undefined ? {} : { min: f.min as number }), ...(given(f.max) === undefined ? {} : { max: f.max as number }) };
}

/**
 * The analyzer's input of `populationStats`.
 *
 * @example
 * ```ts
 * populationStatsInputOf({ population: 'nyc', bins: [{ attribute: 'age', edges: [0, 18, 65] }], groupBy: ['age'] });
 * // { population: 'nyc', groupBy: ['age'], bins: { age: [0, 18, 65] } }
 * ```
 */
export function populationStatsInputOf(input: PopulationStatsIn): PopulationStatsInput {
  const out = {
    population: input.population,
    agents: given(input.agents),
    seed: given(input.seed),
    agentType: given(input.agentType),
    groupBy: given(input.groupBy),
    bins: byAttribute(input.bins, 'bins', (b) => [...b.edges]),
    measures: input.measures?.map((m) => ({ attribute: m.attribute, stats: [...m.stats] })),
    where: byAttribute(input.where, 'where', filterValue),
    ordered: given(input.ordered),
    order: given(input.order),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as PopulationStatsInput;
}

/**
 * The analyzer's input of `counterfactual`.
 *
 * @example
 * ```ts
 * counterfactualInputOf({ model: 'epi/covid', changes: [{ name: 'R', value: 4.5 }] }); // { model: 'epi/covid', changes: { R: 4.5 } }
 * ```
 */
export function counterfactualInputOf(input: CounterfactualIn): CounterfactualInput {
  const out = {
    model: input.model,
    population: given(input.population),
    agents: given(input.agents),
    steps: given(input.steps),
    label: given(input.label),
    baseline: paramRecord(input.baseline, 'baseline'),
    changes: paramRecord(input.changes, 'changes') ?? {},
    seeds: given(input.seeds),
    seedCount: given(input.seedCount),
    seed: given(input.seed),
    metrics: given(input.metrics),
    summaries: given(input.summaries),
    confidence: given(input.confidence),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as unknown as CounterfactualInput;
}
