/**
 * Parameters of `epi/covid`, with their sources (ids of the `sources` in
 * data/covid-parameters.json). Transmission and natural-history parameters
 * are learnable; intervention settings are scenario inputs (validated, not
 * learnable).
 */
import type { ParameterSpec } from '@populace/core';
import { layerWeightParams } from '../layers.js';

/** Weeks covered by the weekly reproduction number `R` (entries past the end repeat the last). */
export const R_WEEKS = 9;

/** Default R: within the early-epidemic estimates riou2020 (2.2, 90% HDI 1.4-3.8), he2020 (2.2-2.5), zhao2020 (2.24-3.58), read2021 (3.11). */
export const DEFAULT_R = 2.5;

/** Transmission and natural history (learnable where marked). */
export const TRANSMISSION_PARAMETERS: Record<string, ParameterSpec> = {
  R: {
    default: Array.from({ length: R_WEEKS }, () => DEFAULT_R),
    bounds: [0, 20],
    period: 7,
    learnable: true,
    description: `weekly reproduction number: mean secondary infections per case early in an epidemic in a fully susceptible population, without interventions, on the population the model runs on (contact layers: through a calibration of the population's next-generation process with within-household saturation, reproduction.ts; well-mixed: beta = R / (infectiousDays * mean susceptibility-weighted infectiousness)); default ${DEFAULT_R} (riou2020, he2020, zhao2020, read2021); ${R_WEEKS} weeks, the last repeats`,
  },
  latentDays: { default: 3, bounds: [1, 60], learnable: true, unit: 'days', description: 'mean latent period, infection to infectiousness (lauer2020 median incubation 5.1 days minus the he2020 2.3 days of infectiousness before onset = 2.8, rounded to 3); staged: with latentSd it sets the continuous stage count (durations.ts)' },
  latentSd: { default: 1.5, bounds: [0, 60], unit: 'days', description: 'standard deviation of the latent period (covasim_pars exp2inf SD 1.5); realised through a continuous stage count, plus the variance of its fractional stage (durations.ts)' },
  infectiousDays: { default: 8, bounds: [1, 60], learnable: true, unit: 'days', description: 'mean infectious period (covasim_pars asym2rec and mild2rec mean 8.0); staged: with infectiousSd it sets the continuous stage count (durations.ts)' },
  infectiousSd: { default: 2, bounds: [0, 60], unit: 'days', description: 'standard deviation of the infectious period (covasim_pars asym2rec and mild2rec SD 2.0); realised through a continuous stage count, plus the variance of its fractional stage (durations.ts)' },
  infectiousnessDecay: {
    default: 0.5,
    bounds: [0.01, 1],
    learnable: true,
    description: 'infectiousness of each infectious stage relative to the one before (1: constant); normalised so the mean total infectiousness stays infectiousDays. 0.5 puts 63% of transmission in the first 2.3 days of infectiousness (he2020: 44%, 95% CI 25-69%, before symptom onset, which comes 2.3 days after infectiousness starts) and gives a mean generation interval of 5.8 days (ganyani2020 5.2, ferretti2020 5.0, openabm_baseline 5.5)',
  },
  asymptomaticInfectiousness: { default: 0.33, bounds: [0, 1], learnable: true, description: 'infectiousness of an asymptomatic infection relative to a symptomatic one (openabm_baseline asymptomatic_infectious_factor 0.33; buitrago2020 relative risk 0.35)' },
  hospitalRecoveryDays: { default: 18.1, bounds: [1, 365], learnable: true, unit: 'days', description: 'mean hospital stay of a severe case that recovers (covasim_pars sev2rec mean 18.1)' },
  hospitalDeathDays: { default: 12.2, bounds: [1, 365], learnable: true, unit: 'days', description: 'mean time from hospitalisation to death of a fatal case (covasim_pars sev2crit 1.5 + crit2die 10.7)' },
  seedInfections: { default: 50, bounds: [0, 1e9], integer: true, description: 'agents infectious at day 0 (drawn at random; at most the number of agents)' },
  severityPreset: { default: 0, bounds: [0, 1], integer: true, description: 'infection fatality ratio by age: 0 odriscoll2020 as in covasim_pars (excludes care-home deaths, so it understates IFR where care homes were hit), 1 levin2020 (meta-regression of population-wide seroprevalence studies against all COVID-19 deaths: log10 IFR% = -3.27 + 0.0524 age)' },
  communityAgeMixing: { default: 0, bounds: [0, 1], description: 'extra age scaling of community transmission, for populations whose community layer ignores age (1: each agent\'s community contacts scaled by the POLYMOD contacts of its age relative to ages 20-59, mossong2008; 0, the default: the community layer as built; the nyc and synthetic populations already pair community contacts by age (prem2021), so 1 there would count age twice)' },
  ...layerWeightParams({ household: 3, school: 0.6, work: 0.6, community: 0.3, contacts: 1 }, 'covasim_pars beta_layer: hybrid household 3.0, school 0.6, work 0.6, community 0.3; random-population single layer 1.0'),
};

