import { describe, expect, it } from 'vitest';
import { ADULT_AGE, ageYearWeights, bandOfAge, employmentByAge, enrolmentByAge, OPEN_BAND_DECAY, relativeEmployment } from './age-profile.js';
import { MAX_AGE } from './marginals.js';
import { parseAgeBand } from './nyc-data.js';

const bands = ['0-4', '5-9', '10-14', '15-19', '20-24', '25-34', '35-44', '45-54', '55-59', '60-64', '65-74', '75-84', '85+'].map(parseAgeBand);
const shares = [0.0701, 0.0664, 0.072, 0.0674, 0.0706, 0.156, 0.1282, 0.124, 0.0622, 0.053, 0.0743, 0.0392, 0.0166];
const sum = (w: Float64Array, from: number, to: number): number => w.slice(from, to + 1).reduce((s, v) => s + v, 0);

describe('ageYearWeights', () => {
  const w = ageYearWeights(bands, shares, 0.2492);
  it('keeps every band total and the under-18 share', () => {
    bands.forEach((b, i) => expect(sum(w, b.from, b.to)).toBeCloseTo(shares[i]!, 12));
    expect(sum(w, 0, ADULT_AGE - 1)).toBeCloseTo(0.2492, 12);
  });
  it('is uniform inside a band and decays inside the open last band', () => {
    expect(w[25]).toBeCloseTo(w[34]!, 15);
    expect(w[86]! / w[85]!).toBeCloseTo(OPEN_BAND_DECAY, 12);
    expect(w[MAX_AGE]!).toBeGreaterThan(0);
  });
  it('maps every age to its band', () => {
    const table = bandOfAge(bands);
    expect(table[0]).toBe(0);
    expect(table[17]).toBe(3);
    expect(table[34]).toBe(5);
    expect(table[100]).toBe(12);
  });
});

describe('employmentByAge', () => {
  it('reproduces the employment rate of residents 16+ and follows the age profile', () => {
    const w = ageYearWeights(bands, shares, 0.2492);
    const p = employmentByAge(w, 0.5228);
    let employed = 0;
    for (let a = 16; a <= MAX_AGE; a++) employed += w[a]! * p[a]!;
    expect(employed / sum(w, 16, MAX_AGE)).toBeCloseTo(0.5228, 9);
    expect(p[15]).toBe(0);
    expect(p[40]! / p[70]!).toBeCloseTo(relativeEmployment(40) / relativeEmployment(70), 9);
  });
});

describe('enrolmentByAge', () => {
  it('enrols ages 5..17 up to the K-12 share, then 18-19 when more are enrolled', () => {
    const w = ageYearWeights(bands, shares, 0.2492);
    const core = sum(w, 5, 17);
    const low = enrolmentByAge(w, core / 2);
    expect(low[10]).toBeCloseTo(0.5, 12);
    expect(low[18]).toBe(0);
    const high = enrolmentByAge(w, core + 0.01);
    expect(high[10]).toBe(1);
    expect(sum(w.map((x, a) => x * high[a]!), 0, MAX_AGE)).toBeCloseTo(core + 0.01, 12);
    expect(high[4]).toBe(0);
  });
});
