/**
 * Household sizes. No household-size distribution was published for the NYC
 * boroughs (see the data file's notes), so one is derived from three published
 * numbers: persons per household, the one-person share and, for composition,
 * the share of households with children. Sizes 2..MAX_HOUSEHOLD_SIZE follow a
 * truncated geometric law whose ratio is solved so the mean matches.
 */
import { solveIncreasing } from './sampling.js';

/** Largest household the synthesizer makes. */
export const MAX_HOUSEHOLD_SIZE = 12;

/** Mean of the truncated geometric law P(s) ∝ q^(s-2) on 2..MAX_HOUSEHOLD_SIZE. */
function multiPersonMean(q: number): number {
  let norm = 0;
  let mean = 0;
  for (let s = 2, w = 1; s <= MAX_HOUSEHOLD_SIZE; s++, w *= q) {
    norm += w;
    mean += s * w;
  }
  return mean / norm;
}

/**
 * The derived household-size distribution: `dist[s]` = share of households with s persons
 * (index 0 unused), with `dist[1] = onePersonShare` and mean `meanSize`.
 *
 * @example
 * ```ts
 * const dist = householdSizeDistribution(2.69, 0.32); // dist[1] = 0.32, sum of s * dist[s] = 2.69
 * ```
 */
export function householdSizeDistribution(meanSize: number, onePersonShare: number): Float64Array {
  const dist = new Float64Array(MAX_HOUSEHOLD_SIZE + 1);
  const mean = Math.min(Math.max(meanSize, 1), MAX_HOUSEHOLD_SIZE);
  // Households of 2+ have at least 2 persons: a mean below 2 - onePersonShare needs more one-person households.
  const ones = Math.min(1, Math.max(onePersonShare, 2 - mean));
  if (ones >= 1) {
    dist[1] = 1;
    return dist;
  }
  const target = (mean - ones) / (1 - ones);
  const q = solveIncreasing(multiPersonMean, target, 0, 0.999999);
  let norm = 0;
  for (let s = 2, w = 1; s <= MAX_HOUSEHOLD_SIZE; s++, w *= q) norm += w;
  dist[1] = ones;
  for (let s = 2, w = 1; s <= MAX_HOUSEHOLD_SIZE; s++, w *= q) dist[s] = ((1 - ones) * w) / norm;
  return dist;
}

/**
 * Household counts by size for `households` households holding exactly `persons` persons:
 * `counts[s]` households of size s, close to `households * dist[s]`.
 */
export function householdSizeCounts(persons: number, households: number, dist: Float64Array): Int32Array {
  if (!(households >= 1 && households <= persons && persons <= households * MAX_HOUSEHOLD_SIZE)) {
    throw new RangeError(`householdSizeCounts: ${persons} persons cannot fill ${households} households of 1..${MAX_HOUSEHOLD_SIZE}`);
  }
  const counts = new Int32Array(MAX_HOUSEHOLD_SIZE + 1);
  let assigned = 0;
  const rest: [number, number][] = [];
  for (let s = 1; s <= MAX_HOUSEHOLD_SIZE; s++) {
    const exact = households * dist[s]!;
    counts[s] = Math.floor(exact);
    assigned += counts[s]!;
    rest.push([exact - counts[s]!, s]);
  }
  rest.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; assigned < households; k++, assigned++) counts[rest[k % rest.length]![1]]!++;
  let total = 0;
  for (let s = 1; s <= MAX_HOUSEHOLD_SIZE; s++) total += s * counts[s]!;
  // Move single households one size up or down until the persons add up (a few moves at most).
  let s = 1;
  while (total < persons) {
    if (counts[s]! > 0 && s < MAX_HOUSEHOLD_SIZE) {
      counts[s]!--;
      counts[s + 1]!++;
      total++;
    }
    s = s >= MAX_HOUSEHOLD_SIZE - 1 ? 1 : s + 1;
  }
  s = MAX_HOUSEHOLD_SIZE;
  while (total > persons) {
    if (counts[s]! > 0 && s > 1) {
      counts[s]!--;
      counts[s - 1]!++;
      total--;
    }
    s = s <= 2 ? MAX_HOUSEHOLD_SIZE : s - 1;
  }
  return counts;
}
