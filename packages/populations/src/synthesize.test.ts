/**
 * The synthesized marginals against the input marginals (within sampling error, or exactly where the
 * synthesizer fixes counts), household structure, determinism and scaling.
 */
import { describe, expect, it } from 'vitest';
import type { AgentTable } from '@populace/core';
import { ADULT_AGE } from './age-profile.js';
import { householdSizeCounts, householdSizeDistribution, MAX_HOUSEHOLD_SIZE } from './household-sizes.js';
import type { CensusMarginals } from './marginals.js';
import { NYC_BOROUGHS, nycMarginals } from './nyc-data.js';
import { apportion } from './sampling.js';
import { areaSizes, synthesizePopulation } from './synthesize.js';
import { syntheticMarginals } from './synthetic-marginals.js';

const N = 60_000;
const marginals = nycMarginals();
const people = synthesizePopulation(marginals, { agents: N, seed: 7, networks: false }).agents.people as Required<AgentTable>;
const attr = people.attributes as Record<string, Uint8Array | Int32Array | Float32Array | Uint16Array>;

/** |observed - expected| within 5 binomial standard deviations of a share over n trials. */
function expectShare(observed: number, expected: number, n: number, what: string): void {
  const sd = Math.sqrt((expected * (1 - expected)) / n);
  expect(Math.abs(observed - expected), `${what}: observed ${observed.toFixed(4)}, expected ${expected.toFixed(4)} (sd ${sd.toFixed(4)})`).toBeLessThanOrEqual(5 * sd + 1e-12);
}

function byArea<T>(fn: (area: number, agents: number[]) => T): T[] {
  const groups = marginals.areas.map(() => [] as number[]);
  for (let i = 0; i < N; i++) groups[attr.area![i]!]!.push(i);
  return groups.map((agents, area) => fn(area, agents));
}

/** Members of each household (ids must be 0..H-1). */
function households(): number[][] {
  const h: number[][] = [];
  for (let i = 0; i < N; i++) (h[attr.household![i]!] ??= []).push(i);
  return h;
}

describe('synthesized NYC marginals', () => {
  it('has every borough in proportion (largest remainder of the ACS totals)', () => {
    const expected = apportion(N, marginals.areas.map((a) => a.population));
    byArea((area, agents) => expect(agents.length).toBe(expected[area]));
    expect(people.labels.area).toEqual([...NYC_BOROUGHS]);
  });

  it('matches the age bands of each borough within sampling error', () => {
    byArea((area, agents) => {
      const m = marginals.areas[area]!;
      m.ageShares.forEach((share, band) => {
        const observed = agents.filter((i) => attr.ageBand![i] === band).length / agents.length;
        expectShare(observed, share, agents.length, `${m.name} ${marginals.ageBands[band]!.label}`);
      });
      const under18 = agents.filter((i) => attr.age![i]! < ADULT_AGE).length / agents.length;
      expectShare(under18, m.under18Share, agents.length, `${m.name} under 18`);
    });
    for (let i = 0; i < N; i++) {
      const band = marginals.ageBands[attr.ageBand![i]!]!;
      expect(attr.age![i]! >= band.from && attr.age![i]! <= band.to).toBe(true);
    }
  });

  it('matches sex, employment 16+, industry, K-12 enrolment and coordinates of each borough', () => {
    byArea((area, agents) => {
      const m = marginals.areas[area]!;
      expectShare(agents.filter((i) => attr.sex![i] === 1).length / agents.length, m.maleShare, agents.length, `${m.name} male`);
      const over16 = agents.filter((i) => attr.age![i]! >= 16);
      expectShare(over16.filter((i) => attr.employed![i] === 1).length / over16.length, m.employmentRate16plus, over16.length, `${m.name} employed 16+`);
      expectShare(agents.filter((i) => attr.student![i] === 1).length / agents.length, m.k12Share, agents.length, `${m.name} K-12`);
      const employed = agents.filter((i) => attr.employed![i] === 1);
      m.industryShares.forEach((share, k) => expectShare(employed.filter((i) => attr.industry![i] === k + 1).length / employed.length, share, employed.length, `${m.name} industry ${k}`));
      expect(agents.every((i) => attr.lat![i] === Math.fround(m.lat) && attr.lon![i] === Math.fround(m.lon))).toBe(true);
    });
    for (let i = 0; i < N; i++) expect(attr.employed![i] === 1 ? attr.industry![i]! > 0 : attr.industry![i] === 0).toBe(true);
    expect(people.labels.industry[0]).toBe('not employed');
  });

  it('gives every household one income band, distributed as published', () => {
    const hh = households();
    for (const members of hh) expect(new Set(members.map((i) => attr.income![i])).size).toBe(1);
    byArea((area) => {
      const m = marginals.areas[area]!;
      const own = hh.filter((members) => attr.area![members[0]!] === area);
      m.incomeShares.forEach((share, band) => expectShare(own.filter((members) => attr.income![members[0]!] === band).length / own.length, share, own.length, `${m.name} income ${band}`));
    });
  });
});

