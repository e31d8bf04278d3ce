/**
 * The `labor-work` archetype: is a healthy New Yorker with a job willing to go
 * to work this week? Asked per (industry, age band) group of the NYC people, in
 * the context of supplychain/labor's `work` behaviour slot (WORK_CONTEXT,
 * imported); the answer `willWork` replaces the willingBase/fearPerThousand
 * logistic for the group. A declaration (core's defineArchetype: data, a zod
 * schema, a prior): the llm-archetypes plugin contributes it as
 * `llm-archetypes/labor-work`, asking a chat model, or this prior offline.
 */
import { defineArchetype, type BehaviorContext, type GroupLabels } from '@populace/core';
import { z } from 'zod';
import { WORK_CONTEXT } from './labor.js';
import { LABOR_PARAMETERS } from './labor-parameters.js';

/**
 * The NYC people attributes the archetype groups by, as `peopleAttributes(nycMarginals())` of
 * @populace/populations declares them (test/labor-covid.test.ts keeps the two equal; populations is
 * not a dependency of this package).
 */
export const LABOR_WORK_ATTRIBUTES = {
  industry: {
    description: 'industry of the employed', kind: 'category',
    labels: ['not employed', 'agricultureForestryFishingMining', 'construction', 'manufacturing', 'wholesaleTrade', 'retailTrade', 'transportationWarehousingUtilities', 'information', 'financeInsuranceRealEstate', 'professionalScientificManagementAdmin', 'educationHealthSocialAssistance', 'artsEntertainmentAccommodationFood', 'otherServices', 'publicAdministration'],
  },
  ageBand: { description: 'census age band', kind: 'category', labels: ['0-4', '5-9', '10-14', '15-19', '20-24', '25-34', '35-44', '45-54', '55-59', '60-64', '65-74', '75-84', '85+'], ordered: true },
} as const;

/**
 * Parameters of the prior: supplychain/labor's own defaults of willingBase and fearPerThousand
 * (LABOR_PARAMETERS), so that the prior filling the slot and the empty slot run the same. Both are
 * ASSUMPTIONS (see the model's parameter descriptions).
 */
export const LABOR_WORK_PRIOR = Object.freeze({ willingBase: LABOR_PARAMETERS.willingBase.default, fearPerThousand: LABOR_PARAMETERS.fearPerThousand.default });

/**
 * The deterministic prior: logit(willWork) = logit(willingBase) - fearPerThousand x infected per
 * 1,000, the same for every group (the groups are there for a chat model to tell apart).
 */
export function laborWorkPrior(_group: GroupLabels, context: BehaviorContext): { willWork: number } {
  const { willingBase, fearPerThousand } = LABOR_WORK_PRIOR;
  const perThousand = Math.max(0, Number(context.infectedPer100k) || 0) / 100;
  const x = Math.log(willingBase / (1 - willingBase)) - fearPerThousand * perThousand;
  return { willWork: 1 / (1 + Math.exp(-x)) };
}

/**
 * The `labor-work` archetype: groups NYC people by industry and age band, nArch 3, output
 * `{ willWork }` in [0, 1], asked with the work slot's context. `@populace/llm-archetypes` makes
 * behaviours of it (its `laborWork`, or `--behavior work=labor-work`):
 *
 * @example
 * ```ts
 * import { laborWork, chatModelFromEnv } from '@populace/llm-archetypes'; // llmArchetype(laborWorkArchetype)
 * const sim = populace.createSimulation({ model: 'supplychain/labor', population: 'nyc', agents: 20_000, seed: 1 });
 * await sim.ready();
 * sim.useBehavior('work', laborWork.behavior(sim, { model: await chatModelFromEnv() }));
 * ```
 */
export const laborWorkArchetype = defineArchetype({
  id: 'labor-work',
  description: 'probability that a healthy person with a job is willing to go to work this week during an epidemic',
  agentType: 'people',
  attributes: LABOR_WORK_ATTRIBUTES,
  groupBy: ['industry', 'ageBand'],
  context: WORK_CONTEXT,
  prompt: [
    'You are a New York City resident aged {ageBand} with a job in {industry}, and you are not ill.',
    'It is week {week} of a COVID-19 epidemic: {infectedPer100k} people per 100,000 in the city are infected and {isolatedPer100k} per 100,000 are isolating at home.',
    'A stay-at-home order is in force at level {stayAtHome} (0 none, 1 all non-essential businesses closed); if your workplace is open, you may go.',
    'What is the probability that you are willing to go to work this week? Answer with willWork, a number between 0 and 1.',
  ].join('\n'),
  output: z.object({ willWork: z.number().min(0).max(1).describe('probability of being willing to go to work this week') }),
  nArch: 3,
  prior: laborWorkPrior,
});
