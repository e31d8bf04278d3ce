/**
 * Grouping the agents of a built population into an archetype's groups (its
 * groupBy, validated by core's defineArchetype), checked against the built
 * population when the first question is asked.
 */
import { PopulaceError, type AgentTable, type GroupDimension, type GroupLabels } from '@populace/core';

/** Agents grouped into archetypes: a group index per agent and the groups that have agents. */
export interface AgentGroups {
  /** Group index of every agent (into `groups`). */
  readonly groupOf: Int32Array;
  readonly groups: readonly { readonly labels: GroupLabels; readonly agents: number }[];
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
