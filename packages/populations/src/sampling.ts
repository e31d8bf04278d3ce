/**
 * Small deterministic sampling helpers on top of core's counter-based random
 * numbers: apportioning a total over weights, inverse-CDF sampling, shuffles
 * and root finding. Every draw is a pure function of (key, counter).
 */
import { uint32At } from '@populace/core';

/**
 * Splits `total` into integer parts proportional to `weights` (largest remainder), so the
 * parts sum to exactly `total`.
 *
 * @example
 * ```ts
 * apportion(10, [1, 1, 1]); // Int32Array [4, 3, 3]
 * ```
 */
export function apportion(total: number, weights: ArrayLike<number>): Int32Array {
  const n = weights.length;
  const out = new Int32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.max(0, weights[i]!);
  if (n === 0 || total <= 0) return out;
  if (sum <= 0) {
    out[0] = total;
    return out;
  }
  const rest = new Float64Array(n);
  let assigned = 0;
  for (let i = 0; i < n; i++) {
    const exact = (total * Math.max(0, weights[i]!)) / sum;
    out[i] = Math.floor(exact);
    rest[i] = exact - out[i]!;
    assigned += out[i]!;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => rest[b]! - rest[a]! || a - b);
  for (let k = 0; assigned < total; k = (k + 1) % n, assigned++) out[order[k]!]!++;
  return out;
}

/** Cumulative distribution of non-negative weights, normalised to end at 1. */
export function cumulative(weights: ArrayLike<number>): Float64Array {
  const cdf = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += Math.max(0, weights[i]!);
    cdf[i] = sum;
  }
  if (sum > 0) for (let i = 0; i < cdf.length; i++) cdf[i]! /= sum;
  if (cdf.length > 0) cdf[cdf.length - 1] = 1;
  return cdf;
}

/** The smallest index i with `u < cdf[i]` (binary search), for u in (0, 1). */
export function sampleIndex(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u < cdf[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Shuffles `values[start .. end)` in place (Fisher-Yates) with draws `uint32At(key, counter + i)`. */
export function shuffleRange(values: Int32Array | Uint8Array, start: number, end: number, key: number, counter: number): void {
  for (let i = end - 1; i > start; i--) {
    const j = start + (uint32At(key, counter + i) % (i - start + 1));
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
}

/**
 * Root of an increasing function on [lo, hi] by bisection: the x with f(x) = target, clamped
 * to the interval when the target is out of reach.
 */
export function solveIncreasing(f: (x: number) => number, target: number, lo: number, hi: number, iterations = 60): number {
  if (f(lo) >= target) return lo;
  if (f(hi) <= target) return hi;
  for (let i = 0; i < iterations; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
