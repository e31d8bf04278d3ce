/**
 * Grouping agents into archetypes: which attributes an archetype groups by
 * (categories as they are, numbers cut into bins), checked against the declared
 * attribute schema at definition time and against the built population when
 * the first question is asked.
 */
import { closest, PopulaceError, type AgentTable, type AttributeSchema } from '@populace/core';
import { assertDefinition } from './validate.js';

/** A numeric attribute cut into bins: `{ attribute: 'age', bins: [0, 18, 65, 101] }` gives '0-17', '18-64', '65-100'. */
export interface BinnedAttribute {
  readonly attribute: string;
  /** Strictly increasing edges; bin j holds values in [bins[j], bins[j + 1]). */
  readonly bins: readonly number[];
  /** One label per bin (default: 'lo-hi' with hi = next edge - 1 for integer edges, '[lo, hi)' otherwise). */
  readonly labels?: readonly string[];
}

/** One entry of `groupBy`: a category attribute's name, or a numeric attribute with bins. */
export type GroupBySpec = string | BinnedAttribute;

/** A groupBy entry after validation. */
export interface GroupDimension {
  readonly attribute: string;
  readonly kind: 'category' | 'bins';
  /** Declared category labels (may be replaced by the built population's labels) or the bin labels. */
  readonly labels?: readonly string[];
  readonly bins?: readonly number[];
}

/** The labels of one group, by attribute: `{ ageBand: '30-39', employed: 'employed' }`. */
export type GroupLabels = Readonly<Record<string, string>>;

/** Agents grouped into archetypes: a group index per agent and the groups that have agents. */
export interface AgentGroups {
  /** Group index of every agent (into `groups`). */
  readonly groupOf: Int32Array;
  readonly groups: readonly { readonly labels: GroupLabels; readonly agents: number }[];
}

/** Default label of bin [lo, hi). */
function binLabel(lo: number, hi: number): string {
  return Number.isInteger(lo) && Number.isInteger(hi) ? (hi - 1 === lo ? String(lo) : `${lo}-${hi - 1}`) : `[${lo}, ${hi})`;
}

/** Validates `groupBy` against the declared attributes (definition time). */
export function validateGroupBy(groupBy: unknown, attributes: AttributeSchema, where: string): GroupDimension[] {
  const known = Object.keys(attributes);
  assertDefinition(Array.isArray(groupBy) && groupBy.length > 0, `${where}.groupBy`, `a non-empty array of attribute names among [${known.join(', ')}] (numbers as { attribute, bins })`, groupBy);
  const seen = new Set<string>();
  return groupBy.map((entry: unknown, i) => {
    const at = `${where}.groupBy[${i}]`;
    const binned = typeof entry === 'object' && entry !== null ? (entry as Partial<BinnedAttribute>) : undefined;
    const name = typeof entry === 'string' ? entry : binned?.attribute;
    assertDefinition(typeof name === 'string', at, "an attribute name or { attribute, bins } (e.g. { attribute: 'age', bins: [0, 18, 65, 101] })", entry);
    const info = attributes[name];
    if (!info) {
      const near = closest(name, known);
      assertDefinition(false, at, `an attribute among [${known.join(', ')}]`, name, near ? `Did you mean '${near}'?` : 'Group by an attribute the population declares.');
    }
    assertDefinition(!seen.has(name), at, 'each attribute at most once', name);
    seen.add(name);
    assertDefinition(info.kind !== 'id', at, `a category or number attribute; '${name}' is an id (${info.description}), one group per value would ask the model once per household or workplace`, name, 'Group by a category (ageBand, employed...) or a binned number.');
    if (info.kind === 'category') {
      assertDefinition(typeof entry === 'string', at, `the plain name '${name}' (it is a category; bins are for numbers)`, entry);
      return info.labels ? { attribute: name, kind: 'category', labels: [...info.labels] } : { attribute: name, kind: 'category' };
    }
    assertDefinition(binned !== undefined, at, `bins for the number attribute '${name}'`, entry, `Write { attribute: '${name}', bins: [...] }, e.g. { attribute: 'age', bins: [0, 18, 65, 101] }.`);
    const bins = binned.bins;
    assertDefinition(Array.isArray(bins) && bins.length >= 2 && bins.every(Number.isFinite) && bins.every((b, j) => j === 0 || b > bins[j - 1]!), `${at}.bins`, 'at least two strictly increasing finite edges', bins);
    const labels = binned.labels ?? bins.slice(0, -1).map((lo, j) => binLabel(lo, bins[j + 1]!));
    assertDefinition(Array.isArray(labels) && labels.length === bins.length - 1 && labels.every((l) => typeof l === 'string'), `${at}.labels`, `${bins.length - 1} strings (one per bin)`, labels);
    return { attribute: name, kind: 'bins', bins: [...bins], labels: [...labels] };
  });
}

