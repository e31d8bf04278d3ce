import { describe, expect, it } from 'vitest';
import { NEVER, VACCINE_PRIORITY, vaccineRanks } from './vaccine-priority.js';

const ages = Uint8Array.from({ length: 5000 }, (_, i) => (i * 37) % 100);

describe('vaccineRanks', () => {
  it('is a permutation of the eligible places, ordered by age as asked, ties in a seeded random order', () => {
    for (const priority of Object.values(VACCINE_PRIORITY)) {
      const ranks = vaccineRanks(ages, priority, 0, 1);
      expect([...ranks].sort((a, b) => a - b)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
      expect(vaccineRanks(ages, priority, 0, 1)).toEqual(ranks);
      expect(vaccineRanks(ages, priority, 0, 2)).not.toEqual(ranks);
    }
    const byRank = (priority: number) => {
      const ranks = vaccineRanks(ages, priority, 0, 1);
      const order = new Array<number>(5000);
      ranks.forEach((r, i) => (order[r] = ages[i]!));
      return order;
    };
    const oldest = byRank(VACCINE_PRIORITY.oldestFirst);
    const youngest = byRank(VACCINE_PRIORITY.youngestFirst);
    for (let p = 1; p < 5000; p++) {
      expect(oldest[p]!).toBeLessThanOrEqual(oldest[p - 1]!);
      expect(youngest[p]!).toBeGreaterThanOrEqual(youngest[p - 1]!);
    }
    // random order: the first thousand places hold all ages
    expect(new Set(byRank(VACCINE_PRIORITY.random).slice(0, 1000)).size).toBeGreaterThan(90);
  });

  it('never offers a place below the minimum age', () => {
    const ranks = vaccineRanks(ages, VACCINE_PRIORITY.youngestFirst, 18, 1);
    ranks.forEach((r, i) => {
      if (ages[i]! < 18) expect(r).toBe(NEVER);
      else expect(r).toBeLessThan(5000);
    });
    expect(Math.min(...Array.from(ranks).filter((_, i) => ages[i] === 18))).toBe(0);
  });
});
