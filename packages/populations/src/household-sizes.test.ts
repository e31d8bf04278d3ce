import { describe, expect, it } from 'vitest';
import { householdSizeCounts, householdSizeDistribution, MAX_HOUSEHOLD_SIZE } from './household-sizes.js';

const mean = (d: Float64Array): number => d.reduce((s, p, size) => s + size * p, 0);

describe('householdSizeDistribution', () => {
  it('keeps the one-person share and matches the mean (derived from persons per household)', () => {
    for (const [m, p1] of [
      [2.816, 0.3111],
      [2.176, 0.4605],
      [2.964, 0.2559],
      [2.687, 0.32],
    ] as const) {
      const d = householdSizeDistribution(m, p1);
      expect(d.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
      expect(d[1]).toBeCloseTo(p1, 12);
      expect(mean(d)).toBeCloseTo(m, 9);
      // Geometric above size 2: each size is less likely than the one before.
      for (let s = 3; s <= MAX_HOUSEHOLD_SIZE; s++) expect(d[s]!).toBeLessThan(d[s - 1]!);
    }
  });
  it('raises the one-person share when the mean is too small for it, and is all singles at mean 1', () => {
    const d = householdSizeDistribution(1.5, 0.2);
    expect(d[1]).toBeCloseTo(0.5, 9);
    expect(mean(d)).toBeCloseTo(1.5, 9);
    expect(householdSizeDistribution(1, 0.3)[1]).toBe(1);
  });
});

describe('householdSizeCounts', () => {
  it('gives exactly the households and persons asked for, close to the distribution', () => {
    for (const [persons, households] of [
      [2_712_360, 985_108],
      [10_000, 3_636],
      [7, 3],
    ] as const) {
      const d = householdSizeDistribution(persons / households, 0.29);
      const counts = householdSizeCounts(persons, households, d);
      expect(counts.reduce((s, c) => s + c, 0)).toBe(households);
      expect(counts.reduce((s, c, size) => s + size * c, 0)).toBe(persons);
      if (households > 1000) for (let s = 1; s <= MAX_HOUSEHOLD_SIZE; s++) expect(Math.abs(counts[s]! - households * d[s]!)).toBeLessThanOrEqual(MAX_HOUSEHOLD_SIZE);
    }
  });
  it('rejects impossible requests', () => {
    const d = householdSizeDistribution(2, 0.3);
    expect(() => householdSizeCounts(5, 6, d)).toThrow(RangeError);
    expect(() => householdSizeCounts(13 * 2, 2, d)).toThrow(RangeError);
  });
});
