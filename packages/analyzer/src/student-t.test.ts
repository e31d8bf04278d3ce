import { describe, expect, it } from 'vitest';
import { logGamma, meanInterval, studentTCdf, studentTQuantile } from './student-t.js';

describe('Student t', () => {
  it('matches tabulated 97.5% quantiles', () => {
    // two-sided 95% critical values (standard t tables)
    const table: [number, number][] = [
      [1, 12.7062047362],
      [2, 4.3026527297],
      [3, 3.1824463053],
      [5, 2.5705818366],
      [10, 2.2281388520],
      [30, 2.0422724563],
      [1000, 1.9623390808],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 8);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.7764451052, 8);
    expect(studentTQuantile(0.5, 7)).toBe(0);
  });

  it('has the closed-form CDF of df = 1 (Cauchy) and df = 2', () => {
    for (const t of [-3, -0.5, 0, 0.7, 4]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
    }
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('gives the t interval of a mean, zero width for identical values, none for one value', () => {
    const r = meanInterval([1, 2, 3]);
    expect(r).toMatchObject({ n: 3, mean: 2, sd: 1 });
    expect(r.high! - r.mean).toBeCloseTo((4.3026527297 * 1) / Math.sqrt(3), 8);
    expect(meanInterval([5, 5, 5, 5])).toEqual({ n: 4, mean: 5, sd: 0, low: 5, high: 5, confidence: 0.95 });
    expect(meanInterval([7])).toEqual({ n: 1, mean: 7, sd: null, low: null, high: null, confidence: 0.95 });
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
  });
});
