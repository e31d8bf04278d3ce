/**
 * Farm attributes shared by the `us-layer-farms` population and the model's
 * fallback when it runs without one: heavy-tailed flock sizes that add up to
 * the US table-egg layer count, and a flyway per farm.
 */
import { H5N1_FACTS } from './data.js';

/** Flyway names, in the order of the model's flyway index (aphis_flocks_page). */
export const FLYWAYS = H5N1_FACTS.flyways.value;

/**
 * Share of layer farms in each flyway [Atlantic, Mississippi, Central, Pacific]. The data has no
 * per-flyway layer counts (see its notes): the Mississippi share is set to that flyway's ~40% of
 * North American migrating waterfowl (wiki_mississippi) and the other three split the rest equally.
 * An assumption, documented as such.
 */
export const FLYWAY_FARM_SHARES: readonly number[] = Object.freeze([0.2, H5N1_FACTS.mississippiWaterfowlShare.value, 0.2, 0.2]);

/**
 * Shape of the bounded Pareto flock-size distribution: sizes span a factor `FLOCK_SIZE_RANGE` and
 * have tail index `FLOCK_SIZE_TAIL`. With the default 320 farms the smallest flocks hold ~130,000
 * hens, the mean ~940,000 and the largest ~6.6 million, matching "flocks of 100,000 hens are not
 * unusual, some exceed 1 million" (aeb), a 3-million-hen affected flock (thefern_2022) and the
 * 1.29 million mean of affected layer flocks (watt_2024_layers, derived). A modelling choice: the
 * data has only size classes, no distribution.
 */
export const FLOCK_SIZE_TAIL = 0.5;
/** Largest / smallest flock size of the bounded Pareto distribution (see `FLOCK_SIZE_TAIL`). */
export const FLOCK_SIZE_RANGE = 50;

/**
 * Flock sizes (whole birds) from one uniform per farm: bounded Pareto draws, scaled so that they
 * add up to exactly `total` (largest remainders get the leftover birds).
 *
 * @example
 * ```ts
 * const sizes = sampleFlockSizes(Float32Array.of(0.1, 0.5, 0.9), 3_000_000); // sums to 3,000,000
 * ```
 */
export function sampleFlockSizes(uniforms: ArrayLike<number>, total: number = H5N1_FACTS.tableEggLayers.value): Float64Array {
  const n = uniforms.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const a = FLOCK_SIZE_TAIL;
  const span = 1 - FLOCK_SIZE_RANGE ** -a;
  const raw = Float64Array.from(uniforms, (u) => (1 - u * span) ** (-1 / a));
  const sum = raw.reduce((s, x) => s + x, 0);
  let assigned = 0;
  const fraction = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const exact = (total * raw[i]!) / sum;
    out[i] = Math.floor(exact);
    fraction[i] = exact - out[i]!;
    assigned += out[i]!;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => fraction[y]! - fraction[x]! || x - y);
  for (let k = 0; k < total - assigned; k++) out[order[k % n]!]! += 1;
  return out;
}

/** The flyway index (0..3) of a farm from one uniform, by `FLYWAY_FARM_SHARES`. */
export function flywayOf(u: number): number {
  let acc = 0;
  for (let k = 0; k < FLYWAY_FARM_SHARES.length - 1; k++) {
    acc += FLYWAY_FARM_SHARES[k]!;
    if (u < acc) return k;
  }
  return FLYWAY_FARM_SHARES.length - 1;
}
