/**
 * The order in which people are offered vaccination: computed once, when the
 * simulation is initialised (a counting sort by age key, random order within
 * a key), so that each day's vaccination is a window of ranks.
 */
import { hashString, streamKey, uint32At } from '@populace/core';

/** Values of the `vaccinePriority` parameter. */
export const VACCINE_PRIORITY = Object.freeze({ random: 0, oldestFirst: 1, youngestFirst: 2 } as const);

/** Rank of people who are never offered a vaccine (below `vaccineMinAge`). */
export const NEVER = 2 ** 31 - 1;

const ORDER_STREAM = hashString('epi/vaccine-order');
const KEYS = 256;

function keyOf(age: number, priority: number): number {
  const a = Math.min(KEYS - 1, Math.max(0, Math.floor(age)));
  return priority === VACCINE_PRIORITY.oldestFirst ? KEYS - 1 - a : priority === VACCINE_PRIORITY.youngestFirst ? a : 0;
}

/**
 * Each person's place in the vaccination queue (0 first; NEVER for those below `minAge`): by age
 * as `priority` says, ties in a random order that depends only on `seed`. O(N).
 *
 * @example
 * ```ts
 * vaccineRanks(Uint8Array.from([30, 80, 5]), VACCINE_PRIORITY.oldestFirst, 0, 1); // Int32Array [1, 0, 2]
 * ```
 */
export function vaccineRanks(ages: ArrayLike<number>, priority: number, minAge: number, seed: number): Int32Array {
  const n = ages.length;
  const keys = new Uint16Array(n);
  const counts = new Int32Array(KEYS + 1);
  for (let i = 0; i < n; i++) {
    const k = ages[i]! < minAge ? KEYS : keyOf(ages[i]!, priority);
    keys[i] = k;
    counts[k]! += 1;
  }
  const starts = new Int32Array(KEYS + 2);
  for (let k = 0; k <= KEYS; k++) starts[k + 1] = starts[k]! + counts[k]!;
  const order = new Int32Array(n);
  const next = starts.slice(0, KEYS + 1);
  for (let i = 0; i < n; i++) order[next[keys[i]!]!++] = i;
  // Fisher-Yates within each key, from a counter-based stream
  const rand = streamKey(seed, 0xfffffffd, ORDER_STREAM);
  for (let k = 0; k < KEYS; k++) {
    const lo = starts[k]!;
    for (let j = starts[k + 1]! - 1; j > lo; j--) {
      const r = lo + (uint32At(rand, j) % (j - lo + 1));
      const t = order[j]!;
      order[j] = order[r]!;
      order[r] = t;
    }
  }
  const ranks = new Int32Array(n);
  const eligible = starts[KEYS]!;
  for (let p = 0; p < n; p++) ranks[order[p]!] = p < eligible ? p : NEVER;
  return ranks;
}
