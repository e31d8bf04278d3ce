/**
 * Uncertainty bands across seeds: per step, the median and the 50% (q25-q75)
 * and 95% (q2.5-q97.5) ranges of a metric over an ensemble of runs.
 */

/** One metric's bands, one number per step (null where no run has a finite value). */
export interface Bands {
  readonly median: (number | null)[];
  readonly q25: (number | null)[];
  readonly q75: (number | null)[];
  readonly q025: (number | null)[];
  readonly q975: (number | null)[];
}

/**
 * The `p` quantile (0..1) of sorted values, linearly interpolated between order statistics
 * (Hyndman and Fan's type 7, R's and NumPy's default).
 *
 * @example
 * ```ts
 * quantileSorted([1, 2, 3, 4], 0.5); // 2.5
 * ```
 */
export function quantileSorted(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Bands of `series` (one array per run, aligned by step; shorter runs count where they have values). */
export function ensembleBands(series: readonly (readonly number[])[]): Bands {
  const steps = Math.max(0, ...series.map((s) => s.length));
  const bands: Bands = { median: [], q25: [], q75: [], q025: [], q975: [] };
  for (let t = 0; t < steps; t++) {
    const values = series.map((s) => s[t]).filter((v): v is number => v !== undefined && Number.isFinite(v)).sort((a, b) => a - b);
    const q = (p: number) => (values.length === 0 ? null : quantileSorted(values, p));
    bands.median.push(q(0.5));
    bands.q25.push(q(0.25));
    bands.q75.push(q(0.75));
    bands.q025.push(q(0.025));
    bands.q975.push(q(0.975));
  }
  return bands;
}
