import { describe, expect, it } from 'vitest';
import { examplePlugin } from './examples/plugin.js';
import { createRuntime } from './runtime.js';

const runtime = createRuntime({ plugins: [examplePlugin], backend: 'cpu' });
const OPTS = { model: 'network-sir', population: 'random-graph', agents: 3000, seed: 4, params: { beta: 0.08, seedFraction: 0.01 } } as const;

async function metricsOf(extra: Record<string, unknown> = {}) {
  const sim = runtime.createSimulation({ ...OPTS, ...extra });
  try {
    return (await sim.run({ steps: 15 })).metrics;
  } finally {
    sim.dispose();
  }
}

describe('createSimulation({ populationData })', () => {
  it('runs on data built elsewhere exactly as on its own build (data, or a function called once)', async () => {
    const own = await metricsOf();
    const data = await runtime.populations.get('random-graph').definition.build({ agents: OPTS.agents, seed: OPTS.seed });
    expect(await metricsOf({ populationData: data })).toEqual(own);
    let calls = 0;
    const later = () => {
      calls += 1;
      return Promise.resolve(data);
    };
    expect(await metricsOf({ populationData: later })).toEqual(own);
    expect(calls).toBe(1);
    // other data (another seed's graph) gives another run: the data is what the simulation uses
    const other = await runtime.populations.get('random-graph').definition.build({ agents: OPTS.agents, seed: 99 });
    expect(await metricsOf({ populationData: other })).not.toEqual(own);
  });

  it('validates the data like a build, and needs the population it stands for', async () => {
    const bad = { agents: { people: { count: 3000 } }, networks: { contacts: { agents: 'people', rowPtr: new Int32Array(3001), colIdx: new Int32Array(5) } } };
    const sim = runtime.createSimulation({ ...OPTS, populationData: bad as never });
    await expect(sim.ready()).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining("population 'example/random-graph' built invalid data at networks.contacts.rowPtr") });
    sim.dispose();
    expect(() => runtime.createSimulation({ model: 'network-sir', agents: 10, populationData: { agents: {} } })).toThrow(/populationData expected a population too/);
    expect(() => runtime.createSimulation({ ...OPTS, populationData: 5 as never })).toThrow(/populationData expected built population data/);
    const failing = runtime.createSimulation({ ...OPTS, populationData: () => Promise.reject(new Error('worker gone')) });
    await expect(failing.ready()).rejects.toThrow('worker gone');
    failing.dispose();
  });
});
