/**
 * Household composition by age: the plan's expected counts against its inputs, and the synthesized NYC
 * population against the published shares (Census 2000 householders 65+ living alone, Furman Center
 * households with seniors) and the documented assumption (residents 65+ living with children).
 */
import { describe, expect, it } from 'vitest';
import { hashString, streamKey, type AgentTable } from '@populace/core';
import { ADULT_AGE } from './age-profile.js';
import { isSeniorSlot, planSeniors, SENIOR_AGE, SENIOR_SLOTS } from './household-ages.js';
import { NYC_BOROUGHS, NYC_SENIORS_WITH_CHILDREN_SHARE, nycMarginals } from './nyc-data.js';
import { synthesizePopulation } from './synthesize.js';
import { syntheticMarginals } from './synthetic-marginals.js';

describe('planSeniors', () => {
  // 40,000 households: a quarter of one person, half of 2..4 without children, a quarter of 4 with 2 children.
  const h = 40_000;
  const sizes = new Uint8Array(h);
  const kids = new Uint8Array(h);
  for (let k = 0; k < h; k++) {
    const c = k % 4;
    sizes[k] = c === 0 ? 1 : c === 3 ? 4 : 2 + (k % 3);
    kids[k] = c === 3 ? 2 : 0;
  }
  const key = streamKey(3, 1, hashString('test/seniors'));

  it('places the expected residents 65+: alone share of households, share with children, the rest as couples', () => {
    const plan = planSeniors({ sizes, kids, seniors: 12_000, aloneShare: 0.1, withChildrenShare: 0.15, key });
    // 4,000 alone (0.1 x 40,000 of 10,000 one-person households), 1,800 grandparents (0.15 x 12,000 of
    // 10,000 eligible), (12,000 - 4,000 - 1,800) / 2 = 3,100 couples of 20,000 households without children.
    expect(plan.probabilities.alone).toBeCloseTo(0.4, 12);
    expect(plan.probabilities.grandparent).toBeCloseTo(0.18, 12);
    expect(plan.probabilities.couple).toBeCloseTo(0.155, 12);
    expect(plan.placed).toBeCloseTo(12_000, 9);
    const count = [0, 0, 0, 0];
    for (let k = 0; k < h; k++) count[plan.kind[k]!]!++;
    const within = (observed: number, p: number, n: number): void => expect(Math.abs(observed - p * n)).toBeLessThanOrEqual(5 * Math.sqrt(n * p * (1 - p)));
    within(count[SENIOR_SLOTS.alone]!, 0.4, 10_000);
    within(count[SENIOR_SLOTS.grandparent]!, 0.18, 10_000);
    within(count[SENIOR_SLOTS.couple]!, 0.155, 20_000);
    for (let k = 0; k < h; k++) {
      const kind = plan.kind[k]!;
      if (kind === SENIOR_SLOTS.alone) expect(sizes[k]).toBe(1);
      if (kind === SENIOR_SLOTS.couple) expect(sizes[k]! >= 2 && kids[k] === 0).toBe(true);
      if (kind === SENIOR_SLOTS.grandparent) expect(kids[k]! > 0 && sizes[k]! - kids[k]! >= 2).toBe(true);
    }
  });

  it('never places more than the residents 65+ or more than the households can hold', () => {
    const few = planSeniors({ sizes, kids, seniors: 1_000, aloneShare: 0.1, withChildrenShare: 0.15, key });
    expect(few.placed).toBeCloseTo(1_000, 9);
    expect(few.probabilities.couple).toBe(0);
    const many = planSeniors({ sizes, kids, seniors: 200_000, aloneShare: 0.5, withChildrenShare: 0.9, key });
    expect(many.probabilities).toEqual({ alone: 1, grandparent: 1, couple: 1 });
    expect(many.placed).toBe(10_000 + 10_000 + 2 * 20_000);
  });

  it('puts a person 65+ in the first slot alone, the first two of a couple, the last adult as grandparent', () => {
    expect([0, 1].map((s) => isSeniorSlot(SENIOR_SLOTS.alone, s, 1))).toEqual([true, false]);
    expect([0, 1, 2].map((s) => isSeniorSlot(SENIOR_SLOTS.couple, s, 3))).toEqual([true, true, false]);
    expect([0, 1, 2].map((s) => isSeniorSlot(SENIOR_SLOTS.grandparent, s, 3))).toEqual([false, false, true]);
    expect([0, 1].map((s) => isSeniorSlot(SENIOR_SLOTS.none, s, 2))).toEqual([false, false]);
  });
});

