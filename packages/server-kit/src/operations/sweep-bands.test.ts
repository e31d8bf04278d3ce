import { describe, expect, it } from 'vitest';
import { ensembleBands, quantileSorted } from './sweep-bands.js';

describe('ensemble bands', () => {
  it('quantiles interpolate between order statistics (type 7: the values numpy.quantile gives)', () => {
    const xs = [1, 2, 3, 4, 10];
    // numpy.quantile([1,2,3,4,10], [0.025, 0.25, 0.5, 0.75, 0.975]) = 1.1, 2, 3, 4, 9.4
    expect(quantileSorted(xs, 0.025)).toBeCloseTo(1.1, 12);
    expect(quantileSorted(xs, 0.25)).toBe(2);
    expect(quantileSorted(xs, 0.5)).toBe(3);
    expect(quantileSorted(xs, 0.975)).toBeCloseTo(9.4, 12);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([7], 0.975)).toBe(7);
  });

  it('per step: ordered, independent of the order of the runs, skips values a run lacks', () => {
    const runs = [
      [5, 1, 9],
      [1, 2],
      [3, 3, Number.NaN],
      [4, 8, 2],
    ];
    const b = ensembleBands(runs);
    expect(ensembleBands([...runs].reverse())).toEqual(b);
    for (let t = 0; t < 3; t++) {
      expect(b.q025[t]!).toBeLessThanOrEqual(b.q25[t]!);
      expect(b.q25[t]!).toBeLessThanOrEqual(b.median[t]!);
      expect(b.median[t]!).toBeLessThanOrEqual(b.q75[t]!);
      expect(b.q75[t]!).toBeLessThanOrEqual(b.q975[t]!);
    }
    expect(b.median).toEqual([3.5, 2.5, 5.5]); // step 3 has the values 9 and 2 only
    expect(ensembleBands([[Number.NaN]]).median).toEqual([null]);
  });
});
