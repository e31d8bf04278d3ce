import { describe, expect, it } from 'vitest';
import { apportion, cumulative, sampleIndex, shuffleRange, solveIncreasing } from './sampling.js';

describe('apportion', () => {
  it('splits a total exactly and within one of the proportional share', () => {
    const weights = [0.3, 0.25, 0.25, 0.2];
    for (const total of [1, 7, 1000, 8_736_047]) {
      const parts = apportion(total, weights);
      expect(parts.reduce((s, v) => s + v, 0)).toBe(total);
      parts.forEach((p, i) => expect(Math.abs(p - total * weights[i]!)).toBeLessThan(1));
    }
  });
  it('gives everything to the first part when no weight is positive, nothing for total 0', () => {
    expect([...apportion(5, [0, 0])]).toEqual([5, 0]);
    expect([...apportion(0, [1, 2])]).toEqual([0, 0]);
  });
});

describe('cumulative and sampleIndex', () => {
  it('samples each index with its weight (inverse CDF)', () => {
    const cdf = cumulative([1, 0, 3]);
    expect([...cdf]).toEqual([0.25, 0.25, 1]);
    expect(sampleIndex(cdf, 0.1)).toBe(0);
    expect(sampleIndex(cdf, 0.25)).toBe(2); // index 1 has no weight: never drawn
    expect(sampleIndex(cdf, 0.99)).toBe(2);
  });
});

describe('shuffleRange', () => {
  it('permutes only the range, deterministically per key', () => {
    const base = Int32Array.from({ length: 100 }, (_, i) => i);
    const a = base.slice();
    const b = base.slice();
    shuffleRange(a, 10, 90, 42, 0);
    shuffleRange(b, 10, 90, 42, 0);
    expect([...a]).toEqual([...b]);
    expect([...a.slice(0, 10)]).toEqual([...base.slice(0, 10)]);
    expect([...a.slice(90)]).toEqual([...base.slice(90)]);
    expect([...a.slice(10, 90)].sort((x, y) => x - y)).toEqual([...base.slice(10, 90)]);
    expect([...a.slice(10, 90)]).not.toEqual([...base.slice(10, 90)]);
    const c = base.slice();
    shuffleRange(c, 10, 90, 43, 0);
    expect([...c]).not.toEqual([...a]);
  });
});

describe('solveIncreasing', () => {
  it('finds the root of an increasing function and clamps out-of-range targets', () => {
    expect(solveIncreasing((x) => x * x, 2, 0, 2)).toBeCloseTo(Math.SQRT2, 12);
    expect(solveIncreasing((x) => x, 5, 0, 1)).toBe(1);
    expect(solveIncreasing((x) => x, -5, 0, 1)).toBe(0);
  });
});
