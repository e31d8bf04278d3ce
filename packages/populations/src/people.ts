/**
 * The people of one area: households sized from the derived size distribution,
 * children placed only in households that have an adult, then every agent's
 * age, sex, employment, industry, school enrolment and household income, all
 * drawn from counter-based random numbers so a seed fixes the population.
 */
import { streamKey, uniformAt, hashString } from '@populace/core';
import { ADULT_AGE, ageYearWeights, bandOfAge, employmentByAge, enrolmentByAge } from './age-profile.js';
import { isSeniorSlot, planSeniors, SENIOR_AGE } from './household-ages.js';
import { householdSizeCounts, householdSizeDistribution, MAX_HOUSEHOLD_SIZE } from './household-sizes.js';
import { MAX_AGE, type CensusMarginals } from './marginals.js';
import { cumulative, sampleIndex, shuffleRange, solveIncreasing } from './sampling.js';

/** The attribute arrays of a population being synthesized (one entry per agent). */
export interface PeopleArrays {
  readonly age: Uint8Array;
  readonly ageBand: Uint8Array;
  readonly sex: Uint8Array;
  readonly household: Int32Array;
  readonly area: Uint8Array | Uint16Array;
  readonly employed: Uint8Array;
  readonly industry: Uint8Array;
  readonly income: Uint8Array;
  readonly student: Uint8Array;
  readonly lon: Float32Array;
  readonly lat: Float32Array;
}

/** Allocates the attribute arrays for `agents` agents in `areas` areas. */
export function allocatePeople(agents: number, areas: number): PeopleArrays {
  return {
    age: new Uint8Array(agents),
    ageBand: new Uint8Array(agents),
    sex: new Uint8Array(agents),
    household: new Int32Array(agents),
    area: areas <= 256 ? new Uint8Array(agents) : new Uint16Array(agents),
    employed: new Uint8Array(agents),
    industry: new Uint8Array(agents),
    income: new Uint8Array(agents),
    student: new Uint8Array(agents),
    lon: new Float32Array(agents),
    lat: new Float32Array(agents),
  };
}

/** Stream ids of the draws (one per kind of draw, so adding one never shifts another). */
export const STREAMS = {
  sizes: hashString('populations/household-sizes'),
  kids: hashString('populations/households-with-children'),
  kidCount: hashString('populations/children-per-household'),
  age: hashString('populations/age'),
  sex: hashString('populations/sex'),
  employed: hashString('populations/employed'),
  industry: hashString('populations/industry'),
  student: hashString('populations/student'),
  income: hashString('populations/income'),
  seniors: hashString('populations/household-seniors'),
} as const;

/** Ages 20..59: the householder of a household with children is drawn from them. */
const PARENT_AGES = { from: 20, to: 59 } as const;

/** Share of households of size s >= 2 that have children: 1 - (1 - f)^(s - 1), so bigger households more often do. */
const kidsProbability = (f: number, size: number): number => (size < 2 ? 0 : 1 - (1 - f) ** (size - 1));

function ageCdf(weights: Float64Array, from: number, to: number): Float64Array {
  const w = new Float64Array(MAX_AGE + 1);
  for (let a = from; a <= to; a++) w[a] = weights[a]!;
  return cumulative(w);
}

/** Where an area's agents and households go in the population's arrays. */
export interface AreaSlot {
  readonly area: number;
  /** First agent index and agent count. */
  readonly start: number;
  readonly agents: number;
  /** First household id and household count. */
  readonly householdStart: number;
  readonly households: number;
}

/**
 * Fills agents `slot.start ..` of `people` and household starts `householdStarts[slot.householdStart ..]`
 * for one area. Agents of a household are contiguous; adults come first in each household.
 */
