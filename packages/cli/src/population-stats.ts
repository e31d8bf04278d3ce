/**
 * What `populace population describe` reports about a built population,
 * computed from any PopulationData: per agent type, the distribution of each
 * labelled attribute and mean/min/max of each numeric one (household ids
 * excepted), households and their sizes (when there is a `household`
 * attribute), and per contact layer its edges and degrees.
 */
import type { AgentTable, AttributeArray, CsrNetwork, HashedNetwork, PopulationData } from '@populace/core';

/** One category of a labelled attribute. */
export interface CategoryShare {
  readonly label: string;
  readonly count: number;
  readonly share: number;
}

/** Households of an agent type: how many, and how many of each size. */
export interface HouseholdStats {
  readonly count: number;
  readonly meanSize: number;
  readonly sizes: readonly { size: number; households: number; share: number }[];
}

/** The marginals of one agent type. */
export interface AgentTypeStats {
  readonly count: number;
  readonly numeric: Readonly<Record<string, { mean: number; min: number; max: number }>>;
  readonly categorical: Readonly<Record<string, readonly CategoryShare[]>>;
  readonly households?: HouseholdStats;
}

/** A contact layer's size and degrees (in-contacts per agent). */
export interface LayerStats {
  readonly agents: string;
  readonly kind: 'csr' | 'hashed';
  /** Stored edges, or generated ones (agents x degree) for a hashed layer. */
  readonly edges: number;
  readonly meanDegree: number;
  readonly minDegree: number;
  readonly maxDegree: number;
  readonly weighted: boolean;
}

/** Everything `population describe` prints. */
export interface PopulationStats {
  readonly agentTypes: Readonly<Record<string, AgentTypeStats>>;
  readonly networks: Readonly<Record<string, LayerStats>>;
}

function numericStats(values: AttributeArray): { mean: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return n === 0 ? { mean: 0, min: 0, max: 0 } : { mean: sum / n, min, max };
}

function categoryStats(values: AttributeArray, labels: readonly string[]): CategoryShare[] {
  const counts = new Float64Array(labels.length);
  let other = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isInteger(v) && v >= 0 && v < labels.length) counts[v]!++;
    else other++;
  }
  const n = Math.max(1, values.length);
  const rows = labels.map((label, i) => ({ label, count: counts[i]!, share: counts[i]! / n }));
  return other > 0 ? [...rows, { label: '(not a label)', count: other, share: other / n }] : rows;
}

/** Household sizes from household ids (any integers; each distinct id is one household). */
export function householdStats(ids: AttributeArray): HouseholdStats {
  const perHousehold = new Map<number, number>();
  let dense: Int32Array | undefined;
  const { min, max } = numericStats(ids);
  if (ids.length > 0 && Number.isInteger(min) && Number.isInteger(max) && min >= 0 && max < 4 * ids.length + 16) {
    dense = new Int32Array(max + 1);
    for (let i = 0; i < ids.length; i++) dense[ids[i]!]!++;
  } else for (let i = 0; i < ids.length; i++) perHousehold.set(ids[i]!, (perHousehold.get(ids[i]!) ?? 0) + 1);
  const bySize = new Map<number, number>();
  let households = 0;
  const add = (size: number): void => {
    if (size === 0) return;
    households++;
    bySize.set(size, (bySize.get(size) ?? 0) + 1);
  };
  if (dense) for (let h = 0; h < dense.length; h++) add(dense[h]!);
  else for (const size of perHousehold.values()) add(size);
  const sizes = [...bySize.entries()].sort((a, b) => a[0] - b[0]).map(([size, count]) => ({ size, households: count, share: count / Math.max(1, households) }));
  return { count: households, meanSize: households === 0 ? 0 : ids.length / households, sizes };
}

function agentTypeStats(table: AgentTable): AgentTypeStats {
  const numeric: Record<string, { mean: number; min: number; max: number }> = {};
  const categorical: Record<string, CategoryShare[]> = {};
  for (const [name, values] of Object.entries(table.attributes ?? {})) {
    const labels = table.labels?.[name];
    if (labels) categorical[name] = categoryStats(values, labels);
    else if (name !== 'household') numeric[name] = numericStats(values);
  }
  const household = table.attributes?.household;
  return { count: table.count, numeric, categorical, ...(household ? { households: householdStats(household) } : {}) };
}

function layerStats(net: CsrNetwork | HashedNetwork, nodes: number): LayerStats {
  if (net.kind === 'hashed') {
    return { agents: net.agents, kind: 'hashed', edges: nodes * net.degree, meanDegree: net.degree, minDegree: net.degree, maxDegree: net.degree, weighted: false };
  }
  let min = nodes > 0 ? Infinity : 0;
  let max = 0;
  for (let i = 0; i < nodes; i++) {
    const d = net.rowPtr[i + 1]! - net.rowPtr[i]!;
    if (d < min) min = d;
    if (d > max) max = d;
  }
  const edges = net.colIdx.length;
  return { agents: net.agents, kind: 'csr', edges, meanDegree: nodes === 0 ? 0 : edges / nodes, minDegree: min, maxDegree: max, weighted: net.weights !== undefined };
}

/**
 * The marginals and layer statistics of a population.
 *
 * @example
 * ```ts
 * const stats = populationStats(await definition.build({ agents: 10_000, seed: 0 }));
 * stats.networks.household.meanDegree;
 * ```
 */
export function populationStats(data: PopulationData): PopulationStats {
  const agentTypes = Object.fromEntries(Object.entries(data.agents).map(([type, table]) => [type, agentTypeStats(table)]));
  const networks = Object.fromEntries(Object.entries(data.networks ?? {}).map(([name, net]) => [name, layerStats(net, data.agents[net.agents]?.count ?? 0)]));
  return { agentTypes, networks };
}
