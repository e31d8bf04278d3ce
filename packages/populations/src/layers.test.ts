/**
 * The contact layers: valid symmetric CSR without self-loops, the structure each layer promises
 * (households, classes, workplaces, areas) checked agent by agent, and the configured mean degrees.
 */
import { describe, expect, it } from 'vitest';
import type { CsrNetwork, HashedNetwork } from '@populace/core';
import { classCount } from './layers.js';
import { nycMarginals } from './nyc-data.js';
import { synthesizePopulation } from './synthesize.js';

const N = 30_000;
const data = synthesizePopulation(nycMarginals(), { agents: N, seed: 5, workContacts: 6 });
const attr = data.agents.people!.attributes as Record<string, Uint8Array>;
const net = (name: string): CsrNetwork => data.networks![name] as CsrNetwork;
const row = (n: CsrNetwork, i: number): number[] => [...n.colIdx.subarray(n.rowPtr[i]!, n.rowPtr[i + 1]!)];
const degree = (n: CsrNetwork, i: number): number => n.rowPtr[i + 1]! - n.rowPtr[i]!;

/** Valid CSR, no self-loops, and symmetric: the multiset of (i, j) equals that of (j, i). */
function expectSymmetricCsr(n: CsrNetwork, agents: number): void {
  expect(n.rowPtr.length).toBe(agents + 1);
  expect(n.rowPtr[0]).toBe(0);
  expect(n.rowPtr[agents]).toBe(n.colIdx.length);
  if (n.weights !== undefined) expect(n.weights.length).toBe(n.colIdx.length);
  const forward = new Float64Array(n.colIdx.length);
  const backward = new Float64Array(n.colIdx.length);
  for (let i = 0, e = 0; i < agents; i++) {
    expect(n.rowPtr[i + 1]!).toBeGreaterThanOrEqual(n.rowPtr[i]!);
    for (; e < n.rowPtr[i + 1]!; e++) {
      const j = n.colIdx[e]!;
      if (j === i || j < 0 || j >= agents) throw new Error(`bad edge ${i} <- ${j}`);
      forward[e] = i * agents + j;
      backward[e] = j * agents + i;
    }
  }
  forward.sort();
  backward.sort();
  expect(Buffer.from(forward.buffer).equals(Buffer.from(backward.buffer))).toBe(true);
}

