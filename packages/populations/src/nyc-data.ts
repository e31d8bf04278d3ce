/**
 * New York City's census marginals, read from the package's data file
 * (data/nyc-census-marginals.json, every number with its source) and turned
 * into CensusMarginals for the city or one borough.
 */
import { readFileSync } from 'node:fs';
import { PopulaceError } from '@populace/core';
import type { AgeBand, AreaMarginals, CensusMarginals } from './marginals.js';
import { MAX_AGE } from './marginals.js';

/** The five boroughs, in the order of the `area` labels. */
export const NYC_BOROUGHS = ['bronx', 'brooklyn', 'manhattan', 'queens', 'staten-island'] as const;
/** A borough id, as in `nyc:<borough>`. */
export type NycBorough = (typeof NYC_BOROUGHS)[number];

/**
 * Largest workplace: an assumption (no establishment-size data in the sources); the size law is
 * truncated there.
 */
export const NYC_MAX_WORKPLACE_SIZE = 5000;

/**
 * Share of residents 65+ who live in a household with children under 18: an assumption (no New York
 * City source was found; see the data file's notes). Grandparents who live with grandchildren are
 * common in the city's multigenerational immigrant households, so it is not zero.
 */
export const NYC_SENIORS_WITH_CHILDREN_SHARE = 0.12;

/** The parts of the data file the synthesizer reads (see the file for every other field and its source). */
interface BoroughRecord {
  households: number;
  acsPopulation_acs2017_2021: number;
  ageBandCounts: Record<string, number>;
  under18Share: number;
  sexB01001_acs2015_2019: { male: number; female: number; total: number };
  onePersonHouseholdShare_acs2015_2019: number;
  householdsWithChildrenUnder18Share: number;
  householderLivingAlone65plusShare_census2000: number;
  householdIncomeCounts: Record<string, number>;
  labor: { population16plus: number; employedCivilian16plus: number };
  schoolEnrollment: { k12Total: number };
  industryCounts: Record<string, number>;
  privateNonfarmEstablishments2009: number;
  centroid: [number, number];
}

/** The data file as shipped: sources, notes, the five boroughs and the city. */
export interface NycDataFile {
  readonly description: string;
  readonly sources: readonly { id: string; title: string; publisher: string; year: number; url: string }[];
  readonly notes: readonly string[];
  readonly boroughs: Readonly<Record<NycBorough, BoroughRecord>>;
  readonly city: { labor: { employedCivilian16plus: number }; privateNonfarmEstablishments2009: number };
}

let cached: NycDataFile | undefined;

/** The package's NYC data file, parsed (read once). */
export function nycDataFile(): NycDataFile {
  if (cached) return cached;
  const url = new URL('../data/nyc-census-marginals.json', import.meta.url);
  try {
    cached = JSON.parse(readFileSync(url, 'utf8')) as NycDataFile;
  } catch (error) {
    throw new PopulaceError('plugin-load-failed', `@populace/populations: could not read its data file ${url.pathname}: ${(error as Error).message}. Reinstall the package (its "files" include data/).`, { cause: error });
  }
  return cached;
}

/** Parses band labels such as `0-4` and `85+` (open bands end at MAX_AGE). */
export function parseAgeBand(label: string): AgeBand {
  const open = /^(\d+)\+$/.exec(label);
  if (open) return { label, from: Number(open[1]), to: MAX_AGE };
  const range = /^(\d+)-(\d+)$/.exec(label);
  if (!range) throw new PopulaceError('invalid-argument', `age band label: expected 'from-to' or 'from+', received ${JSON.stringify(label)}.`);
  return { label, from: Number(range[1]), to: Number(range[2]) };
}

const shares = (counts: Record<string, number>, keys: readonly string[]): number[] => {
  const total = keys.reduce((s, k) => s + counts[k]!, 0);
  return keys.map((k) => counts[k]! / total);
};

/**
 * NYC's marginals as the synthesizer reads them; one borough, or all five. Which field feeds what
 * (vintages as in the file's notes): population, households, age bands, under-18 share, households
 * with children, income bands, employment (employed civilians / population 16+) and K-12 enrolment =
 * ACS 2017-2021 (s2); sex and one-person households = ACS 2015-2019 (s5); householders 65+ living
 * alone = Census 2000 (s11; Manhattan's own share, the rest of the city's for the other four); industry mix = ACS
 * 2020-2024 via DCP EDDE (s4); coordinates = TIGER county internal points (s6); where jobs are =
 * 2009 County Business Patterns establishments (s8).
 *
 * @example
 * ```ts
 * const m = nycMarginals();          // 5 areas, 8,736,047 people
 * const bronx = nycMarginals('bronx');
 * ```
 */
export function nycMarginals(borough?: NycBorough): CensusMarginals {
  const file = nycDataFile();
  if (borough !== undefined && !(NYC_BOROUGHS as readonly string[]).includes(borough)) {
    throw new PopulaceError('invalid-argument', `nyc borough: expected one of ${NYC_BOROUGHS.join(', ')}, received ${JSON.stringify(borough)}.`);
  }
  const first = file.boroughs.bronx;
  const ageLabels = Object.keys(first.ageBandCounts);
  const incomeBands = Object.keys(first.householdIncomeCounts);
  const industries = Object.keys(first.industryCounts);
  const area = (name: NycBorough): AreaMarginals => {
    const b = file.boroughs[name];
    return {
      name,
      population: b.acsPopulation_acs2017_2021,
      households: b.households,
      lat: b.centroid[0],
      lon: b.centroid[1],
      ageShares: shares(b.ageBandCounts, ageLabels),
      under18Share: b.under18Share,
      maleShare: b.sexB01001_acs2015_2019.male / b.sexB01001_acs2015_2019.total,
      onePersonHouseholdShare: b.onePersonHouseholdShare_acs2015_2019,
      householdsWithChildrenShare: b.householdsWithChildrenUnder18Share,
      seniorAloneHouseholdShare: b.householderLivingAlone65plusShare_census2000,
      seniorsWithChildrenShare: NYC_SENIORS_WITH_CHILDREN_SHARE,
      incomeShares: shares(b.householdIncomeCounts, incomeBands),
      employmentRate16plus: b.labor.employedCivilian16plus / b.labor.population16plus,
      k12Share: b.schoolEnrollment.k12Total / b.acsPopulation_acs2017_2021,
      industryShares: shares(b.industryCounts, industries),
      establishments: b.privateNonfarmEstablishments2009,
    };
  };
  return {
    name: borough === undefined ? 'New York City' : `New York City: ${borough}`,
    ageBands: ageLabels.map(parseAgeBand),
    incomeBands,
    industries,
    meanWorkplaceSize: file.city.labor.employedCivilian16plus / file.city.privateNonfarmEstablishments2009,
    maxWorkplaceSize: NYC_MAX_WORKPLACE_SIZE,
    areas: (borough === undefined ? NYC_BOROUGHS : [borough]).map(area),
  };
}
