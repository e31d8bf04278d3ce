/**
 * Ready-made intervention settings for scenario comparisons: spread them into
 * `params` (`{ ...TEST_PRESETS.rapidAntigen, testsPerDay: 2000 }`).
 */
import { VACCINE_PRIORITY } from './vaccine-priority.js';

/** Test characteristics (sources: ids in data/covid-parameters.json). */
export const TEST_PRESETS = Object.freeze({
  /** RT-PCR: sensitivity 0.8 and specificity 0.999 (openabm_baseline); result in 3 days, the rounded US mean of 2.7 days in September 2020 (covidstates2020). */
  pcr: Object.freeze({ testSensitivity: 0.8, testFalsePositiveRate: 0.001, testTurnaround: 3 }),
  /** Rapid antigen test: pooled sensitivity 0.712 and specificity 0.989 (brummer2021); result the same day (about 15 minutes, wptv2020). */
  rapidAntigen: Object.freeze({ testSensitivity: 0.712, testFalsePositiveRate: 0.011, testTurnaround: 0 }),
  /** The seed brief's option A, a stress-test value, not a literature estimate: 10% false positives, results in 3 days (sensitivity as pcr). */
  seedSlowerMoreSpecific: Object.freeze({ testSensitivity: 0.8, testFalsePositiveRate: 0.1, testTurnaround: 3 }),
  /** The seed brief's option B, a stress-test value: 40% false positives, results in 1 day (sensitivity as pcr). */
  seedFasterLessSpecific: Object.freeze({ testSensitivity: 0.8, testFalsePositiveRate: 0.4, testTurnaround: 1 }),
});

/** Vaccination strategies (the vaccinePriority parameter, with a minimum age where it matters). */
export const VACCINE_PRESETS = Object.freeze({
  oldestFirst: Object.freeze({ vaccinePriority: VACCINE_PRIORITY.oldestFirst, vaccineMinAge: 0 }),
  youngestAdultsFirst: Object.freeze({ vaccinePriority: VACCINE_PRIORITY.youngestFirst, vaccineMinAge: 18 }),
  random: Object.freeze({ vaccinePriority: VACCINE_PRIORITY.random, vaccineMinAge: 0 }),
});
