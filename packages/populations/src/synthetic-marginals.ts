/**
 * The generic, census-like place behind `populations/synthetic` and
 * `populations/well-mixed`: four fictional areas. Every number here is an
 * illustrative round value chosen to look like a census table (a typical
 * age pyramid, household sizes of 2.4-2.7), not a measurement of any place.
 */
import type { CensusMarginals } from './marginals.js';
import { parseAgeBand } from './nyc-data.js';

const AGE_BANDS = ['0-4', '5-9', '10-14', '15-19', '20-24', '25-34', '35-44', '45-54', '55-59', '60-64', '65-74', '75-84', '85+'];
const AGE_SHARES = [0.06, 0.062, 0.064, 0.064, 0.066, 0.136, 0.128, 0.124, 0.065, 0.062, 0.095, 0.05, 0.024];
const INCOME_BANDS = ['<10k', '10-15k', '15-25k', '25-35k', '35-50k', '50-75k', '75-100k', '100-150k', '150-200k', '200k+'];
const INCOME_SHARES = [0.06, 0.04, 0.08, 0.08, 0.11, 0.17, 0.13, 0.16, 0.08, 0.09];
const INDUSTRIES = [
  'agricultureForestryFishingMining',
  'construction',
  'manufacturing',
  'wholesaleTrade',
  'retailTrade',
  'transportationWarehousingUtilities',
  'information',
  'financeInsuranceRealEstate',
  'professionalScientificManagementAdmin',
  'educationHealthSocialAssistance',
  'artsEntertainmentAccommodationFood',
  'otherServices',
  'publicAdministration',
];
const INDUSTRY_SHARES = [0.01, 0.06, 0.08, 0.02, 0.11, 0.05, 0.02, 0.07, 0.12, 0.24, 0.09, 0.05, 0.08];

const AREAS = [
  { name: 'north', population: 30_000, meanSize: 2.5, one: 0.28, kids: 0.3, lon: 0, lat: 0.1, establishments: 3000 },
  { name: 'east', population: 25_000, meanSize: 2.7, one: 0.26, kids: 0.33, lon: 0.1, lat: 0, establishments: 2000 },
  { name: 'south', population: 25_000, meanSize: 2.6, one: 0.27, kids: 0.31, lon: 0, lat: -0.1, establishments: 2500 },
  { name: 'west', population: 20_000, meanSize: 2.4, one: 0.3, kids: 0.27, lon: -0.1, lat: 0, establishments: 1500 },
] as const;

/**
 * The illustrative marginals of the synthetic place (100,000 people at full scale).
 *
 * @example
 * ```ts
 * syntheticMarginals().areas.map((a) => a.name); // ['north', 'east', 'south', 'west']
 * ```
 */
export function syntheticMarginals(): CensusMarginals {
  return {
    name: 'a synthetic census-like place',
    ageBands: AGE_BANDS.map(parseAgeBand),
    incomeBands: INCOME_BANDS,
    industries: INDUSTRIES,
    meanWorkplaceSize: 15,
    maxWorkplaceSize: 2000,
    areas: AREAS.map((a) => ({
      name: a.name,
      population: a.population,
      households: Math.round(a.population / a.meanSize),
      lon: a.lon,
      lat: a.lat,
      ageShares: AGE_SHARES,
      under18Share: 0.222,
      maleShare: 0.49,
      onePersonHouseholdShare: a.one,
      householdsWithChildrenShare: a.kids,
      incomeShares: INCOME_SHARES,
      employmentRate16plus: 0.6,
      k12Share: 0.16,
      industryShares: INDUSTRY_SHARES,
      establishments: a.establishments,
    })),
  };
}
