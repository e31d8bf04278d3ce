/**
 * The published numbers `supplychain/labor` is built on and compared with:
 * New York City's labour market in March-June 2020 and the dates of New York
 * State's stay-at-home order (NY PAUSE) and of the city's reopening phases.
 * Each value names its source (a URL); values that are not published figures
 * say `assumption` and why.
 */

/** One sourced labour-market number. */
export interface LaborFact<T = number> {
  readonly value: T;
  /** Where it was published (a URL), or `assumption: ...`. */
  readonly source: string;
}

const fact = <T>(value: T, source: string): LaborFact<T> => Object.freeze({ value, source });

const NYS_DOL_APRIL = 'NYS Department of Labor, April 2020 release, as reported at https://brefnews.com/8091 ("New York City\'s unemployment rate increased from 4.2% to 14.7%")';
const BLOOMBERG_MAY = 'NYS Department of Labor preliminary data, as reported by Bloomberg, https://www.bnnbloomberg.ca/nyc-unemployment-reached-18-3-in-may-up-from-4-1-year-earlier-1.1452764';
const SPECTRUM_JUNE = 'NYS Department of Labor, June 2020 release, as reported at https://spectrumlocalnews.com/nys/central-ny/ny-state-of-politics/2020/07/16/new-york-s-unemployment-rate-hits-15-7-';

/** Day 0 of the labour model's default inputs: 1 March 2020. */
export const LABOR_START = '2020-03-01';

/**
 * Sourced facts of New York City's labour market in spring 2020.
 *
 * @example
 * ```ts
 * LABOR_FACTS.unemploymentMarch2020.value; // 0.042, NYC, NYS Department of Labor
 * ```
 */
export const LABOR_FACTS = Object.freeze({
  /** NYC unemployment rate, March 2020 (the labour model's starting rate). */
  unemploymentMarch2020: fact(0.042, NYS_DOL_APRIL),
  /** NYC unemployment rate, April 2020 (preliminary 14.7%, revised to 15% in the May release). */
  unemploymentApril2020: fact(0.15, `${BLOOMBERG_MAY}; preliminary 14.7% in ${NYS_DOL_APRIL}`),
  /** NYC unemployment rate, May 2020. */
  unemploymentMay2020: fact(0.183, BLOOMBERG_MAY),
  /** NYC unemployment rate, June 2020. */
  unemploymentJune2020: fact(0.204, SPECTRUM_JUNE),
  /** New unemployment claims filed by NYC residents in the 15 weeks from mid-March to the end of June 2020. */
  claimsMarchToJune2020: fact(1_400_000, 'https://forexstat.us/forex_New_York_unemployment_not_abating_a_million_jobless_workers_101319.fx ("nearly 1.4 million new claims for unemployment benefits over the 15-week period since the pandemic began")'),
  /** NY PAUSE: non-essential businesses closed from 8 pm on Sunday 22 March 2020 (day 21). */
  pauseStart: fact('2020-03-22', 'https://coronavirus.health.ny.gov/new-york-state-pause ("On Sunday, March 22, all non-essential businesses statewide closed")'),
  /** NYC phase one (construction, manufacturing, wholesale, curbside retail): 8 June 2020, 200,000-400,000 workers back. */
  phaseOne: fact('2020-06-08', 'https://nymag.com/intelligencer/2020/06/scenes-from-phase-one-of-new-york-citys-reopening.html; 200,000-400,000 workers: https://www.broadwayworld.com/article/Governor-Cuomo-Announces-New-York-City-Will-Begin-First-Phase-of-Reopening-20200529'),
  /** NYC phase two (offices, in-store retail, outdoor dining, salons): 22 June 2020, 150,000-300,000 more workers back. */
  phaseTwo: fact('2020-06-22', 'https://www.theguardian.com/us-news/2020/jun/22/new-york-city-phase-two-reopening-coronavirus-restaurants-offices'),
  /** Workers the shutdown put out of work in NYC: "at least a million". */
  outOfWork: fact(1_000_000, 'https://forexstat.us/forex_New_York_unemployment_not_abating_a_million_jobless_workers_101319.fx ("threw at least a million people out of work")'),
});

/**
 * Observed NYC unemployment rates by month of 2020, with the day (after 1 March 2020) of the
 * survey reference week's Sunday-to-Saturday midpoint, the 12th of the month (BLS CPS reference week).
 */
