import type { PopulaceError } from '@populace/core';
import type { ServerKit } from '@populace/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, SMALL_SIR, testKit } from './analyzer.fixture.js';
import { compareStoredRuns } from './compare-stored-runs.js';
import { runScenario } from './run-scenario.js';

let kit: ServerKit;
beforeAll(() => {
  kit = testKit({ maxSteps: 100 });
});
afterAll(async () => {
  await kit.close();
  removeTempDirs();
});

describe('runScenario and compareStoredRuns', () => {
  it('runs through the executor, records the run and summarises its series', async () => {
    const r = await runScenario(kit, { ...SMALL_SIR, seed: 4, params: { beta: 0.4 }, label: 'fast' });
    const record = kit.store.require(r.runId);
    expect(record).toMatchObject({ status: 'done', kind: 'run', model: 'epi/sir', population: 'populations/well-mixed', agents: 2000, steps: 30, seed: 4, label: 'fast' });
    expect(record.params.beta).toBe(0.4);
    const I = kit.store.series(r.runId).series.I!;
    const peak = Math.max(...I);
    expect(r.metrics.I).toEqual({ total: I.reduce((a, b) => a + b, 0), peak, peakStep: I.indexOf(peak) + 1, final: I[I.length - 1] });
    // S + I + R = N every day, so the finals add up
    expect(r.metrics.S!.final! + r.metrics.I!.final! + r.metrics.R!.final!).toBe(2000);
    // same seed, same numbers
    const again = await runScenario(kit, { ...SMALL_SIR, seed: 4, params: { beta: 0.4 } });
    expect(again.metrics).toEqual(r.metrics);
    expect(again.runId).not.toBe(r.runId);
  });

  it('compares stored runs with differences to the first', async () => {
    const slow = await runScenario(kit, { ...SMALL_SIR, seed: 2, params: { beta: 0.15 }, metrics: ['newInfections'] });
    const fast = await runScenario(kit, { ...SMALL_SIR, seed: 2, params: { beta: 0.6 }, metrics: ['newInfections'] });
    expect(Object.keys(slow.metrics)).toEqual(['newInfections']);
    const table = compareStoredRuns(kit, { runIds: [slow.runId, fast.runId], metrics: ['newInfections'] });
    const row = table.rows.find((x) => x.label === fast.runId)!;
    expect(row.delta!.total).toBe(fast.metrics.newInfections!.total! - slow.metrics.newInfections!.total!);
    expect(row.delta!.total).toBeGreaterThan(0);
    expect(table.text).toContain('newInfections');
  });

  it('rejects bad inputs before running anything', async () => {
    const reject = (input: unknown) => runScenario(kit, input as never).then(() => undefined, (e: PopulaceError) => e);
    const before = kit.store.list({}).total;
    expect(await reject({ ...SMALL_SIR, params: { beta: 99 } })).toMatchObject({ code: 'param-out-of-bounds', message: expect.stringContaining('[0, 50]') });
    expect(await reject({ ...SMALL_SIR, population: 'mars' })).toMatchObject({ code: 'unknown-id' });
    expect(await reject({ ...SMALL_SIR, steps: 500 })).toMatchObject({ code: 'limit-exceeded' });
    expect(await reject({ ...SMALL_SIR, metrics: ['deaths'] })).toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('newInfections') });
    expect(await reject({ model: 'epi/covid', params: { R: [1, 2] } })).toMatchObject({ code: 'invalid-param', message: expect.stringContaining('9 numbers') });
    expect(await reject({ ...SMALL_SIR, steps: 1.5 })).toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('steps') });
    expect(kit.store.list({}).total).toBe(before);
    expect(() => compareStoredRuns(kit, { runIds: ['run-nope'] })).toThrow(expect.objectContaining({ code: 'unknown-id' }));
    await expect(runScenario({ runtime: kit.runtime } as never, SMALL_SIR)).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('executor, store') });
  });
});
