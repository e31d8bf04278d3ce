import { describe, expect, it } from 'vitest';
import { workplaceSizeLaw } from './workplace-sizes.js';

describe('workplaceSizeLaw', () => {
  it('fits the mean and is heavy-tailed: mostly small workplaces, yet many workers in large ones', () => {
    const law = workplaceSizeLaw(19.2, 5000);
    expect(law.mean).toBeCloseTo(19.2, 6);
    const p = (s: number): number => law.cdf[s - 1]! - (s > 1 ? law.cdf[s - 2]! : 0);
    let workers = 0;
    let inLarge = 0;
    for (let s = 1; s <= 5000; s++) {
      workers += s * p(s);
      if (s >= 100) inLarge += s * p(s);
    }
    expect(law.cdf[99 - 1]!).toBeGreaterThan(0.95); // workplaces under 100 people
    expect(inLarge / workers).toBeGreaterThan(0.3); // but a large share of workers is in 100+
    expect(law.cdf[4999]).toBe(1);
  });
  it('gets a larger exponent for a smaller mean', () => {
    expect(workplaceSizeLaw(5, 1000).exponent).toBeGreaterThan(workplaceSizeLaw(20, 1000).exponent);
  });
});
