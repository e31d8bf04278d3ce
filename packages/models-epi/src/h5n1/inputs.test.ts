import { createRuntime, definePlugin, definePopulation, PopulaceError, type PopulationData } from '@populace/core';
import { checkPluginConformance } from '@populace/core/testing';
import { describe, expect, it } from 'vitest';
import { h5n1 } from './model.js';
import { h5n1Sim, h5n1TestPlugin } from './runtime.fixture.js';

async function rejection(run: () => Promise<unknown>): Promise<PopulaceError> {
  try {
    await run();
  } catch (error) {
    expect(PopulaceError.isInstance(error)).toBe(true);
    return error as PopulaceError;
  }
  throw new Error('expected a PopulaceError');
}

describe('epi/h5n1 inputs', () => {
  it('rejects out-of-bounds parameters (negative delays and rates, probabilities above 1) with the bounds and the value', () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ farmToFarmRate: -0.1 }, 'param-out-of-bounds', /'farmToFarmRate': expected a value within \[0, 10\], received -0.1/],
      [{ wildBirdRate: -1e-4 }, 'param-out-of-bounds', /'wildBirdRate': expected a value within \[0, 1\], received -0.0001/],
      [{ spilloverRate: 1.5 }, 'param-out-of-bounds', /'spilloverRate': expected a value within \[0, 1\], received 1.5/],
      [{ humanToHumanRate: -0.5 }, 'param-out-of-bounds', /'humanToHumanRate'.*received -0.5/],
      [{ humanRecovery: 2 }, 'param-out-of-bounds', /'humanRecovery'.*\[0, 1\], received 2/],
      [{ detectionDelay: -1 }, 'param-out-of-bounds', /'detectionDelay': expected a value within \[1, 365\], received -1/],
      [{ detectionDelay: 0 }, 'param-out-of-bounds', /'detectionDelay'.*received 0/],
      [{ cullingDelay: -2 }, 'param-out-of-bounds', /'cullingDelay': expected a value within \[0, 365\], received -2/],
      [{ restockDays: 0 }, 'param-out-of-bounds', /'restockDays'.*\[1, 3650\], received 0/],
      [{ detectionDelay: 2.5 }, 'invalid-param', /'detectionDelay': expected a whole number, received 2.5/],
      [{ startDay: 365 }, 'param-out-of-bounds', /'startDay'.*\[0, 364\], received 365/],
      [{ pressureMississippi: -1 }, 'param-out-of-bounds', /'pressureMississippi'/],
      [{ detectonDelay: 3 }, 'unknown-param', /no parameter 'detectonDelay'. Did you mean 'detectionDelay'\?/],
    ];
    for (const [params, code, message] of cases) {
      let caught: unknown;
      try {
        h5n1Sim({ farms: 50, params });
      } catch (error) {
        caught = error;
      }
      expect(PopulaceError.isInstance(caught), JSON.stringify(params)).toBe(true);
      expect((caught as PopulaceError).code).toBe(code);
      expect((caught as PopulaceError).message).toMatch(message);
    }
  });

  it('rejects more seeded farms than farms when the simulation is built', async () => {
    const error = await rejection(() => h5n1Sim({ farms: 50, params: { seedFarms: 51 } }).run({ steps: 1 }));
    expect(error.code).toBe('invalid-param');
    expect(error.message).toMatch(/'seedFarms': expected at most the number of farms \(50\), received 51/);
  });

  it('rejects populations whose farm or people attributes are out of range', async () => {
    const farms = (attrs: Record<string, number[]>, people?: PopulationData['agents'][string]): PopulationData => ({ agents: { farms: { count: 3, attributes: attrs }, people: people ?? { count: 3 } } });
    const bad: [string, PopulationData, RegExp][] = [
      ['flyway', farms({ flyway: [0, 7, 1] }), /farms.flyway\[1\] expected an integer flyway index in \[0, 3\].*received 7/],
      ['size', farms({ flockSize: [10, -5, 1] }), /farms.flockSize\[1\] expected a non-negative number of birds, received -5/],
      ['link', farms({}, { count: 3, attributes: { farm: [0, 3, 1] } }), /people.farm\[1\] expected a farm index in \[0, 2\], received 3/],
      ['unlinked', farms({}, { count: 5 }), /5 people but only 3 farms and no 'farm' attribute/],
    ];
    const populations = bad.map(([id, data]) => definePopulation({ id, description: `bad ${id}`, defaultAgents: 3, agentTypes: ['farms', 'people'], build: () => data }));
    const runtime = createRuntime({ plugins: [definePlugin({ name: 'bad', version: '0.0.0', models: [h5n1], populations })], backend: 'cpu' });
    for (const [id, , message] of bad) {
      const error = await rejection(() => runtime.createSimulation({ model: 'h5n1', population: id }).run({ steps: 1 }));
      expect(error.code).toBe('invalid-argument');
      expect(error.message).toMatch(message);
    }
  });

  it('passes the plugin conformance suite (runs deterministically without a population, leaks nothing, population builds)', async () => {
    const gradients = { inert: ['humanToHumanRate'], steps: 10, params: { seedFarms: 10, farmToFarmRate: 0.03, spilloverRate: 0.05 } };
    const report = await checkPluginConformance(h5n1TestPlugin, { steps: 5, gradients: Object.fromEntries(h5n1TestPlugin.models.map((m) => [`${h5n1TestPlugin.name}/${m.id}`, gradients])) });
    expect(report.failures).toEqual([]);
    expect(report.checks.length).toBeGreaterThan(4);
  });

  it('is refused on a population of people only (its farms would be people), naming what is missing', () => {
    const single = definePopulation({ id: 'single', description: 'one agent type', defaultAgents: 50, build: ({ agents = 50 }) => ({ agents: { people: { count: agents } } }) });
    const runtime = createRuntime({ plugins: [definePlugin({ name: 'one', version: '0.0.0', models: [h5n1], populations: [single] })], backend: 'cpu' });
    expect(() => runtime.createSimulation({ model: 'h5n1', population: 'single', agents: 60 })).toThrow(/model 'one\/h5n1' cannot run on population 'one\/single': no agent type 'farms'\. No loaded population fits it/);
  });
});
