/**
 * Workplace sizes: a heavy-tailed, truncated discrete power law
 * P(S = s) ∝ s^-γ on 1..maxSize, with γ solved so the mean size equals the
 * published employed-per-establishment ratio. Most workplaces are small
 * businesses; most workers still work in the large ones (the power-law shape
 * that firm-size data follow).
 */
import { cumulative, solveIncreasing } from './sampling.js';

/** A fitted workplace-size law. */
export interface WorkplaceSizeLaw {
  /** Exponent γ of P(S = s) ∝ s^-γ. */
  readonly exponent: number;
  readonly maxSize: number;
  /** `cdf[s - 1]` = P(S <= s). */
  readonly cdf: Float64Array;
  /** Mean size (equal to the requested mean up to the fit's precision). */
  readonly mean: number;
}

function pmf(exponent: number, maxSize: number): Float64Array {
  const p = new Float64Array(maxSize);
  for (let s = 1; s <= maxSize; s++) p[s - 1] = s ** -exponent;
  return p;
}

function meanOf(p: Float64Array): number {
  let norm = 0;
  let mean = 0;
  for (let i = 0; i < p.length; i++) {
    norm += p[i]!;
    mean += (i + 1) * p[i]!;
  }
  return mean / norm;
}

/**
 * Fits the power law to a mean workplace size.
 *
 * @example
 * ```ts
 * const law = workplaceSizeLaw(19.2, 5000); // law.mean ≈ 19.2, most workplaces have < 10 people
 * ```
 */
export function workplaceSizeLaw(meanSize: number, maxSize: number): WorkplaceSizeLaw {
  const exponent = solveIncreasing((g) => -meanOf(pmf(g, maxSize)), -meanSize, 0, 8);
  const p = pmf(exponent, maxSize);
  return { exponent, maxSize, cdf: cumulative(p), mean: meanOf(p) };
}
