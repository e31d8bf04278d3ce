/**
 * From age-band shares to one weight per year of age, and the age-specific
 * probabilities (employment, school enrolment) that reproduce an area's
 * published totals.
 */
import { MAX_AGE, type AgeBand } from './marginals.js';
import { solveIncreasing } from './sampling.js';

/** Age from which people count as adults (children are 0..ADULT_AGE-1 and always live with an adult). */
export const ADULT_AGE = 18;

/**
 * Yearly decay of the population inside the open-ended last band (e.g. 85+): an assumption, since
 * the sources give that band only as a total. 0.82 per year puts about half the band within its
 * first 3.5 years.
 */
export const OPEN_BAND_DECAY = 0.82;

/**
 * Share of residents at each year of age 0..100: uniform within a band, split at 18 by the published
 * under-18 share where a band straddles 18, and decaying by OPEN_BAND_DECAY inside the last band.
 */
export function ageYearWeights(bands: readonly AgeBand[], shares: readonly number[], under18Share: number): Float64Array {
  const w = new Float64Array(MAX_AGE + 1);
  let childrenInFullBands = 0;
  for (let b = 0; b < bands.length; b++) if (bands[b]!.to < ADULT_AGE) childrenInFullBands += shares[b]!;
  for (let b = 0; b < bands.length; b++) {
    const { from, to } = bands[b]!;
    const s = shares[b]!;
    if (from < ADULT_AGE && to >= ADULT_AGE) {
      const young = Math.min(s, Math.max(0, under18Share - childrenInFullBands));
      for (let a = from; a < ADULT_AGE; a++) w[a] = young / (ADULT_AGE - from);
      for (let a = ADULT_AGE; a <= to; a++) w[a] = (s - young) / (to - ADULT_AGE + 1);
    } else if (b === bands.length - 1 && to > from) {
      let norm = 0;
      for (let a = from; a <= to; a++) norm += OPEN_BAND_DECAY ** (a - from);
      for (let a = from; a <= to; a++) w[a] = (s * OPEN_BAND_DECAY ** (a - from)) / norm;
    } else {
      for (let a = from; a <= to; a++) w[a] = s / (to - from + 1);
    }
  }
  return w;
}

/** `table[age]` = index of the band that holds `age`. */
export function bandOfAge(bands: readonly AgeBand[]): Uint8Array {
  const table = new Uint8Array(MAX_AGE + 1);
  bands.forEach((b, i) => table.fill(i, b.from, b.to + 1));
  return table;
}

/**
 * Relative chance of being employed by age, before scaling to the area's published employment
 * rate of residents 16+. An assumption of this package (the sources give one rate for all 16+):
 * a typical working-age profile, low in the teens and after 65.
 */
export function relativeEmployment(age: number): number {
  if (age < 16) return 0;
  if (age < 18) return 0.2;
  if (age < 20) return 0.45;
  if (age < 25) return 0.8;
  if (age < 55) return 1;
  if (age < 60) return 0.9;
  if (age < 65) return 0.7;
  if (age < 70) return 0.35;
  if (age < 75) return 0.18;
  return 0.05;
}

/** Highest employment probability at any age. */
const MAX_EMPLOYMENT = 0.98;

/**
 * P(employed | age) = min(0.98, c * relativeEmployment(age)), with c chosen so that the expected
 * employed share of residents 16+ equals `rate`.
 */
export function employmentByAge(weights: Float64Array, rate: number): Float64Array {
  let adults16 = 0;
  for (let a = 16; a <= MAX_AGE; a++) adults16 += weights[a]!;
  const employed = (c: number): number => {
    let sum = 0;
    for (let a = 16; a <= MAX_AGE; a++) sum += weights[a]! * Math.min(MAX_EMPLOYMENT, c * relativeEmployment(a));
    return sum;
  };
  const c = solveIncreasing(employed, rate * adults16, 0, 1 / 0.05);
  const p = new Float64Array(MAX_AGE + 1);
  for (let a = 16; a <= MAX_AGE; a++) p[a] = Math.min(MAX_EMPLOYMENT, c * relativeEmployment(a));
  return p;
}

/** First and last age of K-12 enrolment; 18- and 19-year-olds are enrolled only when 5..17 are not enough. */
export const SCHOOL_AGES = { from: 5, to: 17, lateTo: 19 } as const;

/**
 * P(enrolled in K-12 | age): the same probability for ages 5..17, scaled so that the expected enrolled
 * share equals `k12Share`; when it exceeds the 5..17 share, all of them are enrolled and the rest come
 * from ages 18..19.
 */
export function enrolmentByAge(weights: Float64Array, k12Share: number): Float64Array {
  const p = new Float64Array(MAX_AGE + 1);
  let core = 0;
  let late = 0;
  for (let a = SCHOOL_AGES.from; a <= SCHOOL_AGES.to; a++) core += weights[a]!;
  for (let a = SCHOOL_AGES.to + 1; a <= SCHOOL_AGES.lateTo; a++) late += weights[a]!;
  if (core <= 0) return p;
  const pCore = Math.min(1, k12Share / core);
  const pLate = late > 0 ? Math.min(1, Math.max(0, (k12Share - core) / late)) : 0;
  for (let a = SCHOOL_AGES.from; a <= SCHOOL_AGES.to; a++) p[a] = pCore;
  for (let a = SCHOOL_AGES.to + 1; a <= SCHOOL_AGES.lateTo; a++) p[a] = pLate;
  return p;
}