describe('all layers', () => {
  it.each(['household', 'school', 'work', 'community'])('%s is a symmetric CSR layer without self-loops, weights 1 (no array)', (name) => {
    expectSymmetricCsr(net(name), N);
    expect(net(name).weights).toBeUndefined();
    expect(net(name).agents).toBe('people');
  });

  it.each(['household', 'school', 'work', 'community'])('%s has sorted rows on shared memory (so message passing uses it as its own transpose, without copies)', (name) => {
    const n = net(name);
    for (let i = 0; i < N; i++) {
      for (let e = n.rowPtr[i]! + 1; e < n.rowPtr[i + 1]!; e++) if (n.colIdx[e - 1]! > n.colIdx[e]!) throw new Error(`row ${i} is not sorted at edge ${e}`);
    }
    for (const a of [n.rowPtr, n.colIdx]) expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe('household layer', () => {
  it('links each person to exactly the other members of their household', () => {
    const members = new Map<number, number[]>();
    for (let i = 0; i < N; i++) members.set(attr.household[i]!, [...(members.get(attr.household[i]!) ?? []), i]);
    let sumSquares = 0;
    for (let i = 0; i < N; i++) {
      const others = members.get(attr.household[i]!)!.filter((j) => j !== i);
      expect(row(net('household'), i).sort((a, b) => a - b)).toEqual(others);
    }
    for (const m of members.values()) sumSquares += m.length * (m.length - 1);
    expect(net('household').colIdx.length / N).toBeCloseTo(sumSquares / N, 12);
  });
});

describe('school layer', () => {
  it('groups students only with students of the same area and age, in classes of about 25', () => {
    const school = net('school');
    const classSizes: number[] = [];
    for (let i = 0; i < N; i++) {
      const contacts = row(school, i);
      if (!attr.student[i]) {
        expect(contacts).toEqual([]);
        continue;
      }
      for (const j of contacts) expect(attr.student[j] === 1 && attr.area[j] === attr.area[i] && attr.age[j] === attr.age[i]).toBe(true);
      // A class is a clique: i's contacts all have the same contacts (plus i).
      const first = contacts[0];
      if (first !== undefined) expect(new Set([...row(school, first), first])).toEqual(new Set([...contacts, i]));
      classSizes.push(contacts.length + 1);
    }
    expect(Math.max(...classSizes)).toBeLessThanOrEqual(Math.ceil(25 * 1.2));
    const mean = classSizes.reduce((s, c) => s + c, 0) / classSizes.length;
    expect(mean).toBeGreaterThan(15); // 30,000 agents: some (area, age) groups are small
  });
  it('splits n students into classes of about the target size, never above 1.2x it when avoidable', () => {
    expect(classCount(0, 25)).toBe(0);
    expect(classCount(10, 25)).toBe(1);
    expect(classCount(37, 25)).toBe(2);
    for (let n = 31; n < 2000; n++) {
      const c = classCount(n, 25);
      expect(Math.ceil(n / c)).toBeLessThanOrEqual(30);
      expect(n / c).toBeGreaterThanOrEqual(15.5);
    }
  });
});

describe('work layer', () => {
  it('links only employed people of the same industry, at most workContacts each', () => {
    const work = net('work');
    let full = 0;
    for (let i = 0; i < N; i++) {
      const contacts = row(work, i);
      if (!attr.employed[i]) expect(contacts).toEqual([]);
      for (const j of contacts) expect(attr.employed[j] === 1 && attr.industry[j] === attr.industry[i]).toBe(true);
      expect(new Set(contacts).size).toBe(contacts.length);
      if (contacts.length === 6) full++;
    }
    expect(Math.max(...Array.from({ length: N }, (_, i) => degree(work, i)))).toBe(6);
    // Heavy-tailed sizes: most workers are in workplaces larger than 7, so they have all 6 contacts.
    const employed = attr.employed.reduce((s, v) => s + v, 0);
    expect(full / employed).toBeGreaterThan(0.5);
  });
});

describe('community layer', () => {
  it('has the configured mean degree and contacts within the area (age-mixed by default: degrees vary with age)', () => {
    const community = net('community');
    const degrees = Array.from({ length: N }, (_, i) => degree(community, i));
    const mean = degrees.reduce((s, d) => s + d, 0) / N;
    expect(Math.abs(mean - 10)).toBeLessThanOrEqual(5 / N);
    const variance = degrees.reduce((s, d) => s + (d - mean) ** 2, 0) / N;
    expect(variance / mean).toBeGreaterThan(1.15);
    for (let i = 0; i < N; i += 7) for (const j of row(community, i)) expect(attr.area[j]).toBe(attr.area[i]);
  });

  it("has near-Poisson degrees with communityMixing: 'uniform'", () => {
    const d = synthesizePopulation(nycMarginals(), { agents: N, seed: 1, communityMixing: 'uniform' });
    const c = d.networks!.community as CsrNetwork;
    const degrees = Array.from({ length: N }, (_, i) => c.rowPtr[i + 1]! - c.rowPtr[i]!);
    const mean = degrees.reduce((s, x) => s + x, 0) / N;
    expect(Math.abs(mean - 10)).toBeLessThanOrEqual(5 / N);
    const variance = degrees.reduce((s, x) => s + (x - mean) ** 2, 0) / N;
    expect(variance / mean).toBeGreaterThan(0.85);
    expect(variance / mean).toBeLessThan(1.15);
  });

  it('follows communityDegree and per-layer weights', () => {
    const d = synthesizePopulation(nycMarginals(), { agents: 4000, seed: 2, communityDegree: 3.5, weights: { school: 0.5, community: 0.25 } });
    const c = d.networks!.community as CsrNetwork;
    expect(c.colIdx.length / 4000).toBeCloseTo(3.5, 2);
    expect((d.networks!.school as CsrNetwork).weights!.every((w) => w === 0.5)).toBe(true);
    expect(c.weights!.every((w) => w === 0.25)).toBe(true);
    expect((d.networks!.household as CsrNetwork).weights).toBeUndefined();
  });

  it('is a HashedNetwork with the configured degree when asked for hashed contacts', () => {
    const d = synthesizePopulation(nycMarginals(), { agents: 2000, seed: 2, communityContacts: 'hashed', communityDegree: 8 });
    const c = d.networks!.community as HashedNetwork;
    expect(c).toMatchObject({ kind: 'hashed', agents: 'people', degree: 8 });
    expect(Number.isInteger(c.key) && c.key >= 0 && c.key <= 0xffffffff).toBe(true);
    const again = synthesizePopulation(nycMarginals(), { agents: 2000, seed: 2, communityContacts: 'hashed', communityDegree: 8 }).networks!.community as HashedNetwork;
    expect(again.key).toBe(c.key);
  });
});

describe('layer options', () => {
  it.each([
    [{ workContacts: 5 }, /workContacts: expected an even integer in \[2, 1000\], received 5/],
    [{ classSize: 1 }, /classSize: expected an integer in \[2, 200\], received 1/],
    [{ communityDegree: -1 }, /communityDegree: expected a number in \[0, 1000\], received -1/],
    [{ communityContacts: 'hashed', communityDegree: 2.5 }, /communityDegree: .*an integer for hashed contacts/],
    [{ communityContacts: 'sometimes' }, /communityContacts: expected 'stored' or 'hashed', received "sometimes"/],
    [{ weights: { gym: 1 } }, /weights\.gym: expected one of the layers household, school, work, community/],
    [{ weights: { work: Number.NaN } }, /weights\.work: expected a finite number >= 0/],
    [{ communityContacts: 'hashed', communityDegree: 600, agents: 10_000_000 }, /communityDegree: expected at most 429 for 10000000 agents/],
  ])('rejects %j', (options, message) => {
    expect(() => synthesizePopulation(nycMarginals(), { agents: 100, seed: 1, ...(options as object) })).toThrow(message);
  });
});
