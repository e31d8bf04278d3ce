/**
 * Parameters of `supplychain/labor`, each default with its source or marked
 * as an assumption or as fitted by hand to the NYC figures of LABOR_FACTS.
 */
import type { ParameterSpec } from '@populace/core';
import { LABOR_FACTS as F } from './labor-data.js';

/**
 * The parameter declarations of `supplychain/labor`.
 *
 * @example
 * ```ts
 * LABOR_PARAMETERS.baseUnemployment.default; // 0.042, NYC in March 2020
 * ```
 */
export const LABOR_PARAMETERS = Object.freeze({
  baseUnemployment: {
    default: F.unemploymentMarch2020.value, bounds: [0, 0.5], unit: 'share',
    description: `unemployment rate at step 0: the NYC rate of March 2020, ${F.unemploymentMarch2020.value * 100}% (${F.unemploymentMarch2020.source}). The unemployed at step 0 are not agents: the labour force is the employed agents over (1 - baseUnemployment)`,
  },
  layoffRate: {
    default: 0.025, bounds: [0, 1], learnable: true, unit: '1/day',
    description: "daily hazard of losing one's job for a job a full stay-at-home order stops (a worker's hazard is layoffRate x stayAtHome x the industry's closed share). Fitted by hand to the NYC unemployment rates of April-June 2020 (LABOR_FACTS), not a published figure",
  },
  rehireRate: {
    default: 0.05, bounds: [0, 1], learnable: true, unit: '1/day',
    description: 'daily rate at which a worker without a job is hired back, times the share of their industry open (1 - stayAtHome x closed share) and their willingness to work. Fitted by hand with layoffRate to the NYC unemployment rates of April-June 2020 (LABOR_FACTS), not a published figure',
  },
  quitRate: {
    default: 0.01, bounds: [0, 1], learnable: true, unit: '1/day',
    description: 'daily hazard of leaving a job for a worker who has lost all willingness to work (the hazard is quitRate x (1 - willingness / willingBase), 0 at or above willingBase; assumption)',
  },
  willingBase: {
    default: 0.98, bounds: [0.01, 0.999], learnable: true, unit: 'share',
    description: 'willingness to work of a healthy worker with no epidemic around (the default of the `work` behaviour slot; assumption)',
  },
  fearPerThousand: {
    default: 0.05, bounds: [0, 5], learnable: true, unit: '1/(infected per 1,000)',
    description: 'fall of the log-odds of willingness to work per person infected per 1,000 people (the default of the `work` behaviour slot; assumption)',
  },
  sickAbsence: {
    default: 0.6, bounds: [0, 1], learnable: true, unit: 'share',
    description: 'share of the infected (the `infected` input) too ill to work; the isolating (the `isolated` input) do not work either (assumption: about the symptomatic share)',
  },
  claimShare: {
    default: 1, bounds: [0, 5], learnable: true, unit: 'claims/job lost',
    description: `initial unemployment claims per job lost (assumption: one each; layoffs and rehires both churn, so a worker may claim more than once). Compare with the ${F.claimsMarchToJune2020.value / 1e6}M new claims NYC residents filed from mid-March to June 2020 (${F.claimsMarchToJune2020.source})`,
  },
} satisfies Record<string, ParameterSpec>);
