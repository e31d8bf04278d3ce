/**
 * The `covid-isolation` archetype: will a person told of a positive COVID-19
 * test isolate? Asked per (age band, employment) group of the NYC people, in
 * the context of the `isolation` behaviour slot (ISOLATION_CONTEXT, imported);
 * the answer `willIsolate` replaces isolationCompliance for the group's agents.
 * A declaration (core's defineArchetype: data, a zod schema, a prior): the
 * llm-archetypes plugin contributes it as `llm-archetypes/covid-isolation`,
 * asking a chat model, or this prior offline.
 */
import { defineArchetype, type BehaviorContext, type GroupLabels } from '@populace/core';
import { z } from 'zod';
import { ISOLATION_CONTEXT } from './isolation.js';

/**
 * The NYC people attributes the archetype groups by, as `peopleAttributes(nycMarginals())` of
 * @populace/populations declares them (covid-isolation.test.ts of llm-archetypes keeps the two equal;
 * populations is not a dependency of this package). Other populations' labels are read from the built population.
 */
export const COVID_ISOLATION_ATTRIBUTES = {
  ageBand: { description: 'census age band', kind: 'category', labels: ['0-4', '5-9', '10-14', '15-19', '20-24', '25-34', '35-44', '45-54', '55-59', '60-64', '65-74', '75-84', '85+'], ordered: true },
  employed: { description: 'employed (adults by age-specific employment rates)', kind: 'category', labels: ['not employed', 'employed'] },
} as const;

/**
 * Base level of the prior: self-reported full adherence to self-isolation, 42.5%,
 * in Smith LE, Potts HWW, Amlot R, Fear NT, Michie S, Rubin GJ, "Adherence to the test, trace, and
 * isolate system in the UK: results from 37 nationally representative surveys", BMJ 2021;372:n608.
 * It is the prior's value for the reference person and context below.
 */
export const ISOLATION_ADHERENCE_SMITH_2021 = 0.425;

/** Reference of the prior: the context and person at which it equals the base level. */
export const ISOLATION_PRIOR_REFERENCE = { positivesPer100kLastWeek: 100, isolationDays: 10, age: 40 } as const;

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Mid age of an age-band label ('25-34' -> 29.5, '85+' -> 87.5); the reference age when unreadable. */
export function midAge(label: string | undefined): number {
  const range = /^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*$/.exec(label ?? '');
  if (range) return (Number(range[1]) + Number(range[2])) / 2;
  const open = /^\s*(\d+(?:\.\d+)?)\s*\+\s*$/.exec(label ?? '');
  if (open) return Number(open[1]) + 2.5;
  return ISOLATION_PRIOR_REFERENCE.age;
}

/**
 * The deterministic prior: a logistic function of the group and the context, anchored at the
 * published base level (ISOLATION_ADHERENCE_SMITH_2021) for the reference person and context. The
 * directions follow Smith et al. 2021 (younger people, and those for whom isolating costs work and
 * income, adhered less); more cases raise it and longer isolations lower it. The SHAPE and the
 * coefficients below are illustrative, not fitted to data.
 */
export function covidIsolationPrior(group: GroupLabels, context: BehaviorContext): { willIsolate: number } {
  const ref = ISOLATION_PRIOR_REFERENCE;
  const cases = Math.max(0, Number(context.positivesPer100kLastWeek) || 0);
  const days = Number(context.isolationDays);
  const age = Math.min(Math.max(midAge(group.ageBand), 18), 80); // children: their parents decide
  const employment = group.employed === 'employed' ? -0.25 : group.employed === 'not employed' ? 0.25 : 0;
  const x =
    logit(ISOLATION_ADHERENCE_SMITH_2021) +
    0.3 * Math.log2((cases + 25) / (ref.positivesPer100kLastWeek + 25)) + // illustrative: +0.3 per doubling of cases
    -0.06 * ((Number.isFinite(days) ? days : ref.isolationDays) - ref.isolationDays) + // illustrative: -0.06 per extra day
    0.015 * (age - ref.age) + // illustrative: +0.15 per decade of age
    employment; // illustrative: isolating costs the employed work and income
  return { willIsolate: sigmoid(x) };
}

/**
 * The `covid-isolation` archetype: groups NYC people by age band and employment, nArch 3, output
 * `{ willIsolate }` in [0, 1], asked with the isolation slot's context. `@populace/llm-archetypes`
 * makes behaviours of it (its `covidIsolation`, or `--behavior isolation=covid-isolation`):
 *
 * @example
 * ```ts
 * import { covidIsolation, chatModelFromEnv } from '@populace/llm-archetypes'; // llmArchetype(covidIsolationArchetype)
 * const sim = populace.createSimulation({ model: 'epi/covid', population: 'nyc', agents: 100_000, seed: 1, params: { testsPerDay: 2000 } });
 * await sim.ready();
 * sim.useBehavior('isolation', covidIsolation.behavior(sim, { model: await chatModelFromEnv() }));
 * ```
 */
export const covidIsolationArchetype = defineArchetype({
  id: 'covid-isolation',
  description: 'probability that a person told of a positive COVID-19 test isolates for the whole period',
  agentType: 'people',
  attributes: COVID_ISOLATION_ATTRIBUTES,
  groupBy: ['ageBand', 'employed'],
  context: ISOLATION_CONTEXT,
  prompt: [
    'You are a New York City resident aged {ageBand}, {employed} (for a child, answer as the parent who decides).',
    'It is week {week} of a COVID-19 epidemic; last week {positivesPer100kLastWeek} people per 100,000 in the city tested positive.',
    'You have just been told that your test is positive, and you are asked to isolate at home for {isolationDays} days: no work, school, shopping or visits.',
    'What is the probability that you fully isolate for the whole period? Answer with willIsolate, a number between 0 and 1.',
  ].join('\n'),
  output: z.object({ willIsolate: z.number().min(0).max(1).describe('probability of isolating for the whole period') }),
  nArch: 3,
  prior: covidIsolationPrior,
});
