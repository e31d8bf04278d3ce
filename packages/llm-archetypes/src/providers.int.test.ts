/**
 * Against a real chat model (opt-in; `*.int.test.ts` files are not part of `npm test`):
 *
 *   POPULACE_LLM_PROVIDER=ollama POPULACE_LLM_MODEL=llama3.2 npm run test:int -- packages/llm-archetypes
 *
 * (or openai / anthropic with their keys, or llama-cpp with POPULACE_LLAMA_MODEL_PATH; the provider's
 * package must be installed). Skipped when POPULACE_LLM_PROVIDER is unset. It asks the covid-isolation
 * archetype about a small NYC population and checks that the answers came from the model, are valid
 * probabilities, and that the same context is answered from the cache.
 */
import { createRuntime } from '@populace/core';
import epi from '@populace/models-epi';
import populations from '@populace/populations';
import { describe, expect, it } from 'vitest';
import { covidIsolation } from './model-archetypes.js';
import { chatModelFromEnv } from './providers.js';

const provider = process.env.POPULACE_LLM_PROVIDER;

describe.skipIf(!provider)(`covid-isolation with the ${provider ?? 'configured'} chat model`, () => {
  it('asks once per group x sample, validates, caches', async () => {
    const model = await chatModelFromEnv(process.env);
    expect(model).toBeDefined();
    const runtime = createRuntime({ plugins: [populations, epi], backend: 'cpu' });
    const sim = runtime.createSimulation({ model: 'epi/covid', population: 'nyc', agents: 2000, seed: 1 });
    try {
      await sim.ready();
      const behavior = covidIsolation.behavior(sim, { model: model!, maxConcurrency: 2, timeoutMs: 120_000 });
      const context = { day: 7, week: 2, positivesPer100kLastWeek: 150, isolationDays: 10 };
      const values = await behavior.sample(context);
      const data = values.dataSync();
      values.dispose();
      expect(data.every((v) => v >= 0 && v <= 1)).toBe(true);
      const first = behavior.usage();
      const groups = behavior.lastAnswers().length;
      expect(first.calls).toBeGreaterThanOrEqual(groups * covidIsolation.nArch);
      expect(first.fallbacks).toBeLessThan(groups * covidIsolation.nArch); // most answers came from the model
      (await behavior.sample(context)).dispose();
      expect(behavior.usage().calls).toBe(first.calls);
      expect(behavior.usage().cacheHits).toBeGreaterThanOrEqual(groups * covidIsolation.nArch);
    } finally {
      sim.dispose();
    }
  }, 600_000);
});
