import type { PopulaceError } from '@populace/core';
import { summarizeSeries, type ServerKit } from '@populace/server-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { SMALL_SIR, useTestKit } from './analyzer.fixture.js';
import { counterfactual } from './counterfactual.js';
import { studentTQuantile } from './student-t.js';

const testKitOf = useTestKit();
let kit: ServerKit;
beforeAll(() => {
  kit = testKitOf();
});

describe('counterfactual', () => {
  it('a change that changes nothing gives a difference of exactly 0 with zero width', async () => {
    const cf = await counterfactual(kit, { ...SMALL_SIR, changes: { beta: 0.3 }, metrics: ['newInfections', 'I'] });
    expect(cf.seeds).toEqual([0, 1, 2]);
    expect(cf.rows).toHaveLength(6);
    for (const row of cf.rows) {
      expect(row).toMatchObject({ differenceMean: 0, differenceLow: 0, differenceHigh: 0, differenceSd: 0, n: 3 });
      expect(row.baselineValues).toEqual(row.counterfactualValues);
    }
    expect(cf.changed).toEqual({ beta: { baseline: 0.3, counterfactual: 0.3 } });
  });

  it('beta > 0 against beta = 0 has the right sign, paired seeds and recorded runs', async () => {
    const seeds = [11, 12, 13, 14];
    const cf = await counterfactual(kit, { ...SMALL_SIR, baseline: { beta: 0 }, changes: { beta: 0.5 }, seeds, summaries: ['total', 'final'], metrics: ['newInfections', 'S'] });
    const infections = cf.rows.find((r) => r.metric === 'newInfections' && r.summary === 'total')!;
    expect(infections.baselineMean).toBe(0);
    expect(infections.differenceMean!).toBeGreaterThan(0);
    expect(infections.differenceLow!).toBeGreaterThan(0);
    const susceptible = cf.rows.find((r) => r.metric === 'S' && r.summary === 'final')!;
    expect(susceptible.differenceHigh!).toBeLessThan(0);
    // the runs are in the store, one per scenario and seed, the pairs on the same seed
    const sweep = kit.store.require(cf.sweepId);
    expect(sweep.kind).toBe('scenarios');
    expect(sweep.status).toBe('done');
    seeds.forEach((seed, i) => {
      const b = kit.store.require(cf.baselineRunIds[i]!);
      const c = kit.store.require(cf.counterfactualRunIds[i]!);
      expect([b.seed, c.seed]).toEqual([seed, seed]);
      expect([b.parentId, c.parentId]).toEqual([cf.sweepId, cf.sweepId]);
      expect([b.params.beta, c.params.beta]).toEqual([0, 0.5]);
      // the values come from the stored series
      expect(infections.counterfactualValues[i]).toBe(summarizeSeries(kit.store.series(c.id).series.newInfections!).total);
    });
    // the interval is mean +- t(0.975, n - 1) sd / sqrt(n) of the paired differences
    const d = infections.counterfactualValues.map((v, i) => v! - infections.baselineValues[i]!);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, v) => a + (v - mean) ** 2, 0) / (d.length - 1));
    expect(infections.differenceMean).toBeCloseTo(mean, 9);
    expect(infections.differenceHigh! - mean).toBeCloseTo((studentTQuantile(0.975, 3) * sd) / 2, 9);
    expect(infections.n).toBe(4);
    expect(cf.method).toContain('3 degrees of freedom');
  });

  it('applies one number to every period of a time-varying parameter (R0 on epi/covid)', async () => {
    const cf = await counterfactual(kit, { model: 'epi/covid', population: 'well-mixed', agents: 1500, steps: 20, changes: { R: 4.5 }, seedCount: 2, metrics: ['newInfections'], summaries: ['total'] });
    expect(cf.changed.R).toEqual({ baseline: Array(9).fill(2.5), counterfactual: Array(9).fill(4.5) });
    expect(cf.notes.join(' ')).toContain('applied to every period');
    expect(kit.store.require(cf.counterfactualRunIds[0]!).params.R).toEqual(Array(9).fill(4.5));
    expect(cf.rows[0]!.n).toBe(2);
  });

  it('rejects bad inputs clearly', async () => {
    const reject = (input: unknown) => counterfactual(kit, input as never).then(() => undefined, (e: PopulaceError) => e);
    expect(await reject({ ...SMALL_SIR, changes: {} })).toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('beta') });
    expect(await reject({ ...SMALL_SIR, changes: { beta: 1 }, seeds: [1, 2], seedCount: 2 })).toMatchObject({ code: 'invalid-argument' });
    expect(await reject({ ...SMALL_SIR, changes: { betta: 1 } })).toMatchObject({ code: 'unknown-param', message: expect.stringContaining("Did you mean 'beta'") });
    expect(await reject({ ...SMALL_SIR, changes: { beta: -1 } })).toMatchObject({ code: 'param-out-of-bounds' });
    expect(await reject({ ...SMALL_SIR, changes: { beta: 1 }, metrics: ['deaths'] })).toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('newInfections') });
    expect(await reject({ ...SMALL_SIR, model: 'epi/zika', changes: { beta: 1 } })).toMatchObject({ code: 'unknown-id', message: expect.stringContaining('epi/sir') });
    expect(await reject({ ...SMALL_SIR, changes: { beta: 1 }, seedCount: 20 })).toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('seedCount') });
  });
});
