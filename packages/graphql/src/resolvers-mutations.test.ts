/**
 * The calibrate, sensitivity and runScenarios mutations through
 * `yoga.fetch`. Their results must equal core's `calibrate` and
 * `sensitivity` run directly on the same simulation, and behave as
 * epidemiology says (a fit moves toward the truth that made the data; a
 * lower transmission rate infects fewer).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { calibrate, createRuntime, sensitivity } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { referenceMetrics, removeTempDirs, SIR, SIR_INPUT, testServer } from './yoga.fixture.js';

const server = testServer();
afterAll(async () => {
  await server.kit.close();
  removeTempDirs();
});

const runtime = createRuntime({ plugins: [examplePlugin], backend: 'cpu' });
const STEPS = 15;

describe('calibrate', () => {
  it('fits beta to series made with a known beta: as core fits it, and closer to the truth than the start', async () => {
    // the data: newInfections of the model itself with beta = 0.08 (SIR's)
    const truth = await referenceMetrics(STEPS);
    const start = 0.03;
    const { data, errors } = await server.gql(
      `mutation($input: CalibrateInput!) { calibrate(input: $input, waitMs: 120000) { id kind status steps options
        params { name value } calibration { params { name value } start { name value } loss history epochs stopped }
        metrics(names: ["newInfections"]) { series { values } } } }`,
      { input: { ...SIR_INPUT, params: [{ name: 'beta', value: start }, { name: 'seedFraction', value: 0.01 }], observed: [{ metric: 'newInfections', values: truth.newInfections }], fit: ['beta'], loss: 'POISSON', epochs: 12, learningRate: 0.1 } },
    );
    expect(errors).toBeUndefined();
    const run = data!.calibrate;
    expect(run).toMatchObject({ kind: 'CALIBRATE', status: 'DONE', steps: STEPS, options: { fit: ['beta'], loss: 'poisson', epochs: 12, learningRate: 0.1 } });
    expect(run.params.find((p: { name: string }) => p.name === 'beta').value).toBe(start);
    const c = run.calibration;
    expect(c.start).toEqual([{ name: 'beta', value: start }]);
    expect(c.epochs).toBe(12);
    expect(c.history).toHaveLength(12);
    expect(c.stopped).toBe('EPOCHS');

    // the same calibration on core
    const sim = runtime.createSimulation({ ...SIR, params: { beta: start, seedFraction: 0.01 } });
    const direct = await calibrate(sim, { params: ['beta'], observed: { newInfections: truth.newInfections! }, loss: 'poisson', epochs: 12, learningRate: 0.1 });
    sim.dispose();
    expect(c.params[0].value).toBeCloseTo(direct.params.beta as number, 10);
    expect(c.loss).toBeCloseTo(direct.loss, 8);
    expect(run.metrics.series[0].values).toEqual(direct.fit.newInfections);

    const fitted = c.params[0].value as number;
    expect(Math.abs(fitted - 0.08)).toBeLessThan(Math.abs(start - 0.08));
    expect(c.loss).toBeLessThan(c.history[0]);
  });
});

describe('sensitivity', () => {
  it('gives core’s gradients of total new infections, ranked, with beta mattering and positive', async () => {
    const { data, errors } = await server.gql(
      `mutation($input: SensitivityInput!) { sensitivity(input: $input, waitMs: 120000) { kind status options
        sensitivity { output { metric aggregate value } entries { param index value gradient elasticity } } } }`,
      { input: { ...SIR_INPUT, steps: STEPS, output: { metric: 'newInfections' } } },
    );
    expect(errors).toBeUndefined();
    const run = data!.sensitivity;
    expect(run).toMatchObject({ kind: 'SENSITIVITY', status: 'DONE', options: { output: 'newInfections:sum', wrt: ['beta', 'gamma'] } });
    const s = run.sensitivity;
    const reference = await referenceMetrics(STEPS);
    expect(s.output).toEqual({ metric: 'newInfections', aggregate: 'SUM', value: reference.newInfections!.reduce((a, b) => a + b, 0) });

    const sim = runtime.createSimulation(SIR);
    await sim.run({ steps: STEPS });
    const direct = await sensitivity(sim, { output: { metric: 'newInfections', agg: 'sum' }, params: ['beta', 'gamma'], steps: STEPS });
    sim.dispose();
    expect(s.entries.map((e: { param: string }) => e.param)).toEqual(direct.entries.map((e) => e.param));
    s.entries.forEach((e: { gradient: number; elasticity: number; value: number; index: number | null }, i: number) => {
      expect(e.gradient).toBeCloseTo(direct.entries[i]!.gradient, 6);
      expect(e.elasticity).toBeCloseTo(direct.entries[i]!.elasticity!, 6);
      expect(e.value).toBe(direct.entries[i]!.value);
      expect(e.index).toBeNull();
    });
    const beta = s.entries.find((e: { param: string }) => e.param === 'beta');
    const gamma = s.entries.find((e: { param: string }) => e.param === 'gamma');
    expect(beta.gradient).toBeGreaterThan(0);
    expect(gamma.gradient).toBeLessThan(0);
  });

  it('takes wrt and another aggregate', async () => {
    const { data, errors } = await server.gql(
      'mutation($input: SensitivityInput!) { sensitivity(input: $input, waitMs: 120000) { sensitivity { output { aggregate value } entries { param } } } }',
      { input: { ...SIR_INPUT, steps: 8, output: { metric: 'I', aggregate: 'MAX' }, wrt: ['gamma'] } },
    );
    expect(errors).toBeUndefined();
    const reference = await referenceMetrics(8);
    expect(data!.sensitivity.sensitivity).toEqual({ output: { aggregate: 'MAX', value: Math.max(...reference.I!) }, entries: [{ param: 'gamma' }] });
  });
});

describe('sensitivity by the stochastic derivative', () => {
  it('takes replicates and the adaptive allocation: core’s estimates with them, recorded in the options', async () => {
    const { data, errors } = await server.gql(
      'mutation($input: SensitivityInput!) { sensitivity(input: $input, waitMs: 120000) { status options sensitivity { estimator accuracy { status criterion note deviations unmeasured } entries { param gradient standardError } } } }',
      { input: { ...SIR_INPUT, steps: STEPS, output: { metric: 'newInfections' }, wrt: ['beta'], estimator: 'stochastic-derivative', replicates: 3, allocation: 'adaptive' } },
    );
    expect(errors).toBeUndefined();
    const run = data!.sensitivity;
    expect(run).toMatchObject({ status: 'DONE', options: { wrt: ['beta'], estimator: 'stochastic-derivative', replicates: 3, allocation: 'adaptive' } });
    const sim = runtime.createSimulation(SIR);
    await sim.run({ steps: STEPS });
    const direct = await sensitivity(sim, { output: 'newInfections:sum', params: ['beta'], steps: STEPS, estimator: 'stochastic-derivative', replicates: 3, allocation: 'adaptive' });
    sim.dispose();
    expect(run.sensitivity.entries).toEqual([{ param: 'beta', gradient: direct.entries[0]!.gradient, standardError: direct.entries[0]!.standardError }]);
    expect(run.sensitivity.estimator).toBe('stochastic-derivative');
    expect(run.sensitivity.accuracy).toEqual({ status: direct.accuracy.status, criterion: direct.accuracy.criterion, note: direct.accuracy.note, deviations: direct.accuracy.deviations, unmeasured: ['beta'] });
    const bad = await server.gql('mutation($input: SensitivityInput!) { sensitivity(input: $input) { id } }', { input: { ...SIR_INPUT, steps: STEPS, output: { metric: 'newInfections' }, replicates: 1, allocation: 'adaptive' } });
    expect(bad.errors?.[0]).toMatchObject({ message: expect.stringContaining("replicates: expected at least 2 with allocation 'adaptive'"), extensions: { code: 'INVALID_ARGUMENT' } });
  });
});

describe('runScenarios', () => {
  it('runs each scenario on each seed as child runs and compares them, the first scenario the baseline', async () => {
    const { data, errors } = await server.gql(
      `mutation($input: ScenariosInput!) { runScenarios(input: $input, waitMs: 120000) { id kind status progress { done total unit }
        scenarios { seeds scenarios { name params { name value } runIds runs { id parentId label seed status params { name value } } }
          table { baseline metrics rows { metric label runIds total } } } } }`,
      { input: { ...SIR_INPUT, steps: 10, scenarios: [{ name: 'baseline' }, { name: 'distancing', params: [{ name: 'beta', value: 0.02 }] }], seeds: [1, 2] } },
    );
    expect(errors).toBeUndefined();
    const sweep = data!.runScenarios;
    expect(sweep).toMatchObject({ kind: 'SCENARIOS', status: 'DONE', progress: { done: 4, total: 4, unit: 'RUNS' } });
    const { scenarios, seeds, table } = sweep.scenarios;
    expect(seeds).toEqual([1, 2]);
    expect(scenarios.map((s: { name: string }) => s.name)).toEqual(['baseline', 'distancing']);
    expect(scenarios[1].params).toEqual([{ name: 'beta', value: 0.02 }]);
    for (const s of scenarios) {
      expect(s.runs.map((r: { id: string }) => r.id)).toEqual(s.runIds);
      expect(s.runs.map((r: { seed: number }) => r.seed)).toEqual([1, 2]);
      for (const r of s.runs) expect(r).toMatchObject({ parentId: sweep.id, label: s.name, status: 'DONE' });
    }
    expect(scenarios[1].runs[0].params.find((p: { name: string }) => p.name === 'beta').value).toBe(0.02);
    expect(table.baseline).toBe('baseline');
    // each row's total is the mean over seeds of the children's totals, recomputed from their series
    const totals = async (ids: string[]) =>
      Promise.all(ids.map(async (id) => (await server.gql('query($id: ID!) { run(id: $id) { metrics(names: ["newInfections"]) { series { values } } } }', { id })).data!.run.metrics.series[0].values.reduce((a: number, b: number) => a + b, 0)));
    const rows = table.rows.filter((r: { metric: string }) => r.metric === 'newInfections');
    for (const [i, s] of scenarios.entries()) {
      const t = await totals(s.runIds);
      expect(rows[i]).toEqual({ metric: 'newInfections', label: s.name, runIds: s.runIds, total: (t[0] + t[1]) / 2 });
    }
    expect(rows[1].total).toBeLessThan(rows[0].total);
    // the children are listed under their sweep, not among the top-level runs
    const listed = await server.gql('query($id: ID!) { children: runs(filter: { parentId: $id }) { total } top: runs(filter: { topLevel: true, kind: [SCENARIOS] }) { runs { id } } }', { id: sweep.id });
    expect(listed.data).toEqual({ children: { total: 4 }, top: { runs: [{ id: sweep.id }] } });
  });
});
