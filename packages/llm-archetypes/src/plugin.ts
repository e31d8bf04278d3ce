/**
 * The `llm-archetypes` plugin: the archetypes this package contributes, as a plain list.
 */
import { definePlugin } from '@populace/core';
import { covidIsolation, laborWork } from './model-archetypes.js';

/**
 * The LLM-archetypes plugin: `llm-archetypes/covid-isolation` (fills epi/covid's `isolation` slot) and
 * `llm-archetypes/labor-work` (fills supplychain/labor's `work` slot).
 *
 * @example
 * ```ts
 * import { createRuntime } from '@populace/core';
 * import archetypes from '@populace/llm-archetypes';
 * const runtime = createRuntime({ plugins: [archetypes] });
 * runtime.archetypes.get('covid-isolation').definition;   // the covid-isolation archetype
 * ```
 */
export const plugin = definePlugin({
  name: 'llm-archetypes',
  version: '0.1.0',
  description: 'LLM archetypes: ask a chat model once per group of agents (times nArch samples) and broadcast the answers; offline priors when there is no model',
  archetypes: [covidIsolation, laborWork],
});

export default plugin;