/** Bin index of `v` (edges strictly increasing), or -1 outside [first, last). */
function binOf(v: number, bins: readonly number[]): number {
  if (!(v >= bins[0]!) || !(v < bins[bins.length - 1]!)) return -1;
  let lo = 0;
  let hi = bins.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (v >= bins[mid]!) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Groups the agents of a built population by the archetype's dimensions. Throws `invalid-argument`
 * naming the population when it lacks an attribute, or when a value has no group.
 */
export function groupAgents(table: AgentTable, dims: readonly GroupDimension[], population: string, agentType: string): AgentGroups {
  const attributes = table.attributes ?? {};
  const count = table.count;
  const codes: Int32Array[] = [];
  const labelLists: (readonly string[])[] = [];
  for (const dim of dims) {
    const values = attributes[dim.attribute];
    if (!values) {
      const have = Object.keys(attributes);
      throw new PopulaceError('invalid-argument', `archetype groupBy: population ${population} has no '${agentType}' attribute '${dim.attribute}' (it has [${have.join(', ')}]). Use a population that provides it, or group by attributes it has.`, { details: { population, attribute: dim.attribute, have } });
    }
    const code = new Int32Array(count);
    let labels: readonly string[];
    if (dim.kind === 'bins') {
      const bins = dim.bins!;
      for (let i = 0; i < count; i++) {
        const b = binOf(Number(values[i]), bins);
        if (b < 0) throw new PopulaceError('invalid-argument', `archetype groupBy: agent ${i} of population ${population} has ${dim.attribute} = ${String(values[i])}, outside the bins [${bins[0]}, ${bins[bins.length - 1]}). Widen the bins.`, { details: { population, attribute: dim.attribute, agent: i } });
        code[i] = b;
      }
      labels = dim.labels!;
    } else {
      let max = -1;
      for (let i = 0; i < count; i++) {
        const v = Number(values[i]);
        if (!Number.isInteger(v) || v < 0) throw new PopulaceError('invalid-argument', `archetype groupBy: agent ${i} of population ${population} has category code ${dim.attribute} = ${String(values[i])}; expected a non-negative integer code.`, { details: { population, attribute: dim.attribute, agent: i } });
        code[i] = v;
        if (v > max) max = v;
      }
      const given = table.labels?.[dim.attribute] ?? dim.labels ?? [];
      labels = Array.from({ length: Math.max(max + 1, given.length) }, (_, j) => given[j] ?? String(j));
    }
    codes.push(code);
    labelLists.push(labels);
  }
  // mixed-radix key per agent, then compact the keys present (in key order, so groups come out sorted)
  const radix = labelLists.map((l) => Math.max(1, l.length));
  const keys = new Float64Array(count);
  for (let d = 0; d < dims.length; d++) {
    const c = codes[d]!;
    const r = radix[d]!;
    for (let i = 0; i < count; i++) keys[i] = keys[i]! * r + c[i]!;
  }
  const present = [...new Set(keys)].sort((a, b) => a - b);
  const index = new Map(present.map((k, g) => [k, g]));
  const groupOf = new Int32Array(count);
  const agents = new Array<number>(present.length).fill(0);
  for (let i = 0; i < count; i++) {
    const g = index.get(keys[i]!)!;
    groupOf[i] = g;
    agents[g]!++;
  }
  const groups = present.map((key, g) => {
    const labels: Record<string, string> = {};
    let rest = key;
    for (let d = dims.length - 1; d >= 0; d--) {
      const r = radix[d]!;
      const c = rest % r;
      rest = (rest - c) / r;
      labels[dims[d]!.attribute] = labelLists[d]![c]!;
    }
    const ordered = Object.fromEntries(dims.map((dim) => [dim.attribute, labels[dim.attribute]!]));
    return { labels: Object.freeze(ordered), agents: agents[g]! };
  });
  return { groupOf, groups };
}
