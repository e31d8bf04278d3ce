/**
 * `epi/covid` and the builder that composes it from the disease substep and
 * any of the intervention substeps.
 */
import { defineModel, PopulaceError, type SubstepDefinition } from '@populace/core';
import { disease } from './disease.js';
import { ISOLATION_SLOT, isolation } from './isolation.js';
import { COVID_METRICS } from './metrics.js';
import { COVID_PARAMETERS } from './parameters.js';
import { COVID_STATE } from './state.js';
import { testing } from './testing.js';
import { vaccination } from './vaccination.js';

/** The inputs of `epi/covid`: series it reads each day, from data or from another model's metric in a composed run. */
export const COVID_INPUTS = Object.freeze({
  workActivity: {
    description: "share of the work layer's contacts that take place today (scales the work layer's transmission weight; 1: as in the population; e.g. supplychain/labor's workMobility in a composed run, linked with '@-1')",
    unit: 'share',
    default: 1,
  },
});

/** The intervention substeps, in the order they run each day (before the disease substep). */
export const INTERVENTIONS = { vaccination, testing, isolation } as const;

/** Name of an intervention substep. */
export type InterventionName = keyof typeof INTERVENTIONS;

/** What `covidModel` builds: its id and which interventions it includes. */
export interface CovidModelOptions<Id extends string> {
  /** Model id (default 'covid'). */
  readonly id?: Id;
  /** Interventions to include (default all three); the others' metrics stay 0. */
  readonly interventions?: readonly InterventionName[];
}

/**
 * Builds a COVID-19 model: the disease substep preceded by the chosen interventions, in the order
 * vaccination, testing, isolation (so a same-day result isolates before transmission).
 *
 * @example
 * ```ts
 * const vaccineOnly = covidModel({ id: 'covid-vaccine', interventions: ['vaccination'] });
 * const epi = definePlugin({ name: 'my-epi', version: '1.0.0', models: [vaccineOnly] });
 * ```
 */
export function covidModel<const Id extends string = 'covid'>(options: CovidModelOptions<Id> = {}) {
  const chosen = options.interventions ?? (Object.keys(INTERVENTIONS) as InterventionName[]);
  for (const name of chosen) {
    if (!(name in INTERVENTIONS)) {
      throw new PopulaceError('invalid-argument', `covidModel: unknown intervention ${JSON.stringify(name)}; expected some of [${Object.keys(INTERVENTIONS).join(', ')}].`);
    }
  }
  const substeps: SubstepDefinition<any, any>[] = (Object.keys(INTERVENTIONS) as InterventionName[]).filter((n) => chosen.includes(n)).map((n) => INTERVENTIONS[n]);
  return defineModel({
    id: (options.id ?? 'covid') as Id,
    description: 'COVID-19 SEIRM (age-stratified susceptibility, symptoms, severity and death; staged latent and infectious periods; weekly R, the realised reproduction number on the population) over the population contact layers or well-mixed, with testing, isolation and vaccination',
    state: COVID_STATE,
    parameters: COVID_PARAMETERS,
    substeps: [...substeps, disease],
    metrics: COVID_METRICS,
    inputs: COVID_INPUTS,
    defaultAgents: 10_000,
    // Susceptibility, severity, death and vaccine priority are by age: a population without ages would run everyone at one age.
    needs: { attributes: { people: { age: { description: 'age in years (susceptibility, severity, death and vaccine priority are by age)' } } } },
    ...(chosen.includes('isolation') ? { behaviors: { isolation: ISOLATION_SLOT } } : {}),
  });
}

/** `epi/covid` with all interventions (each off until its parameters turn it on). */
export const covid = covidModel();
