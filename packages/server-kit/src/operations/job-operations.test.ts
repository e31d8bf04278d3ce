/**
 * The job operations (run_simulation, run_scenarios, calibrate, sensitivity)
 * on a real executor and SQLite run store: one name and one default per
 * concept, the deprecated aliases mapped onto the new names, unknown keys
 * refused at every depth with the valid ones listed, and a run's series the
 * same as the same simulation made directly with core.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { exampleRuntime, removeTempDirs, SIR, tempDbPath } from '../kit.fixture.js';
import { createServerKit } from '../server-kit.js';
import { callOperation, parseOperationInput, wireInput, type Operation } from './define-operation.js';
import { calibrateOperation, DEFAULT_LOSS, runOperation, scenariosOperation, sensitivityOperation, sweepOperation } from './index.js';

afterAll(removeTempDirs);

describe('job operations', () => {
  it('share one declaration of the simulation fields, with one default each', () => {
    for (const op of [runOperation, scenariosOperation, calibrateOperation, sensitivityOperation] as unknown as Operation[]) {
      const parsed = parseOperationInput(op, { model: 'network-sir', ...(op === (calibrateOperation as unknown as Operation) ? { observed: { I: [1] } } : op === (sensitivityOperation as unknown as Operation) ? { output: 'I' } : op === (scenariosOperation as unknown as Operation) ? { scenarios: [{}] } : {}) }) as Record<string, unknown>;
      expect(parsed.seed, op.name).toBe(0);
      expect(() => parseOperationInput(op, { model: 'network-sir', seed: 2 ** 32 })).toThrow(/seed: expected an integer in \[0, 4294967295\] \(received 4294967296\)/);
      expect(() => parseOperationInput(op, { model: 'network-sir', agents: 0 })).toThrow(/agents: expected at least 1 \(received 0\)/);
    }
    expect(parseOperationInput(calibrateOperation, { model: 'network-sir', observed: { I: [1] } })).toMatchObject({ loss: DEFAULT_LOSS, epochs: 100, waitSeconds: 120 });
    expect(DEFAULT_LOSS).toBe('mse');
  });

  it("maps the deprecated 'fit' and 'wrt' onto 'learnable', refuses both at once, and publishes them as deprecated", () => {
    const base = { model: 'network-sir', observed: { I: [1, 2] } };
    expect(parseOperationInput(calibrateOperation, { ...base, fit: ['beta'] })).toEqual(parseOperationInput(calibrateOperation, { ...base, learnable: ['beta'] }));
    expect(parseOperationInput(sensitivityOperation, { model: 'network-sir', output: 'I', wrt: ['gamma'] }).learnable).toEqual(['gamma']);
    expect(() => parseOperationInput(calibrateOperation, { ...base, fit: ['beta'], learnable: ['beta'] })).toThrow("calibrate: 'fit' is the deprecated name of 'learnable'; give only 'learnable'.");
    expect(() => parseOperationInput(sensitivityOperation, { model: 'network-sir', output: 'I', fit: ['beta'] })).toThrow(/unknown key 'fit'; valid keys: model, population, agents, seed, params, label, inputs, links, populations, memberAgents, steps, output, learnable, estimator, replicates, allocation, waitSeconds\./);
    expect(Object.keys(wireInput(calibrateOperation).shape)).toEqual([...Object.keys(calibrateOperation.input.shape), 'fit']);
    expect(wireInput(calibrateOperation).shape.fit!.description).toMatch(/^Deprecated .*'learnable'/);
  });

  it('refuses unknown keys inside a scenario and a schedule, listing the valid ones (a label is not dropped)', () => {
    expect(() => parseOperationInput(scenariosOperation, { model: 'network-sir', scenarios: [{ label: 'x', params: {} }] })).toThrow(/scenarios\.0: unknown key 'label'; valid keys: name, params/);
    expect(() => parseOperationInput(runOperation, { model: 'network-sir', schedules: { beta: [{ step: 0, value: 1, at: 2 }] } })).toThrow(/unknown key 'at'; valid keys: step, value/);
  });

  it('run_simulation records the run and returns what the same simulation gives directly', async () => {
    const kit = createServerKit({ runtime: exampleRuntime(), db: tempDbPath() });
    try {
      const quick = await callOperation(runOperation, { ...SIR, steps: 6, waitSeconds: 0 }, kit);
      expect(quick.run.kind).toBe('run');
      const out = await callOperation(runOperation, { ...SIR, steps: 6 }, kit);
      expect(out.finished).toBe(true);
      const sim = exampleRuntime().createSimulation({ model: SIR.model, population: SIR.population, agents: SIR.agents, seed: SIR.seed, params: SIR.params });
      const direct = (await sim.run({ steps: 6 })).metrics;
      sim.dispose();
      expect(kit.store.series(out.run.id).series.I).toEqual([...direct.I!]);
      expect(runOperation.text(out, kit)).toContain(`Run ${out.run.id}`);
    } finally {
      await kit.close();
    }
  });

  it('calibrate with the deprecated fit gives the same fit as with learnable (same seed)', async () => {
    const kit = createServerKit({ runtime: exampleRuntime(), db: tempDbPath() });
    try {
      const request = { ...SIR, agents: 500, observed: { newInfections: [2, 3, 5, 8] }, epochs: 2 };
      const a = await callOperation(calibrateOperation, { ...request, learnable: ['beta'] }, kit);
      const b = await callOperation(calibrateOperation, { ...request, fit: ['beta'] }, kit);
      expect(a.result?.params).toEqual(b.result?.params);
      expect(Object.keys(a.result!.params)).toEqual(['beta']);
      expect(a.run.options).toMatchObject({ loss: 'mse', fit: ['beta'] });
    } finally {
      await kit.close();
    }
  });

  it('bounds the total work of a sweep (runs x agents x steps) on run_scenarios and sweep alike, before anything runs', async () => {
    const kit = createServerKit({ runtime: exampleRuntime(), db: tempDbPath(), limits: { maxSweepAgentSteps: 1000 } });
    try {
      const refused = /runs x agents x steps of the sweep \(2 x 100 x 10\) is 2,000, over this server's limit of 1,000 \(maxSweepAgentSteps\).*--max-sweep-agent-steps/;
      await expect(callOperation(sweepOperation, { model: SIR.model, agents: 100, steps: 10, seeds: 2 }, kit)).rejects.toThrow(refused);
      await expect(callOperation(scenariosOperation, { model: SIR.model, agents: 100, steps: 10, scenarios: [{}, { params: { beta: 0.2 } }] }, kit)).rejects.toThrow(refused);
      expect((await callOperation(scenariosOperation, { model: SIR.model, agents: 100, steps: 10, scenarios: [{}] }, kit)).finished).toBe(true);
      expect(kit.store.list({ kind: 'scenarios' }).total).toBe(1);
    } finally {
      await kit.close();
    }
  });
});