describe('synthesized NYC households by age', () => {
  const N = 120_000;
  const people = synthesizePopulation(nycMarginals(), { agents: N, seed: 5, networks: false }).agents.people as Required<AgentTable>;
  const age = people.attributes.age as Uint8Array;
  const household = people.attributes.household as Int32Array;
  const area = people.attributes.area as Uint8Array;
  const members: number[][] = [];
  for (let i = 0; i < N; i++) (members[household[i]!] ??= []).push(i);

  /** |observed - expected| within 5 binomial standard deviations of a share over n trials (plus `slack`). */
  const expectShare = (observed: number, expected: number, n: number, what: string, slack = 0): void => {
    const sd = Math.sqrt((expected * (1 - expected)) / n);
    expect(Math.abs(observed - expected), `${what}: observed ${observed.toFixed(4)}, expected ${expected.toFixed(4)} (sd ${sd.toFixed(4)})`).toBeLessThanOrEqual(5 * sd + slack);
  };

  it('has the published share of households that are one person 65+ (Census 2000: Manhattan, rest of the city)', () => {
    // Census 2000 SF1 (data file source s11): Manhattan 80,856 of 738,644 households; New York City 299,920 of 3,021,588.
    const published = { manhattan: 80_856 / 738_644, rest: (299_920 - 80_856) / (3_021_588 - 738_644) };
    NYC_BOROUGHS.forEach((name, a) => {
      const own = members.filter((m) => area[m[0]!] === a);
      const alone = own.filter((m) => m.length === 1 && age[m[0]!]! >= SENIOR_AGE).length;
      // The data file rounds the share to 4 decimals: allow that much beyond sampling error.
      expectShare(alone / own.length, name === 'manhattan' ? published.manhattan : published.rest, own.length, `${name} householders 65+ living alone`, 1e-4);
    });
  });

  it(`puts the assumed share (${NYC_SENIORS_WITH_CHILDREN_SHARE}) of residents 65+ in households with children, at most one per such household, and pairs 65+ with 65+`, () => {
    let seniors = 0;
    let withChildren = 0;
    for (const m of members) {
      const old = m.filter((i) => age[i]! >= SENIOR_AGE).length;
      const children = m.some((i) => age[i]! < ADULT_AGE);
      seniors += old;
      if (children) withChildren += old;
      if (children) expect(old).toBeLessThanOrEqual(1);
      // Age-homogeneous: in a household of two adults without children that holds someone 65+, both are 65+.
      if (m.length === 2 && !children && old > 0) expect(old).toBe(2);
    }
    expectShare(withChildren / seniors, NYC_SENIORS_WITH_CHILDREN_SHARE, seniors, 'residents 65+ living with children');
  });

  it('has at least the share of households with someone 65+ that the Furman Center reported (24%, when fewer residents were 65+)', () => {
    const withSenior = members.filter((m) => m.some((i) => age[i]! >= SENIOR_AGE)).length / members.length;
    expect(withSenior).toBeGreaterThanOrEqual(0.24);
    // ... and not more than a third: residents 65+ are 15% of the population (ACS 2017-2021), one or two per such household.
    expect(withSenior).toBeLessThanOrEqual(0.34);
  });

  it('applies only where the marginals publish the share: without it, people 65+ live with children as often as other adults', () => {
    const synthetic = syntheticMarginals();
    expect(synthetic.areas.every((m) => m.seniorAloneHouseholdShare === undefined)).toBe(true);
    const withPlan = { ...synthetic, areas: synthetic.areas.map((m) => ({ ...m, seniorAloneHouseholdShare: 0.1, seniorsWithChildrenShare: 0 })) };
    const seniorsWithChildren = (marginals: typeof synthetic): number => {
      const p = synthesizePopulation(marginals, { agents: 20_000, seed: 2, networks: false }).agents.people!.attributes!;
      const ages = p.age as Uint8Array;
      const hh = p.household as Int32Array;
      const children = new Set<number>();
      for (let i = 0; i < ages.length; i++) if (ages[i]! < ADULT_AGE) children.add(hh[i]!);
      let n = 0;
      for (let i = 0; i < ages.length; i++) if (ages[i]! >= SENIOR_AGE && children.has(hh[i]!)) n++;
      return n;
    };
    expect(seniorsWithChildren(synthetic)).toBeGreaterThan(100);
    expect(seniorsWithChildren(withPlan)).toBe(0);
  });
});
