import type { ServerKit } from '@populace/server-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { SMALL_SIR, useTestKit } from './analyzer.fixture.js';
import { runScenario } from './run-scenario.js';
import { sensitivityAnalysis } from './sensitivity-analysis.js';

const testKitOf = useTestKit();
let kit: ServerKit;
beforeAll(() => {
  kit = testKitOf();
});

describe('sensitivityAnalysis', () => {
  it('ranks a parameter that matters above one that does not, with the sign of finite differences', async () => {
    const s = await sensitivityAnalysis(kit, { ...SMALL_SIR, seed: 5, output: 'newInfections:sum' });
    expect(kit.store.require(s.runId)).toMatchObject({ kind: 'sensitivity', status: 'done' });
    const rank = (p: string) => s.entries.find((e) => e.param === p)!;
    // well-mixed: the layer weights have no effect at all
    expect(rank('householdWeight').gradient).toBe(0);
    expect(rank('beta').rank).toBeLessThan(rank('householdWeight').rank);
    expect(rank('gamma').rank).toBeLessThan(rank('householdWeight').rank);
    expect(s.entries.map((e) => e.rank)).toEqual(s.entries.map((_, i) => i + 1));
    // finite differences of recorded runs on the same seed (common random numbers)
    const total = async (params: Record<string, number>) => (await runScenario(kit, { ...SMALL_SIR, seed: 5, params, metrics: ['newInfections'] })).metrics.newInfections!.total!;
    const base = await total({});
    expect(base).toBe(s.output.value);
    const dBeta = (await total({ beta: 0.36 })) - base;
    const dGamma = (await total({ gamma: 0.12 })) - base;
    expect(Math.sign(dBeta)).toBe(Math.sign(rank('beta').gradient!));
    expect(Math.sign(dGamma)).toBe(Math.sign(rank('gamma').gradient!));
    expect(rank('beta').gradient!).toBeGreaterThan(0);
    expect(rank('gamma').gradient!).toBeLessThan(0);
    // elasticity = gradient * value / output
    expect(rank('beta').elasticity!).toBeCloseTo((rank('beta').gradient! * 0.3) / s.output.value!, 9);
  });

  it('keeps the top entries and rejects outputs and parameters that are not there', async () => {
    const s = await sensitivityAnalysis(kit, { ...SMALL_SIR, steps: 10, output: 'I:max', wrt: ['beta', 'gamma'], top: 1 });
    expect(s.entries).toHaveLength(1);
    expect(s.omitted).toBe(1);
    expect(s.output).toMatchObject({ metric: 'I', agg: 'max' });
    await expect(sensitivityAnalysis(kit, { ...SMALL_SIR, output: 'deaths:sum' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('newInfections') });
    await expect(sensitivityAnalysis(kit, { ...SMALL_SIR, output: 'I:median' })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(sensitivityAnalysis(kit, { ...SMALL_SIR, output: 'I', wrt: ['seedInfections'] })).rejects.toMatchObject({ code: 'invalid-param', message: expect.stringContaining('not learnable') });
  });
});
