/**
 * The covid-isolation archetype (declared by @populace/models-epi, its prior tested there): its
 * attributes match what @populace/populations really provides, the plugin contributes it under its
 * name, and it fills epi/covid's isolation slot: model calls = distinct contexts x groups x nArch, and
 * a model that always answers 1 reproduces isolationCompliance = 1 bit for bit.
 */
import { createRuntime, sensitivity, type Behavior, type BehaviorContext } from '@populace/core';
import epi, { COVID_ISOLATION_ATTRIBUTES, covidIsolationArchetype, covidIsolationPrior } from '@populace/models-epi';
import populations, { nycMarginals, peopleAttributes } from '@populace/populations';
import { describe, expect, it } from 'vitest';
import { ScriptedChatModel, groupValue } from './chat-models.fixture.js';
import { covidIsolation } from './model-archetypes.js';
import archetypes from './plugin.js';

const runtime = createRuntime({ plugins: [populations, epi, archetypes], backend: 'cpu' });
const PARAMS = { testsPerDay: 300, testTurnaround: 1, isolationDays: 7, seedInfections: 60 };
describe('covid-isolation declarations', () => {
  it('groups by attributes exactly as the NYC population declares them; the plugin contributes the declaration of epi/covid', () => {
    const nyc = peopleAttributes(nycMarginals());
    for (const [name, info] of Object.entries(COVID_ISOLATION_ATTRIBUTES)) expect(info).toEqual(nyc[name]);
    const registered = runtime.archetypes.get('covid-isolation');
    expect(registered.id).toBe('llm-archetypes/covid-isolation');
    expect(registered.definition).toBe(covidIsolation);
    const { behavior: _behavior, ...declared } = covidIsolation;
    expect(declared).toEqual(covidIsolationArchetype);
  });
});

/** Records the contexts a behaviour is asked with. */
function recording(inner: Behavior): Behavior & { contexts: BehaviorContext[] } {
  const contexts: BehaviorContext[] = [];
  return { id: inner.id, agentType: inner.agentType, differentiable: false, contexts, sample: (c) => (contexts.push(c), inner.sample(c)) };
}

async function run(fill?: 'model-1' | 'by-group' | 'prior') {
  const sim = runtime.createSimulation({ model: 'epi/covid', population: 'nyc', agents: 5000, seed: 2, params: { ...PARAMS, isolationCompliance: fill ? 0.5 : 1 } });
  try {
    await sim.ready();
    const table = sim.agentTable('people');
    const groups = new Set(Array.from({ length: table.count }, (_, i) => `${table.attributes!.ageBand![i]}|${table.attributes!.employed![i]}`)).size;
    const model =
      fill === 'model-1'
        ? new ScriptedChatModel({ script: () => '{"willIsolate": 1}' })
        : fill === 'by-group'
          ? new ScriptedChatModel({ script: ({ human }) => {
              const m = /aged (\S+), (not employed|employed)/.exec(human)!;
              return JSON.stringify({ willIsolate: groupValue(m[1]!, m[2]!) });
            } })
          : undefined;
    const behavior = fill ? covidIsolation.behavior(sim, { model }) : undefined;
    const rec = behavior && recording(behavior);
    if (rec) sim.useBehavior('isolation', rec);
    const { metrics } = await sim.run({ steps: 21 });
    return { metrics, groups, contexts: rec?.contexts ?? [], usage: behavior?.usage(), model, behavior };
  } finally {
    sim.dispose();
  }
}

describe('covid-isolation fills epi/covid isolation slot', () => {
  it('asks distinct contexts x groups x nArch questions, and answers of 1 equal isolationCompliance 1', async () => {
    const viaModel = await run('model-1');
    const viaParam = await run();
    expect(viaModel.contexts.length).toBeGreaterThan(3);
    // the prompt uses week, positives and isolationDays, not day: days of one week share their answers
    const distinct = new Set(viaModel.contexts.map((c) => `${c.week}|${c.positivesPer100kLastWeek}|${c.isolationDays}`)).size;
    expect(distinct).toBeLessThan(viaModel.contexts.length);
    expect(viaModel.groups).toBeGreaterThan(20); // age bands x employment, minus the employed children that do not exist
    expect(viaModel.usage).toMatchObject({ calls: distinct * viaModel.groups * 3, cacheHits: (viaModel.contexts.length - distinct) * viaModel.groups * 3, fallbacks: 0 });
    expect(viaModel.metrics).toEqual(viaParam.metrics);
    expect(viaParam.metrics.positives!.reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
  });

  it('per-group answers change who isolates; the prior runs offline and says so', async () => {
    const byGroup = await run('by-group');
    const viaParam = await run();
    // groupValue is 0-0.9, far below 1: fewer people isolate than with compliance 1
    const isolated = (m: Record<string, number[]>) => m.isolated!.reduce((a, b) => a + b, 0);
    expect(isolated(byGroup.metrics)).toBeLessThan(isolated(viaParam.metrics));
    const prior = await run('prior');
    expect(prior.behavior!.id).toBe('covid-isolation via prior (not an LLM)');
    expect(prior.usage).toMatchObject({ source: 'prior (not an LLM)', calls: 0 });
    const answers = prior.behavior!.lastAnswers();
    expect(answers.length).toBe(prior.groups);
    const last = prior.contexts.at(-1)!;
    for (const g of answers) expect(g.value).toBeCloseTo(covidIsolationPrior(g.group, last).willIsolate, 6);
  });

  it('is data, not differentiable: sensitivity through it fails with core\'s asynchronous-substep error', async () => {
    const sim = runtime.createSimulation({ model: 'epi/covid', population: 'nyc', agents: 2000, seed: 2, params: { ...PARAMS, testTurnaround: 0 } });
    try {
      await sim.ready();
      const behavior = covidIsolation.behavior(sim);
      expect(behavior.differentiable).toBe(false);
      sim.useBehavior('isolation', behavior);
      await expect(sensitivity(sim, { output: 'deaths:sum', steps: 5 })).rejects.toThrow(/acted asynchronously/);
    } finally {
      sim.dispose();
    }
  });
});
