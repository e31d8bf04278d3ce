/**
 * @populace/llm-archetypes: agents grouped into archetypes by their attributes; a chat model is asked
 * once per group (times nArch samples) and the answer is broadcast to every agent of the group as a
 * tensor a behaviour slot consumes. Offline, each archetype's declared prior answers instead.
 */
export { plugin, default } from './plugin.js';
export { defineArchetype, llmArchetype } from './define-archetype.js';
export type { Archetype } from './define-archetype.js';
export { ARCHETYPE_AGGREGATES, renderTemplate } from '@populace/core';
export type { ArchetypeAggregate, ArchetypeDefinition, ArchetypeInput, ArchetypePrior, BinnedAttribute, GroupBySpec, GroupDimension, GroupLabels } from '@populace/core';
export { aggregate, ArchetypeBehavior, modelName, PRIOR_SOURCE } from './archetype-behavior.js';
export type { ArchetypeBehaviorOptions, ArchetypeSample, ArchetypeUsage, GroupAnswer, SampleSource } from './archetype-behavior.js';
export { ArchetypeCache } from './archetype-cache.js';
export type { CachedAnswer } from './archetype-cache.js';
export type { FallbackReason } from './ask-model.js';
export type { AgentGroups } from './group-by.js';
export { extractJson } from './output-schema.js';
export type { OutputSchema } from './output-schema.js';
export { chatModelConfigFromEnv, chatModelFromConfig, chatModelFromEnv, LLM_PROVIDERS, validateChatModelConfig } from './providers.js';
export type { ChatModelConfig, LlmProvider } from './providers.js';
export { covidIsolation, laborWork } from './model-archetypes.js';
