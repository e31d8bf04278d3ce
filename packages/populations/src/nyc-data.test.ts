import { describe, expect, it } from 'vitest';
import { PopulaceError } from '@populace/core';
import { validateMarginals, type CensusMarginals } from './marginals.js';
import { NYC_BOROUGHS, nycDataFile, nycMarginals, parseAgeBand } from './nyc-data.js';
import { syntheticMarginals } from './synthetic-marginals.js';

describe('the NYC data file', () => {
  it('cites a listed source for every field of every borough', () => {
    const file = nycDataFile();
    const ids = new Set(file.sources.map((s) => s.id));
    expect(ids.size).toBeGreaterThanOrEqual(8);
    for (const source of file.sources) expect(source.url).toMatch(/^https?:\/\//);
    for (const borough of NYC_BOROUGHS) {
      const record = file.boroughs[borough] as unknown as { source: Record<string, unknown> };
      const values = (v: unknown): string[] => (typeof v === 'string' ? [v] : Object.values(v as object).flatMap(values));
      const refs = values(record.source).flatMap((v) => v.split(/[^a-z0-9]+/).filter((t) => /^s\d+$/.test(t)));
      expect(refs.length).toBeGreaterThan(10);
      for (const ref of refs) expect(ids.has(ref)).toBe(true);
      expect(record.source.sexB01001_acs2015_2019).toBe('s5');
    }
    expect(file.notes.some((n) => n.includes('Household sizes'))).toBe(true);
  });
});

describe('nycMarginals', () => {
  it('sums the boroughs to the ACS 2017-2021 city totals', () => {
    const m = validateMarginals(nycMarginals());
    expect(m.areas.map((a) => a.name)).toEqual([...NYC_BOROUGHS]);
    expect(m.areas.reduce((s, a) => s + a.population, 0)).toBe(8_736_047);
    expect(m.areas.reduce((s, a) => s + a.households, 0)).toBe(3_250_657);
    expect(m.meanWorkplaceSize).toBeCloseTo(4_164_373 / 216_729, 9);
    const bronx = m.areas[0]!;
    expect(bronx.lat).toBeCloseTo(40.8487111, 6);
    expect(bronx.lon).toBeCloseTo(-73.852939, 6);
    expect(bronx.maleShare).toBeCloseTo(676_437 / 1_435_068, 12);
    expect(bronx.employmentRate16plus).toBeCloseTo(597_690 / 1_143_223, 12);
  });
  it('gives one borough, and refuses an unknown one', () => {
    expect(nycMarginals('queens').areas.map((a) => a.name)).toEqual(['queens']);
    expect(() => nycMarginals('harlem' as never)).toThrow(/expected one of bronx, brooklyn, manhattan, queens, staten-island, received "harlem"/);
  });
  it('parses age band labels', () => {
    expect(parseAgeBand('25-34')).toEqual({ label: '25-34', from: 25, to: 34 });
    expect(parseAgeBand('85+')).toEqual({ label: '85+', from: 85, to: 100 });
    expect(() => parseAgeBand('old')).toThrow(PopulaceError);
  });
});

describe('validateMarginals', () => {
  const base = syntheticMarginals();
  const broken = (edit: (m: { -readonly [K in keyof CensusMarginals]: any }) => void): CensusMarginals => {
    const m = structuredClone(base) as any;
    edit(m);
    return m;
  };
  it.each([
    ['shares that do not sum to 1', (m: any) => (m.areas[0].ageShares = m.areas[0].ageShares.map((s: number) => s * 2)), /areas\[0\] \(north\)\.ageShares: expected shares that sum to 1/],
    ['a share above 1', (m: any) => (m.areas[1].maleShare = 1.5), /areas\[1\] \(east\)\.maleShare: expected a share in \[0, 1\], received 1\.5/],
    ['more households than people', (m: any) => (m.areas[0].households = 40_000), /households: expected an integer in \[1, population = 30000\]/],
    ['a gap in the age bands', (m: any) => (m.ageBands[1] = { label: '6-9', from: 6, to: 9 }), /ageBands\[1\]: expected a band starting at 5/],
    ['duplicate area names', (m: any) => (m.areas[1].name = 'north'), /expected unique area names/],
    ['a wrong number of industry shares', (m: any) => m.areas[2].industryShares.pop(), /industryShares: expected 13 shares/],
  ])('rejects %s', (_, edit, message) => {
    expect(() => validateMarginals(broken(edit))).toThrow(message);
  });
});