describe('households', () => {
  const hh = households();
  const sizes = areaSizes(marginals, N);

  it('puts every agent in exactly one household, households numbered 0..H-1, members contiguous', () => {
    expect(hh.length).toBe(sizes.households.reduce((s, h) => s + h, 0));
    for (let h = 0; h < hh.length; h++) {
      const members = hh[h]!;
      expect(members.length).toBeGreaterThanOrEqual(1);
      expect(members.length).toBeLessThanOrEqual(MAX_HOUSEHOLD_SIZE);
      expect(members[members.length - 1]! - members[0]!).toBe(members.length - 1);
      expect(new Set(members.map((i) => attr.area![i])).size).toBe(1);
    }
  });

  it('has an adult in every household, so children always live with adults', () => {
    for (const members of hh) expect(members.some((i) => attr.age![i]! >= ADULT_AGE)).toBe(true);
  });

  it('has exactly the derived household sizes of each borough (mean = persons per household, one-person share as published)', () => {
    byArea((area, agents) => {
      const m = marginals.areas[area]!;
      const dist = householdSizeDistribution(agents.length / sizes.households[area]!, m.onePersonHouseholdShare);
      const expected = householdSizeCounts(agents.length, sizes.households[area]!, dist);
      const observed = new Int32Array(MAX_HOUSEHOLD_SIZE + 1);
      for (const members of hh) if (attr.area![members[0]!] === area) observed[members.length]!++;
      expect([...observed]).toEqual([...expected]);
      expect(Math.abs(observed[1]! / sizes.households[area]! - m.onePersonHouseholdShare)).toBeLessThan(1e-3);
      expect(agents.length / sizes.households[area]!).toBeCloseTo(m.population / m.households, 2);
    });
  });

  it('matches the share of households with children within sampling error', () => {
    byArea((area) => {
      const m = marginals.areas[area]!;
      const own = hh.filter((members) => attr.area![members[0]!] === area);
      const withKids = own.filter((members) => members.some((i) => attr.age![i]! < ADULT_AGE)).length;
      expectShare(withKids / own.length, m.householdsWithChildrenShare, own.length, `${m.name} households with children`);
    });
  });
});

describe('determinism and scaling', () => {
  const fingerprint = (seed: number, agents: number): string[] => {
    const data = synthesizePopulation(marginals, { agents, seed });
    const arrays = [...Object.values(data.agents.people!.attributes!), ...Object.values(data.networks!).flatMap((n) => (n.kind === 'hashed' ? [] : [n.rowPtr, n.colIdx]))];
    return arrays.map((a) => Buffer.from((a as Uint8Array).buffer, (a as Uint8Array).byteOffset, (a as Uint8Array).byteLength).toString('base64'));
  };
  it('builds the same population for the same seed and another one for another seed', () => {
    const a = fingerprint(11, 5000);
    expect(fingerprint(11, 5000)).toEqual(a);
    const b = fingerprint(12, 5000);
    expect(b).not.toEqual(a);
  });

  it('builds tiny populations (1 to 12 agents) with every agent housed with an adult', () => {
    for (let n = 1; n <= 12; n++) {
      const data = synthesizePopulation(marginals, { agents: n, seed: 1 });
      const t = data.agents.people!;
      expect(t.count).toBe(n);
      const household = t.attributes!.household as Int32Array;
      const age = t.attributes!.age as Uint8Array;
      const houses = new Set(household);
      for (const h of houses) expect([...household.keys()].some((i) => household[i] === h && age[i]! >= ADULT_AGE)).toBe(true);
    }
  });

  it('scales up beyond the full-scale population keeping its shares', () => {
    const small: CensusMarginals = { ...syntheticMarginals(), areas: syntheticMarginals().areas.map((a) => ({ ...a, population: a.population / 50, households: Math.round(a.households / 50) })) };
    const n = 20_000;
    const t = synthesizePopulation(small, { agents: n, seed: 3, networks: false }).agents.people!;
    const area = t.attributes!.area as Uint8Array;
    const expected = apportion(n, small.areas.map((a) => a.population));
    small.areas.forEach((_, i) => expect(area.filter((v) => v === i).length).toBe(expected[i]));
    const h = new Set(t.attributes!.household as Int32Array).size;
    expect(n / h).toBeCloseTo(small.areas.reduce((s, a) => s + a.population, 0) / small.areas.reduce((s, a) => s + a.households, 0), 1);
  });

  it('rejects bad sizes and seeds', () => {
    expect(() => synthesizePopulation(marginals, { agents: 0, seed: 1 })).toThrow(/agents: expected an integer in \[1, 2147483646\], received 0/);
    expect(() => synthesizePopulation(marginals, { agents: 10, seed: -1 })).toThrow(/seed: expected an integer in \[0, 4294967295\], received -1/);
  });
});
