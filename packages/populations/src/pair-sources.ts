/**
 * How the community layer draws the random pairs of an area: uniformly (every
 * pair of agents of the area alike) or by age, following a contact matrix
 * (contact-matrix.ts), so that who meets whom outside home, school and work has
 * the age structure of published contact surveys. Every pair is a pure function
 * of (area key, pair index), so a layer depends only on the seed.
 */
import { uint32At } from '@populace/core';
import { contactAgeGroup, PREM_OTHER_US_URBAN } from './contact-matrix.js';

/** Writes pair `k` of an area (area-local indices, distinct) into `out[0]`, `out[1]`. */
export type PairDraw = (k: number, out: Int32Array) => void;

/** Prepares the pair draws of one area: agents `start .. start + n` (n >= 2), hash key `key`. */
export type PairSource = (start: number, n: number, key: number) => PairDraw;

/** Uniform integer in [0, n) from a 32-bit hash (multiply-shift: cheaper than %, bias below 2^-32 * n). */
export const below = (hash: number, n: number): number => Math.floor(hash * n * 2.3283064365386963e-10);

/** Both members uniform in the area, distinct. */
export const uniformPairs: PairSource = (_start, n, key) => (k, out) => {
  const i = below(uint32At(key, 2 * k), n);
  const j = below(uint32At(key, 2 * k + 1), n);
  out[0] = i;
  out[1] = i === j ? (j + 1 + below(uint32At(key ^ 0x5bd1e995, k), n - 1)) % n : j;
};

/** Walker's alias table over non-negative weights (Vose's construction): O(1) draws. */
function aliasTable(weights: Float64Array): { prob: Float64Array; alias: Int32Array } {
  const t = weights.length;
  const total = weights.reduce((s, w) => s + w, 0);
  const scaled = Float64Array.from(weights, (w) => (w * t) / total);
  const prob = new Float64Array(t);
  const alias = new Int32Array(t);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s]!;
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    (scaled[l]! < 1 ? small : large).push(l);
  }
  for (const i of [...small, ...large]) (prob[i] = 1), (alias[i] = i);
  return { prob, alias };
}

/**
 * Pairs whose age groups follow a contact matrix: the type {a, b} of a pair is drawn in proportion
 * to the daily contacts between groups a and b in the area, (M[a][b] n_a + M[b][a] n_b) / 2 (the
 * matrix made reciprocal for the area's own age counts n; half that within a group, whose pairs
 * count twice), then each member uniformly within its group. So a person of group a has on average
 * about meanDegree * (sum_b M'[a][b]) / (mean over people of sum_b M') contacts, M' the reciprocal
 * matrix: older people fewer, mostly with people of their age. Groups: 5-year bands, 75+ last.
 */
export function ageMixedPairs(ages: ArrayLike<number>, matrix: readonly (readonly number[])[] = PREM_OTHER_US_URBAN): PairSource {
  const groups = matrix.length;
  return (start, n, key) => {
    const groupStart = new Int32Array(groups + 1);
    for (let i = 0; i < n; i++) groupStart[contactAgeGroup(Number(ages[start + i])) + 1]!++;
    for (let g = 0; g < groups; g++) groupStart[g + 1]! += groupStart[g]!;
    const size = (g: number) => groupStart[g + 1]! - groupStart[g]!;
    const members = new Int32Array(n);
    const fill = groupStart.slice(0, groups);
    for (let i = 0; i < n; i++) members[fill[contactAgeGroup(Number(ages[start + i]))]!++] = i;
    const typeA: number[] = [];
    const typeB: number[] = [];
    const weights: number[] = [];
    for (let a = 0; a < groups; a++) {
      for (let b = a; b < groups; b++) {
        const possible = a === b ? size(a) >= 2 : size(a) > 0 && size(b) > 0;
        const contacts = (matrix[a]![b]! * size(a) + matrix[b]![a]! * size(b)) / 2;
        const w = possible ? (a === b ? contacts / 2 : contacts) : 0;
        if (w > 0) (typeA.push(a), typeB.push(b), weights.push(w));
      }
    }
    if (weights.length === 0) return uniformPairs(start, n, key);
    const { prob, alias } = aliasTable(Float64Array.from(weights));
    const types = weights.length;
    return (k, out) => {
      const t = below(uint32At(key, 4 * k), types);
      const type = uint32At(key, 4 * k + 1) * 2.3283064365386963e-10 < prob[t]! ? t : alias[t]!;
      const a = typeA[type]!;
      const b = typeB[type]!;
      const i = below(uint32At(key, 4 * k + 2), size(a));
      out[0] = members[groupStart[a]! + i]!;
      if (a !== b) out[1] = members[groupStart[b]! + below(uint32At(key, 4 * k + 3), size(b))]!;
      else {
        const r = below(uint32At(key, 4 * k + 3), size(a) - 1);
        out[1] = members[groupStart[a]! + (r >= i ? r + 1 : r)]!;
      }
    };
  };
}
