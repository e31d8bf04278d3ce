/**
 * The statistics of one attribute within groups of agents: given each agent's
 * group (or -1 when filtered out), counts, shares, means, medians, extremes,
 * sums and modes per group, with categories reported by label.
 */
import type { AttributeColumn } from './attribute-columns.js';

/** Statistics `populationStats` computes. */
export const STATS = ['count', 'share', 'mean', 'median', 'min', 'max', 'sum', 'mode'] as const;
/** One statistic. */
export type Stat = (typeof STATS)[number];

/** The value of one statistic: a number, a label, counts or shares by label, or null (no agents). */
export type StatValue = number | string | Readonly<Record<string, number>> | null;

/** Statistics a category supports (median, min and max only when its codes are ordered). */
export const CATEGORY_STATS: readonly Stat[] = ['count', 'share', 'mode', 'median', 'min', 'max'];

/**
 * Median position of an ordered category from its counts: band k (the band holding the
 * ceil(n/2)-th value) plus the fraction of that band below the middle, in (k, k + 1].
 * Ties between groups whose median falls in the same band are broken by it.
 */
export function medianPosition(counts: ArrayLike<number>): number | null {
  let n = 0;
  for (let k = 0; k < counts.length; k++) n += counts[k]!;
  if (n === 0) return null;
  const half = n / 2;
  let below = 0;
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k]!;
    if (c > 0 && below + c >= half) return k + (half - below) / c;
    below += c;
  }
  return counts.length;
}

/** The median of sorted finite values (the mean of the two middle ones for an even count). */
function sortedMedian(v: Float64Array): number {
  const n = v.length;
  return n % 2 === 1 ? v[(n - 1) / 2]! : (v[n / 2 - 1]! + v[n / 2]!) / 2;
}

/** Each group's statistics of a category column. */
function categoryStats(column: AttributeColumn, groupOf: Int32Array, groups: number, stats: readonly Stat[]): Record<string, StatValue>[] {
  const K = column.labels.length;
  const counts = new Float64Array(groups * K);
  for (let i = 0; i < groupOf.length; i++) {
    const g = groupOf[i]!;
    if (g < 0) continue;
    const code = column.values[i]!;
    if (code >= 0 && code < K && Number.isInteger(code)) counts[g * K + code]! += 1;
  }
  const out: Record<string, StatValue>[] = [];
  for (let g = 0; g < groups; g++) {
    const row = counts.subarray(g * K, (g + 1) * K);
    const n = row.reduce((a, b) => a + b, 0);
    const r: Record<string, StatValue> = {};
    const nonZero = [...row.keys()].filter((k) => row[k]! > 0);
    for (const stat of stats) {
      if (stat === 'count') r.count = Object.fromEntries(column.labels.map((l, k) => [l, row[k]!]));
      else if (stat === 'share') r.share = Object.fromEntries(column.labels.map((l, k) => [l, n === 0 ? 0 : row[k]! / n]));
      else if (stat === 'mode') {
        let best = -1;
        for (let k = 0; k < K; k++) if (row[k]! > 0 && (best < 0 || row[k]! > row[best]!)) best = k;
        r.mode = best < 0 ? null : column.labels[best]!;
      } else if (stat === 'median') {
        const pos = medianPosition(row);
        r.median = pos === null ? null : column.labels[Math.ceil(pos) - 1]!;
        r.medianPosition = pos;
      } else if (stat === 'min') r.min = nonZero.length === 0 ? null : column.labels[nonZero[0]!]!;
      else if (stat === 'max') r.max = nonZero.length === 0 ? null : column.labels[nonZero[nonZero.length - 1]!]!;
    }
    out.push(r);
  }
  return out;
}

/** Each group's statistics of a number column (non-finite values are skipped). */
function numberStats(column: AttributeColumn, groupOf: Int32Array, groups: number, stats: readonly Stat[]): Record<string, StatValue>[] {
  const sizes = new Int32Array(groups);
  const values = column.values;
  for (let i = 0; i < groupOf.length; i++) if (groupOf[i]! >= 0 && Number.isFinite(values[i]!)) sizes[groupOf[i]!]! += 1;
  const needSorted = stats.some((s) => s === 'median' || s === 'mode');
  const offsets = new Int32Array(groups + 1);
  for (let g = 0; g < groups; g++) offsets[g + 1] = offsets[g]! + sizes[g]!;
  const sums = new Float64Array(groups);
  const mins = new Float64Array(groups).fill(Number.POSITIVE_INFINITY);
  const maxs = new Float64Array(groups).fill(Number.NEGATIVE_INFINITY);
  const bucket = needSorted ? new Float64Array(offsets[groups]!) : undefined;
  const fill = needSorted ? Int32Array.from(offsets.subarray(0, groups)) : undefined;
  for (let i = 0; i < groupOf.length; i++) {
    const g = groupOf[i]!;
    const v = values[i]!;
    if (g < 0 || !Number.isFinite(v)) continue;
    sums[g]! += v;
    if (v < mins[g]!) mins[g] = v;
    if (v > maxs[g]!) maxs[g] = v;
    if (bucket) bucket[fill![g]!++] = v;
  }
  let total = 0;
  for (let g = 0; g < groups; g++) total += sums[g]!;
  const out: Record<string, StatValue>[] = [];
  for (let g = 0; g < groups; g++) {
    const n = sizes[g]!;
    const sorted = bucket ? bucket.subarray(offsets[g]!, offsets[g + 1]!).sort() : undefined;
    const r: Record<string, StatValue> = {};
    for (const stat of stats) {
      if (stat === 'count') r.count = n;
      else if (stat === 'sum') r.sum = sums[g]!;
      else if (stat === 'share') r.share = total === 0 ? null : sums[g]! / total;
      else if (n === 0) r[stat] = null;
      else if (stat === 'mean') r.mean = sums[g]! / n;
      else if (stat === 'min') r.min = mins[g]!;
      else if (stat === 'max') r.max = maxs[g]!;
      else if (stat === 'median') r.median = sortedMedian(sorted!);
      else if (stat === 'mode') {
        let best = sorted![0]!;
        let bestRun = 0;
        for (let a = 0; a < n; ) {
          let b = a;
          while (b < n && sorted![b] === sorted![a]) b++;
          if (b - a > bestRun) {
            bestRun = b - a;
            best = sorted![a]!;
          }
          a = b;
        }
        r.mode = best;
      }
    }
    out.push(r);
  }
  return out;
}

/**
 * Statistics of `column` for each of `groups` groups; `groupOf[i]` is agent i's group or -1.
 * Categories give `count` and `share` by label, `mode` and (ordered ones) `median`, `min`, `max`
 * as labels, plus `medianPosition` (see medianPosition) with a median.
 */
export function groupStats(column: AttributeColumn, groupOf: Int32Array, groups: number, stats: readonly Stat[]): Record<string, StatValue>[] {
  return column.kind === 'category' ? categoryStats(column, groupOf, groups, stats) : numberStats(column, groupOf, groups, stats);
}
