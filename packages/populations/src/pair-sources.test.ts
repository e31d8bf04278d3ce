/**
 * Community pairs by age: the layer's contacts between age groups follow the reciprocal contact
 * matrix of prem2021 for the population's own age counts, and uniform pairs stay as they were.
 */
import { describe, expect, it } from 'vitest';
import { contactAgeGroup, PREM_OTHER_US_URBAN } from './contact-matrix.js';
import { nycMarginals } from './nyc-data.js';
import { synthesizePopulation } from './synthesize.js';
import type { CsrNetwork } from '@populace/core';

const G = PREM_OTHER_US_URBAN.length;

describe('age-mixed community pairs', () => {
  const data = synthesizePopulation(nycMarginals(), { agents: 60_000, seed: 3 });
  const age = data.agents.people!.attributes!.age as Uint8Array;
  const net = data.networks!.community as CsrNetwork;
  const group = Int32Array.from(age, (a) => contactAgeGroup(a));
  const n = new Float64Array(G);
  for (const g of group) n[g]!++;
  // observed contacts (directed edges) between groups
  const observed = Array.from({ length: G }, () => new Float64Array(G));
  for (let i = 0; i < age.length; i++) for (let e = net.rowPtr[i]!; e < net.rowPtr[i + 1]!; e++) observed[group[i]!]![group[net.colIdx[e]!]!]!++;
  // expected from the matrix made reciprocal for these counts, scaled to the layer's edge total
  const reciprocal = (a: number, b: number) => (PREM_OTHER_US_URBAN[a]![b]! * n[a]! + PREM_OTHER_US_URBAN[b]![a]! * n[b]!) / 2;
  let total = 0;
  for (let a = 0; a < G; a++) for (let b = 0; b < G; b++) total += reciprocal(a, b);
  const edges = net.colIdx.length;
  const rows = (m: (a: number, b: number) => number, groups: number[]) => groups.reduce((s, a) => s + Array.from({ length: G }, (_, b) => m(a, b)).reduce((x, y) => x + y, 0), 0);
  const old = [14, 15];
  const adults = [4, 5, 6, 7, 8, 9, 10, 11];

  it('is the default for stored contacts, symmetric, with the requested mean degree', () => {
    expect(net.description).toMatch(/by age \(prem2021/);
    expect(edges / age.length).toBeCloseTo(10, 1);
    for (let a = 0; a < G; a++) for (let b = 0; b < G; b++) expect(observed[a]![b]).toBe(observed[b]![a]);
  });

  it('gives each age group its share of contacts and of contacts with each other group (within 5%)', () => {
    for (const groups of [old, adults, [0, 1], [2, 3]]) {
      const got = rows((a, b) => observed[a]![b]!, groups) / edges;
      const want = rows(reciprocal, groups) / total;
      expect(Math.abs(got / want - 1)).toBeLessThan(0.05);
    }
    // the old meet the old: share of 70+ contacts with 60+ people
    const share = (m: (a: number, b: number) => number) => old.reduce((s, a) => s + [12, 13, 14, 15].reduce((x, b) => x + m(a, b), 0), 0) / rows(m, old);
    expect(Math.abs(share((a, b) => observed[a]![b]!) / share(reciprocal) - 1)).toBeLessThan(0.05);
    // and far more than uniform pairing would give (the 60+ share of the population)
    expect(share((a, b) => observed[a]![b]!)).toBeGreaterThan(1.5 * ([12, 13, 14, 15].reduce((s, g) => s + n[g]!, 0) / age.length));
    // contacts per person at 70+ against 20-59: below one (prem2021 row sums), as observed
    const perPerson = (groups: number[]) => rows((a, b) => observed[a]![b]!, groups) / groups.reduce((s, g) => s + n[g]!, 0);
    expect(perPerson(old) / perPerson(adults)).toBeLessThan(0.8);
  });

  it("is deterministic per seed; 'uniform' keeps the uniform pairs; hashed contacts refuse age mixing", () => {
    const again = synthesizePopulation(nycMarginals(), { agents: 60_000, seed: 3 }).networks!.community as CsrNetwork;
    expect(Buffer.compare(Buffer.from(again.colIdx.buffer), Buffer.from(net.colIdx.buffer))).toBe(0);
    const uniform = synthesizePopulation(nycMarginals(), { agents: 60_000, seed: 3, communityMixing: 'uniform' }).networks!.community as CsrNetwork;
    expect(uniform.description).not.toMatch(/by age/);
    expect(() => synthesizePopulation(nycMarginals(), { agents: 500, seed: 3, communityContacts: 'hashed', communityMixing: 'age' })).toThrow(/communityMixing: expected 'uniform' with communityContacts: 'hashed'/);
    expect(() => synthesizePopulation(nycMarginals(), { agents: 500, seed: 3, communityMixing: 'sometimes' as never })).toThrow(/communityMixing: expected 'age' or 'uniform'/);
  });
});