export const OBSERVED_UNEMPLOYMENT: readonly { readonly month: string; readonly day: number; readonly rate: number; readonly source: string }[] = Object.freeze([
  { month: '2020-03', day: 11, rate: LABOR_FACTS.unemploymentMarch2020.value, source: LABOR_FACTS.unemploymentMarch2020.source },
  { month: '2020-04', day: 42, rate: LABOR_FACTS.unemploymentApril2020.value, source: LABOR_FACTS.unemploymentApril2020.source },
  { month: '2020-05', day: 72, rate: LABOR_FACTS.unemploymentMay2020.value, source: LABOR_FACTS.unemploymentMay2020.source },
  { month: '2020-06', day: 103, rate: LABOR_FACTS.unemploymentJune2020.value, source: LABOR_FACTS.unemploymentJune2020.source },
]);

/**
 * Industries in the order of the `industry` attribute of `@populace/populations`' nyc (code 1 first;
 * code 0 is 'not employed'), with the share of each industry's jobs a full stay-at-home order
 * stops (neither essential nor done from home). The shares are ASSUMPTIONS, ordered by what the
 * sources say closed: leisure and hospitality had the largest drop (NYS DOL, April 2020: -577,700 of
 * -1,764,600 private jobs statewide, https://www.binghamtonhomepage.com/news/up-to-the-minute/nys-economy-loses-more-than-1-7-million-private-sector-jobs-in-april-2020/);
 * construction and manufacturing were closed until phase one; health care, utilities, grocery,
 * transport and banks stayed open as essential (NY PAUSE list, https://www.fltimes.com/coronavirus/cuomo-orders-all-non-essential-personnel-to-stay-home-as/article_0a7df0e2-79d9-5ee7-8df6-2c496de7f53a.html).
 */
export const INDUSTRY_CLOSURE: readonly { readonly industry: string; readonly closed: number }[] = Object.freeze([
  { industry: 'agricultureForestryFishingMining', closed: 0.1 },
  { industry: 'construction', closed: 0.5 },
  { industry: 'manufacturing', closed: 0.45 },
  { industry: 'wholesaleTrade', closed: 0.35 },
  { industry: 'retailTrade', closed: 0.4 },
  { industry: 'transportationWarehousingUtilities', closed: 0.2 },
  { industry: 'information', closed: 0.2 },
  { industry: 'financeInsuranceRealEstate', closed: 0.08 },
  { industry: 'professionalScientificManagementAdmin', closed: 0.18 },
  { industry: 'educationHealthSocialAssistance', closed: 0.15 },
  { industry: 'artsEntertainmentAccommodationFood', closed: 0.7 },
  { industry: 'otherServices', closed: 0.5 },
  { industry: 'publicAdministration', closed: 0.03 },
]);

/** Boroughs in the order of the `area` attribute of the nyc population. */
export const NYC_AREAS = Object.freeze(['bronx', 'brooklyn', 'manhattan', 'queens', 'staten-island'] as const);

const day = (iso: string): number => Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.parse(`${LABOR_START}T00:00:00Z`)) / 86_400_000);

/** Days of the default `stayAtHome` input: 1 March to 30 June 2020. */
export const STAY_AT_HOME_DAYS = 122;

/**
 * The default `stayAtHome` input, one value per day from 1 March 2020 to 30 June 2020: the share of
 * a full closure in force. 0 before NY PAUSE; 1 from 23 March (the first full day of PAUSE, effective
 * 8 pm on 22 March) to 7 June; 0.6 in phase one from 8 June and 0.4 in phase two from 22 June.
 * The phase levels are ASSUMPTIONS derived from the sources: phase one brought back 200,000-400,000
 * of the at least a million put out of work (about 0.3-0.4 of the closure lifted: 0.6 left), phase
 * two 150,000-300,000 more (0.4 left).
 */
export function stayAtHomeSeries(): number[] {
  const pause = day(LABOR_FACTS.pauseStart.value) + 1;
  const one = day(LABOR_FACTS.phaseOne.value);
  const two = day(LABOR_FACTS.phaseTwo.value);
  return Array.from({ length: STAY_AT_HOME_DAYS }, (_, t) => (t < pause ? 0 : t < one ? 1 : t < two ? 0.6 : 0.4));
}
