/**
 * Census marginals: what the synthesizer reproduces. A `CensusMarginals` value
 * describes a place as areas (boroughs, districts) with published shares; the
 * synthesizer scales it to any agent count.
 */
import { PopulaceError } from '@populace/core';

/** An age band `[from, to]` in whole years (inclusive); the last band is open-ended up to 100. */
export interface AgeBand {
  readonly label: string;
  readonly from: number;
  readonly to: number;
}

/** The marginals of one area (a borough, a district). Shares are fractions of 1. */
export interface AreaMarginals {
  /** Label of the area in the `area` attribute (e.g. `bronx`). */
  readonly name: string;
  /** Residents at full scale. */
  readonly population: number;
  /** Households at full scale (everyone lives in one: population / households is the mean size). */
  readonly households: number;
  /** Representative coordinate (degrees), so maps can be drawn. */
  readonly lon: number;
  readonly lat: number;
  /** Share of residents in each age band (aligned with `CensusMarginals.ageBands`). */
  readonly ageShares: readonly number[];
  /** Share of residents under 18 (splits the band that straddles 18). */
  readonly under18Share: number;
  readonly maleShare: number;
  /** Share of households with one person. */
  readonly onePersonHouseholdShare: number;
  /** Share of households with at least one person under 18. */
  readonly householdsWithChildrenShare: number;
  /**
   * Share of households whose householder is 65 or older and lives alone. Optional: with it, people
   * 65+ live alone, in households of older adults (couples) or as grandparents in households with
   * children (see household-ages.ts); without it, adults' ages are drawn regardless of their
   * housemates' ages (only the first adult of a household with children is of parent age).
   */
  readonly seniorAloneHouseholdShare?: number;
  /** Share of residents 65+ who live in a household with children (read with seniorAloneHouseholdShare; default 0). */
  readonly seniorsWithChildrenShare?: number;
  /** Share of households in each income band (aligned with `CensusMarginals.incomeBands`). */
  readonly incomeShares: readonly number[];
  /** Employed / residents aged 16 and over. */
  readonly employmentRate16plus: number;
  /** Residents enrolled in kindergarten to grade 12, as a share of all residents. */
  readonly k12Share: number;
  /** Share of the employed in each industry (aligned with `CensusMarginals.industries`). */
  readonly industryShares: readonly number[];
  /** Workplaces located in the area (relative weights are what matter: where jobs are). */
  readonly establishments: number;
}

/** A place: its areas and the category lists their shares refer to. */
export interface CensusMarginals {
  readonly name: string;
  readonly ageBands: readonly AgeBand[];
  readonly incomeBands: readonly string[];
  readonly industries: readonly string[];
  /** Mean employees per workplace (employed residents / establishments). */
  readonly meanWorkplaceSize: number;
  /** Largest workplace (the size distribution is truncated there). */
  readonly maxWorkplaceSize: number;
  readonly areas: readonly AreaMarginals[];
}

/** Largest age in years (the `age` attribute is a Uint8Array in 0..MAX_AGE). */
export const MAX_AGE = 100;

function bad(where: string, expected: string, received: unknown): PopulaceError {
  const text = typeof received === 'number' || typeof received === 'string' ? JSON.stringify(received) : Array.isArray(received) ? `an array of ${received.length}` : typeof received;
  return new PopulaceError('invalid-argument', `census marginals: ${where}: expected ${expected}, received ${text}. Fix the marginals passed to the synthesizer.`, { details: { at: where } });
}

function share(value: unknown, where: string): void {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw bad(where, 'a share in [0, 1]', value);
}

function distribution(values: unknown, length: number, where: string): void {
  if (!Array.isArray(values) || values.length !== length) throw bad(where, `${length} shares`, values);
  values.forEach((v, i) => share(v, `${where}[${i}]`));
  const sum = (values as number[]).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 0.01) throw bad(where, 'shares that sum to 1 (within 0.01)', sum);
}

