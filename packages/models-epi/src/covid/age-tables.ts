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

/**
 * Infection fatality ratio by age from the meta-regression of levin2020 (Levin AT et al., Eur J
 * Epidemiol 2020, "Assessing the age specificity of infection fatality rates for COVID-19"):
 * log10(IFR in %) = -3.27 + 0.0524 * age, averaged over the whole years of each band (90+: 90-99),
 * capped at the band's probability of severe disease (every death follows severe disease here; the
 * cap binds only at 90+, where the regression extrapolates past most of its data).
 */
export const LEVIN_IFR_PER_INFECTION: readonly number[] = AGE_BANDS.map((_, k) => {
  let total = 0;
  for (let age = 10 * k; age < 10 * k + 10; age++) total += 10 ** (-3.27 + 0.0524 * (age + 0.5)) / 100;
  return Math.min(total / 10, P_SEVERE_PER_INFECTION[k]!);
});

/** The IFR tables selectable with the `severityPreset` parameter, by its value. */
export const IFR_PRESETS = Object.freeze({
  /** 0: O'Driscoll et al. 2021 as used by Covasim (fitted to deaths outside care homes). */
  odriscoll2020: P_DEATH_PER_INFECTION,
  /** 1: Levin et al. 2020 (population-wide seroprevalence studies and deaths). */
  levin2020: LEVIN_IFR_PER_INFECTION,
});

/** The IFR table of a `severityPreset` value (0 odriscoll2020, 1 levin2020). */
export const ifrTable = (preset: number): readonly number[] => (preset === 1 ? LEVIN_IFR_PER_INFECTION : P_DEATH_PER_INFECTION);

/** P(death | severe) by band for a `severityPreset` value. */
export const deathGivenSevere = (preset: number): readonly number[] => ifrTable(preset).map((p, k) => p / P_SEVERE_PER_INFECTION[k]!);

/**
 * Mean daily contacts by age of participant in POLYMOD (mossong2008, Table 1, all eight countries),
 * bands 0-4, 5-9, 10-14, 15-19, 20-29, 30-39, 40-49, 50-59, 60-69, 70+.
 */
export const POLYMOD_CONTACTS: readonly number[] = [10.21, 14.81, 18.22, 17.58, 13.57, 14.14, 13.83, 12.3, 9.21, 6.89];

/** Lower age (years) of each POLYMOD_CONTACTS band. */
export const POLYMOD_BAND_STARTS: readonly number[] = [0, 5, 10, 15, 20, 30, 40, 50, 60, 70];

const polymodAdultMean = (POLYMOD_CONTACTS[4]! + POLYMOD_CONTACTS[5]! + POLYMOD_CONTACTS[6]! + POLYMOD_CONTACTS[7]!) / 4;

/**
 * Community activity by age: POLYMOD contacts of the age's band over the mean of the 20-59 bands
 * (0.51 at 70+, 1.33 at 10-14). With `mixing` in [0, 1] the factor is 1 + mixing * (ratio - 1).
 */
export function communityActivity(age: number, mixing: number): number {
  let band = 0;
  for (let b = 0; b < POLYMOD_BAND_STARTS.length; b++) if (age >= POLYMOD_BAND_STARTS[b]!) band = b;
  return 1 + mixing * (POLYMOD_CONTACTS[band]! / polymodAdultMean - 1);
}
