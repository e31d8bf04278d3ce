/**
 * Age-stratified COVID-19 natural history, transcribed from
 * data/covid-parameters.json (source ids in brackets refer to its `sources`;
 * age-tables.test.ts checks every number against the file).
 *
 * Ten 10-year age bands: 0-9, 10-19, ..., 80-89, 90+.
 */

/** Upper age (exclusive) of each band but the last: band k holds ages [10k, 10k + 10), band 9 is 90+. */
export const AGE_BANDS = ['0-9', '10-19', '20-29', '30-39', '40-49', '50-59', '60-69', '70-79', '80-89', '90+'] as const;

/** The band index (0..9) of an age in years. */
export const ageBand = (age: number): number => Math.min(AGE_BANDS.length - 1, Math.max(0, Math.floor(age / 10)));

/** Relative susceptibility to infection by age (odds ratios vs ages 20-59) [covasim_pars, sus_ORs, after zhang2020]. */
export const RELATIVE_SUSCEPTIBILITY: readonly number[] = [0.34, 0.67, 1.0, 1.0, 1.0, 1.0, 1.24, 1.47, 1.47, 1.47];

/** Probability that an infection is symptomatic, by age [covasim_pars, symp_probs]. */
export const P_SYMPTOMATIC: readonly number[] = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.9];

/** Probability per infection of severe (hospital-level) disease, by age [covasim_pars, severe_probs, from ferguson2020_table]. */
export const P_SEVERE_PER_INFECTION: readonly number[] = [0.0005, 0.00165, 0.0072, 0.0208, 0.0343, 0.0765, 0.1328, 0.20655, 0.2457, 0.2457];

/** Infection fatality ratio by age [covasim_pars, death_probs, from odriscoll2020; 90+ from Brazeau et al. as cited there]. */
export const P_DEATH_PER_INFECTION: readonly number[] = [0.00002, 0.00002, 0.0001, 0.00032, 0.00098, 0.00265, 0.00766, 0.02439, 0.08292, 0.1619];

/** Probability of severe disease given a symptomatic infection (severe / symptomatic; every severe case is symptomatic). */
export const P_SEVERE_GIVEN_SYMPTOMATIC: readonly number[] = P_SEVERE_PER_INFECTION.map((p, k) => p / P_SYMPTOMATIC[k]!);

/** Probability of death given severe disease (death / severe; every death follows severe disease, as in Covasim). */
export const P_DEATH_GIVEN_SEVERE: readonly number[] = P_DEATH_PER_INFECTION.map((p, k) => p / P_SEVERE_PER_INFECTION[k]!);

/** Age (years) assumed for agents of a population without an `age` attribute (or without a population). */
export const FALLBACK_AGE = 40;
