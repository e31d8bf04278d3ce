/**
 * Output schemas of the tools that expose @populace/analyzer's functions
 * (describe_population, population_stats, search_documents, counterfactual)
 * and of `ask`. Their INPUT schemas are the analyzer's own (one source of
 * truth); these describe what the functions return, after JSON (non-finite
 * numbers are null).
 */
import { DOCUMENT_KINDS, STATS, SUMMARIES } from '@populace/analyzer';
import { z } from 'zod';
import { maybeNumber, paramValue } from './schemas.js';

/** One declared attribute of an agent type. */
export const attributeInfo = z.object({
  description: z.string(),
  kind: z.enum(['category', 'number', 'id']),
  labels: z.array(z.string()).optional(),
  ordered: z.boolean().optional(),
  unit: z.string().optional(),
});

/** describe_population: core's PopulationDescription. */
export const populationDescriptionOutput = {
  id: z.string(),
  plugin: z.string(),
  description: z.string(),
  defaultAgents: z.number(),
  maxAgents: z.number(),
  agentTypes: z.array(z.string()),
  networks: z.array(z.string()),
  attributes: z.record(z.string(), z.record(z.string(), attributeInfo)),
};

/** A statistic's value: a number, a label, counts or shares by label, or null. */
const statValue = z.union([z.number(), z.string(), z.record(z.string(), maybeNumber), z.null()]);
/** A group: its label per groupBy attribute. */
const group = z.record(z.string(), z.string());
const rankedGroup = z.object({ rank: z.number(), group, value: maybeNumber, label: z.string().nullable(), count: z.number() });

/** population_stats: the analyzer's PopulationStatsResult. */
export const populationStatsOutput = {
  population: z.string(),
  agentType: z.string(),
  agents: z.number(),
  seed: z.number(),
  total: z.number(),
  outsideBins: z.number(),
  groupBy: z.array(z.string()),
  where: z.record(z.string(), z.union([z.object({ labels: z.array(z.string()) }), z.object({ values: z.array(z.number()) }), z.object({ min: maybeNumber, max: maybeNumber })])),
  rows: z.array(z.object({ group, count: z.number(), share: maybeNumber, measures: z.record(z.string(), z.record(z.string(), statValue)) })),
  ranking: z
    .object({
      attribute: z.string(),
      stat: z.enum(STATS),
      order: z.enum(['ascending', 'descending']),
      by: z.string(),
      entries: z.array(rankedGroup),
      lowest: rankedGroup,
      highest: rankedGroup,
      tiedAtTop: z.boolean(),
    })
    .nullable(),
  attributes: z.record(z.string(), z.object({ kind: z.enum(['category', 'number', 'id']), ordered: z.boolean(), description: z.string(), unit: z.string().nullable(), labels: z.array(z.string()) })),
  notes: z.array(z.string()),
};

/** search_documents: the analyzer's SearchDocumentsResult. */
export const searchDocumentsOutput = {
  query: z.string(),
  results: z.array(z.object({ id: z.string(), kind: z.enum(DOCUMENT_KINDS), title: z.string(), score: maybeNumber, text: z.string(), truncated: z.boolean() })),
};

/** counterfactual: the analyzer's CounterfactualResult. */
export const counterfactualOutput = {
  sweepId: z.string(),
  model: z.string(),
  population: z.string().nullable(),
  agents: z.number(),
  steps: z.number(),
  seeds: z.array(z.number()),
  baselineRunIds: z.array(z.string()),
  counterfactualRunIds: z.array(z.string()),
  baselineParams: z.record(z.string(), paramValue),
  counterfactualParams: z.record(z.string(), paramValue),
  changed: z.record(z.string(), z.object({ baseline: paramValue, counterfactual: paramValue })),
  confidence: z.number(),
  method: z.string(),
  rows: z.array(
    z.object({
      metric: z.string(),
      summary: z.enum(SUMMARIES),
      baselineMean: maybeNumber,
      counterfactualMean: maybeNumber,
      differenceMean: maybeNumber,
      differenceLow: maybeNumber,
      differenceHigh: maybeNumber,
      differenceSd: maybeNumber,
      relativeDifference: maybeNumber,
      n: z.number(),
      baselineValues: z.array(maybeNumber),
      counterfactualValues: z.array(maybeNumber),
    }),
  ),
  notes: z.array(z.string()),
};

/** ask: the analyzer's answer with its evidence (the conversation itself is left out). */
export const askOutput = {
  answer: z.string(),
  stopReason: z.enum(['answer', 'max-iterations']),
  iterations: z.number(),
  usage: z.object({ llmCalls: z.number(), inputTokens: z.number(), outputTokens: z.number(), totalTokens: z.number() }),
  evidence: z.array(
    z.object({
      tool: z.string(),
      args: z.unknown(),
      ok: z.boolean(),
      result: z.unknown().optional(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
      ms: z.number(),
      iteration: z.number(),
      toolCallId: z.string(),
    }),
  ),
};