/**
 * Checks a `CensusMarginals` value and throws a PopulaceError naming the first bad field.
 *
 * @example
 * ```ts
 * validateMarginals(syntheticMarginals); // returns it unchanged when valid
 * ```
 */
export function validateMarginals(m: CensusMarginals): CensusMarginals {
  if (typeof m !== 'object' || m === null) throw bad('the top level', 'an object { name, ageBands, incomeBands, industries, areas, ... }', m);
  if (!Array.isArray(m.ageBands) || m.ageBands.length === 0) throw bad('ageBands', 'a non-empty array of { label, from, to }', m.ageBands);
  let next = 0;
  m.ageBands.forEach((b, i) => {
    if (b.from !== next || !Number.isInteger(b.to) || b.to < b.from || b.to > MAX_AGE) throw bad(`ageBands[${i}]`, `a band starting at ${next} and ending at or below ${MAX_AGE}`, `${b.label} (${b.from}-${b.to})`);
    next = b.to + 1;
  });
  if (next !== MAX_AGE + 1) throw bad('ageBands', `bands covering 0..${MAX_AGE}`, `bands ending at ${next - 1}`);
  if (m.ageBands[0]!.to >= 17) throw bad('ageBands[0]', 'a first band ending before 17', m.ageBands[0]!.label);
  for (const key of ['incomeBands', 'industries'] as const) {
    if (!Array.isArray(m[key]) || m[key].length === 0 || m[key].length > 254) throw bad(key, 'a non-empty array of at most 254 labels', m[key]);
  }
  if (!(m.meanWorkplaceSize >= 1)) throw bad('meanWorkplaceSize', 'a number >= 1', m.meanWorkplaceSize);
  if (!Number.isInteger(m.maxWorkplaceSize) || m.maxWorkplaceSize < m.meanWorkplaceSize) throw bad('maxWorkplaceSize', 'an integer >= meanWorkplaceSize', m.maxWorkplaceSize);
  if (!Array.isArray(m.areas) || m.areas.length === 0 || m.areas.length > 65535) throw bad('areas', 'a non-empty array of at most 65535 areas', m.areas);
  m.areas.forEach((a, i) => {
    const at = `areas[${i}]${typeof a?.name === 'string' ? ` (${a.name})` : ''}`;
    if (typeof a.name !== 'string' || a.name.length === 0) throw bad(`${at}.name`, 'a non-empty string', a.name);
    if (!Number.isInteger(a.population) || a.population < 1) throw bad(`${at}.population`, 'a positive integer', a.population);
    if (!Number.isInteger(a.households) || a.households < 1 || a.households > a.population) throw bad(`${at}.households`, `an integer in [1, population = ${a.population}]`, a.households);
    if (!Number.isFinite(a.lon) || Math.abs(a.lon) > 180) throw bad(`${at}.lon`, 'a longitude in [-180, 180]', a.lon);
    if (!Number.isFinite(a.lat) || Math.abs(a.lat) > 90) throw bad(`${at}.lat`, 'a latitude in [-90, 90]', a.lat);
    distribution(a.ageShares, m.ageBands.length, `${at}.ageShares`);
    distribution(a.incomeShares, m.incomeBands.length, `${at}.incomeShares`);
    distribution(a.industryShares, m.industries.length, `${at}.industryShares`);
    for (const key of ['under18Share', 'maleShare', 'onePersonHouseholdShare', 'householdsWithChildrenShare', 'employmentRate16plus', 'k12Share'] as const) share(a[key], `${at}.${key}`);
    for (const key of ['seniorAloneHouseholdShare', 'seniorsWithChildrenShare'] as const) if (a[key] !== undefined) share(a[key], `${at}.${key}`);
    if (!(a.establishments >= 0)) throw bad(`${at}.establishments`, 'a non-negative number', a.establishments);
  });
  if (new Set(m.areas.map((a) => a.name)).size !== m.areas.length) throw bad('areas', 'unique area names', m.areas.map((a) => a.name).join(', '));
  if (!m.areas.some((a) => a.establishments > 0)) throw bad('areas[*].establishments', 'at least one area with establishments', 0);
  return m;
}