export function fillArea(people: PeopleArrays, householdStarts: Int32Array, marginals: CensusMarginals, slot: AreaSlot, seed: number): void {
  const m = marginals.areas[slot.area]!;
  const { start, agents: n, householdStart, households: h } = slot;
  if (n === 0) return;
  const key = (stream: number): number => streamKey(seed, slot.area + 1, stream);
  const weights = ageYearWeights(marginals.ageBands, m.ageShares, m.under18Share);
  const bands = bandOfAge(marginals.ageBands);
  const pEmployed = employmentByAge(weights, m.employmentRate16plus);
  const pStudent = enrolmentByAge(weights, m.k12Share);
  const industryCdf = cumulative(m.industryShares);
  const incomeCdf = cumulative(m.incomeShares);

  // Household sizes in random order.
  const counts = householdSizeCounts(n, h, householdSizeDistribution(n / h, m.onePersonHouseholdShare));
  const sizes = new Uint8Array(h);
  for (let s = 1, at = 0; s <= MAX_HOUSEHOLD_SIZE; s++) sizes.fill(s, at, (at += counts[s]!));
  shuffleRange(sizes, 0, h, key(STREAMS.sizes), 0);

  // Which households have children: f solved so the expected count matches the published share.
  const expectedWithKids = (f: number): number => {
    let sum = 0;
    for (let s = 2; s <= MAX_HOUSEHOLD_SIZE; s++) sum += counts[s]! * kidsProbability(f, s);
    return sum;
  };
  const f = solveIncreasing(expectedWithKids, m.householdsWithChildrenShare * h, 0, 1);
  const kidsKey = key(STREAMS.kids);
  const hasKids = new Uint8Array(h);
  let withKids = 0;
  let capacity = 0;
  for (let k = 0; k < h; k++) {
    const s = sizes[k]!;
    if (s >= 2 && uniformAt(kidsKey, k) < kidsProbability(f, s)) {
      hasKids[k] = 1;
      withKids++;
      capacity += s - 2;
    }
  }
  // Children per such household: 1 + a share rho of the remaining room (one adult always stays).
  const children = Math.round(m.under18Share * n);
  const rho = capacity > 0 ? Math.min(1, Math.max(0, (children - withKids) / capacity)) : 0;
  const expectedChildren = withKids + rho * capacity;
  const adults = n - expectedChildren;
  const kidCountKey = key(STREAMS.kidCount);
  const kidsOf = new Uint8Array(h);
  for (let k = 0; k < h; k++) if (hasKids[k]) kidsOf[k] = Math.min(sizes[k]! - 1, 1 + Math.floor(rho * (sizes[k]! - 2) + uniformAt(kidCountKey, k)));

  // Age tables: children 0..17; the first adult of a household with children 20..59; people 65+ in
  // the slots household-ages.ts marks (when the area publishes who lives alone); other adults from
  // what remains of the adult distribution, so all adults together follow the published bands.
  let adultWeight = 0;
  let parentWeight = 0;
  let seniorWeight = 0;
  for (let a = ADULT_AGE; a <= MAX_AGE; a++) adultWeight += weights[a]!;
  for (let a = PARENT_AGES.from; a <= PARENT_AGES.to; a++) parentWeight += weights[a]!;
  for (let a = SENIOR_AGE; a <= MAX_AGE; a++) seniorWeight += weights[a]!;
  const seniors = adultWeight > 0 ? (adults * seniorWeight) / adultWeight : 0;
  const plan =
    m.seniorAloneHouseholdShare === undefined
      ? undefined
      : planSeniors({ sizes, kids: kidsOf, seniors, aloneShare: m.seniorAloneHouseholdShare, withChildrenShare: m.seniorsWithChildrenShare ?? 0, key: key(STREAMS.seniors) });
  const seniorsPlaced = plan?.placed ?? 0;
  const other = new Float64Array(MAX_AGE + 1);
  for (let a = ADULT_AGE; a <= MAX_AGE; a++) {
    const all = adultWeight > 0 ? (adults * weights[a]!) / adultWeight : 0;
    const parents = a >= PARENT_AGES.from && a <= PARENT_AGES.to && parentWeight > 0 ? (withKids * weights[a]!) / parentWeight : 0;
    const placed = a >= SENIOR_AGE && seniorWeight > 0 ? (seniorsPlaced * weights[a]!) / seniorWeight : 0;
    const left = all - parents - placed;
    other[a] = left > 1e-9 * n ? left : 0;
  }
  const childCdf = ageCdf(weights, 0, ADULT_AGE - 1);
  const parentCdf = ageCdf(weights, PARENT_AGES.from, PARENT_AGES.to);
  const seniorCdf = ageCdf(weights, SENIOR_AGE, MAX_AGE);
  let otherWeight = 0;
  for (let a = ADULT_AGE; a <= MAX_AGE; a++) otherWeight += other[a]!;
  const otherCdf = otherWeight > 0 ? cumulative(other) : ageCdf(weights, ADULT_AGE, MAX_AGE);

  const ageKey = key(STREAMS.age);
  const sexKey = key(STREAMS.sex);
  const employedKey = key(STREAMS.employed);
  const industryKey = key(STREAMS.industry);
  const studentKey = key(STREAMS.student);
  const incomeKey = key(STREAMS.income);
  const { age, ageBand, sex, household, area, employed, industry, income, student, lon, lat } = people;
  area.fill(slot.area, start, start + n);
  lon.fill(m.lon, start, start + n);
  lat.fill(m.lat, start, start + n);
  let i = start;
  for (let k = 0; k < h; k++) {
    const s = sizes[k]!;
    const kids = kidsOf[k]!;
    const kind = plan?.kind[k] ?? 0;
    const hh = householdStart + k;
    const band = sampleIndex(incomeCdf, uniformAt(incomeKey, k));
    householdStarts[hh] = i;
    for (let slotInHousehold = 0; slotInHousehold < s; slotInHousehold++, i++) {
      const local = i - start;
      const u = uniformAt(ageKey, local);
      const years =
        slotInHousehold >= s - kids
          ? sampleIndex(childCdf, u)
          : slotInHousehold === 0 && kids > 0
            ? sampleIndex(parentCdf, u)
            : isSeniorSlot(kind, slotInHousehold, s - kids)
              ? sampleIndex(seniorCdf, u)
              : sampleIndex(otherCdf, u);
      age[i] = years;
      ageBand[i] = bands[years]!;
      sex[i] = uniformAt(sexKey, local) < m.maleShare ? 1 : 0;
      household[i] = hh;
      income[i] = band;
      const works = uniformAt(employedKey, local) < pEmployed[years]! ? 1 : 0;
      employed[i] = works;
      industry[i] = works ? 1 + sampleIndex(industryCdf, uniformAt(industryKey, local)) : 0;
      student[i] = uniformAt(studentKey, local) < pStudent[years]! ? 1 : 0;
    }
  }
  householdStarts[householdStart + h] = start + n;
}
