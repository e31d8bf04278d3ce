import { describe, expect, it } from 'vitest';
import { flipRates, runningValues, type Recorded } from './stochastic-flips.js';

/** A first-passage record on the probability scale. */
const threshold = (p: number[], mask: number[], out: number[]): Recorded => ({ key: 1, hazard: false, threshold: true, shape: [p.length], p: Float32Array.from(p), x: Float32Array.from([1]), mask: Float32Array.from(mask), out: Float32Array.from(out) });

describe('first-passage flips', () => {
  it('the running values kept for the next step are 0 where the element is not under the mask', () => {
    expect(Array.from(runningValues(threshold([0.8, 0.5, 0.3], [0, 1, 1], [0, 0, 1])))).toEqual([0, 0.5, Math.fround(0.3)]);
  });

  it('an element that comes under the mask starts from 0: its first step is a candidate, whatever its running value was outside', () => {
    // step t - 1: element 0 outside the mask (e.g. in another stage, 5 days in) with running 0.9
    const before = threshold([0.9, 0.4], [0, 1], [0, 0]);
    // step t: element 0 enters (running 0.3 on its first day); element 1 rises from 0.4 to 0.5
    const base = threshold([0.3, 0.5], [1, 1], [0, 0]);
    const plus = threshold([0.31, 0.52], [1, 1], [0, 0]);
    const minus = threshold([0.29, 0.48], [1, 1], [0, 0]);
    const w = flipRates(base, plus, minus, 0.01, runningValues(before));
    expect(w[0]).toBeCloseTo(1 / 0.7, 4);
    expect(w[1]).toBeCloseTo(2 / 0.5, 4);
    // without the mask the previous 0.9 would hide element 0's first day
    const unmasked = Float32Array.from([0.9, 0.4]);
    expect(flipRates(base, plus, minus, 0.01, unmasked)[0]).toBe(0);
  });
});
