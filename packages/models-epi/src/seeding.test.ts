import { PopulaceError } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { seedMask } from './seeding.js';

const ones = (m: Uint8Array) => m.reduce((a, b) => a + b, 0);

describe('seedMask', () => {
  it('marks exactly k distinct agents, deterministically per seed, on both sides of N / 2', () => {
    for (const [n, k] of [[1000, 0], [1000, 1], [1000, 10], [1000, 499], [1000, 500], [1000, 501], [1000, 990], [1000, 1000], [7, 3]] as const) {
      const a = seedMask(n, k, 42);
      expect(a).toHaveLength(n);
      expect(ones(a)).toBe(k);
      expect(seedMask(n, k, 42)).toEqual(a);
    }
    expect(seedMask(1000, 10, 1)).not.toEqual(seedMask(1000, 10, 2));
  });

  it('spreads the seeds over the population (no clustering at the start)', () => {
    const m = seedMask(100_000, 1000, 3);
    const firstHalf = ones(m.subarray(0, 50_000));
    expect(Math.abs(firstHalf - 500)).toBeLessThan(80);
  });

  it('rejects more seeds than agents, negative or fractional counts', () => {
    for (const k of [11, -1, 2.5]) {
      let error: unknown;
      try {
        seedMask(10, k, 1);
      } catch (e) {
        error = e;
      }
      expect(PopulaceError.isInstance(error) && error.code).toBe('param-out-of-bounds');
      expect(String(error)).toMatch(/'seedInfections': expected a whole number in \[0, 10\]/);
    }
  });
});
