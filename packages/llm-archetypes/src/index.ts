/**
 * @populace/llm-archetypes: agents grouped into archetypes by their attributes; a chat model is asked
 * once per group (times nArch samples) and the answer is broadcast to every agent of the group as a
 * tensor a behaviour slot consumes. Offline, each archetype's declared prior answers instead.
 */
export { plugin, default } from './plugin.js';
export { ARCHETYPE_AGGREGATES, defineArchetype } from './define-archetype.js';
export type { Archetype, ArchetypeAggregate, ArchetypeInput, ArchetypePrior } from './define-archetype.js';
export { aggregate, ArchetypeBehavior, modelName, PRIOR_SOURCE } from './archetype-behavior.js';
export type { ArchetypeBehaviorOptions, ArchetypeSample, ArchetypeUsage, GroupAnswer, SampleSource } from './archetype-behavior.js';
export { ArchetypeCache } from './archetype-cache.js';
export type { CachedAnswer } from './archetype-cache.js';
export type { FallbackReason } from './ask-model.js';
export type { AgentGroups, BinnedAttribute, GroupBySpec, GroupDimension, GroupLabels } from './group-by.js';
export { extractJson } from './output-schema.js';
export type { OutputSchema } from './output-schema.js';
export { renderTemplate } from './prompt.js';
export { chatModelConfigFromEnv, chatModelFromConfig, chatModelFromEnv, LLM_PROVIDERS, validateChatModelConfig } from './providers.js';
export type { ChatModelConfig, LlmProvider } from './providers.js';
export { COVID_ISOLATION_ATTRIBUTES, COVID_ISOLATION_CONTEXT, covidIsolation, covidIsolationPrior, ISOLATION_ADHERENCE_SMITH_2021, ISOLATION_PRIOR_REFERENCE, midAge } from './covid-isolation.js';
export { LABOR_WORK_ATTRIBUTES, LABOR_WORK_CONTEXT, LABOR_WORK_PRIOR, laborWork, laborWorkPrior } from './labor-work.js';