/** Testing and isolation settings. */
export const TESTING_PARAMETERS: Record<string, ParameterSpec> = {
  testsPerDay: { default: 0, bounds: [0, 1e9], description: 'test capacity: tests offered per day (0 = no testing); the number used varies around it and is lower when few people are eligible' },
  testSensitivity: { default: 0.8, bounds: [0, 1], description: 'probability that an infectious person tests positive (openabm_baseline test_sensitivity 0.8); exposed (latent) people test negative' },
  testFalsePositiveRate: { default: 0.001, bounds: [0, 1], description: 'probability that a non-infectious person tests positive (openabm_baseline test_specificity 0.999)' },
  testTurnaround: { default: 2, bounds: [0, 60], integer: true, unit: 'days', description: 'days from test to result; 0 = same day (openabm_baseline test_order_wait 1 + test_result_wait 1)' },
  symptomaticTestWeight: { default: 100, bounds: [0, 1e6], description: 'how many times more likely a symptomatic person is to be tested than another eligible person (covasim_interventions test_num symp_test 100)' },
  costPerTest: { default: 0, bounds: [0, 1e6], unit: 'USD', description: 'cost of one test, counted in the cost metric (0: tests are not costed)' },
  isolationCompliance: { default: 1, bounds: [0, 1], description: 'probability that a person told of a positive result isolates (1: everyone, as in Covasim, where diagnosis always isolates)' },
  isolationDays: { default: 14, bounds: [0, 365], integer: true, unit: 'days', description: 'length of an isolation from the day of the result (covasim_pars quar_period 14)' },
  householdIsolationFactor: { default: 0.3, bounds: [0, 1], description: 'fraction of household transmission that remains while isolated (covasim_pars hybrid household iso_factor 0.3)' },
  otherIsolationFactor: { default: 0.1, bounds: [0, 1], description: 'fraction of school, work, community, contacts and well-mixed transmission that remains while isolated (covasim_pars hybrid school/work/community iso_factor 0.1)' },
};

/** Vaccination settings. */
export const VACCINATION_PARAMETERS: Record<string, ParameterSpec> = {
  dosesPerDay: { default: 0, bounds: [0, 1e9], description: 'vaccine doses that can be given per day (0 = no vaccination); a person gets dosesPerCourse doses on one day, so dosesPerDay / dosesPerCourse people a day on average' },
  vaccineBudget: { default: 0, bounds: [0, 1e15], unit: 'USD', description: 'total money for vaccine doses (0 = no budget limit, only dosesPerDay)' },
  costPerDose: { default: 19.5, bounds: [0, 1e6], unit: 'USD', description: 'price of one dose (pfizer_hhs2020: $1.95 billion for the first 100 million doses)' },
  dosesPerCourse: { default: 2, bounds: [1, 10], integer: true, description: 'doses per person (thomas2021: two BNT162b2 doses)' },
  vaccineEfficacy: { default: 0.95, bounds: [0, 1], description: 'reduction of a vaccinated person\'s susceptibility (polack2020: 95% against symptomatic COVID-19 after two doses, applied here to infection)' },
  vaccinePriority: { default: 1, bounds: [0, 2], integer: true, description: 'order of vaccination: 0 random, 1 oldest first, 2 youngest first (ties in random order)' },
  vaccineMinAge: { default: 0, bounds: [0, 120], integer: true, unit: 'years', description: 'youngest age eligible for vaccination' },
};

/** Every parameter of `epi/covid`. */
export const COVID_PARAMETERS: Record<string, ParameterSpec> = { ...TRANSMISSION_PARAMETERS, ...TESTING_PARAMETERS, ...VACCINATION_PARAMETERS };
