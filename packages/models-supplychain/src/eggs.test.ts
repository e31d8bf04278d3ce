import { createRuntime, definePlugin, rolloutGradients, type Simulation } from '@populace/core';
import { checkPluginConformance } from '@populace/core/testing';
import { describe, expect, it } from 'vitest';
import { eggs } from './eggs.js';
import { LAY_RATE } from './parameters.js';

const plugin = definePlugin({ name: 'supplychain', version: '0.0.0', models: [eggs] });
const runtime = createRuntime({ plugins: [plugin], backend: 'cpu' });
const sim = (options: { params?: Record<string, unknown>; inputs?: Record<string, number | number[]>; agents?: number } = {}): Simulation =>
  runtime.createSimulation({ model: 'supplychain/eggs', agents: options.agents ?? 20, seed: 1, ...(options.params ? { params: options.params } : {}), ...(options.inputs ? { inputs: options.inputs } : {}) });

async function run(s: Simulation, steps: number): Promise<Record<string, number[]>> {
  try {
    return (await s.run({ steps })).metrics;
  } finally {
    s.dispose();
  }
}

describe('supplychain/eggs', () => {
  it('stays at its baseline without culls or seasonality: full flock, base prices', async () => {
    const m = await run(sim({ inputs: { layersLost: 0 }, params: { seasonalDemand: 0 } }), 60);
    for (const v of m.layers!) expect(v).toBeCloseTo(326e6, -3);
    for (const v of m.tableEggs!) expect(v / (326e6 * LAY_RATE)).toBeCloseTo(1, 5);
    for (const v of m.wholesalePrice!) expect(v).toBeCloseTo(1.3, 4);
    for (const v of m.retailPrice!) expect(v).toBeCloseTo(1.9 + 1.3, 4);
  });

  it('prices a lasting shortfall by the derived elasticity (analytic steady state)', async () => {
    // cull 10% of the flock on day 0 and never restock: supply settles at 0.9 of demand
    const steps = 400;
    const lost = [32.6e6, ...new Array(steps - 1).fill(0)];
    const m = await run(sim({ inputs: { layersLost: lost }, params: { seasonalDemand: 0, restockDelay: 730, preLayDays: 365 } }), steps);
    expect(m.layers![0]).toBeCloseTo(0.9 * 326e6, -4);
    // the restocking is slow but not nil: compare with the supply the model had on the last day
    const supply = m.tableEggs![steps - 1]! / (326e6 * LAY_RATE);
    const eW = (-0.15 * 1 * 1.3) / (1.9 + 1.3);
    const last = m.wholesalePrice![steps - 1]!;
    // inventory lags production by ~5.5 days, so compare against the inventory-implied supply
    const inventorySupply = m.inventory![steps - 1]! / (326e6 * LAY_RATE * 5.5);
    expect(last).toBeCloseTo(1.3 * inventorySupply ** (1 / eW), 3);
    expect(inventorySupply).toBeCloseTo(supply, 2);
    // retail follows margin + passThrough x wholesale by the daily adjustment (a reference recurrence)
    const lambda = 1 - (1 - 0.39) ** (1 / 7);
    let gap = 0;
    m.wholesalePrice!.forEach((w, t) => {
      gap += lambda * (w - 1.3 - gap);
      expect(m.retailPrice![t]!).toBeCloseTo(1.9 + 1.3 + gap, 3);
    });
  });

  it('conserves each farm: laying + empty + pullets stays its full flock', async () => {
    const s = sim({ agents: 7 });
    await s.run({ steps: 200 });
    const read = (p: string) => Array.from((s.state(p as never) as { dataSync(): Float32Array }).dataSync());
    const [laying, empty, pullets] = ['agents/farms/laying', 'agents/farms/empty', 'agents/farms/pullets'].map(read);
    laying!.forEach((v, i) => expect(v + empty![i]! + pullets![i]!).toBeCloseTo(1, 5));
    expect(Math.min(...laying!)).toBeLessThan(0.97); // the 2022 culls did bite
    s.dispose();
  });

  it('has gradients that match central finite differences for the learnable parameters', async () => {
    const s = sim({ agents: 5 });
    await s.ready();
    const steps = 120; // through the spring 2022 culls
    const loss = () => (_t: number, metrics: readonly import('@populace/core').tf.Scalar[]) => metrics[4]; // retailPrice
    const names = ['elasticity', 'passThrough', 'retailMargin', 'restockDelay', 'demandLayers', 'retailAdjustment', 'seasonalDemand'] as const;
    const base = s.params;
    const { tf } = await import('@populace/core');
    const params = Object.fromEntries(names.map((n) => [n, tf.scalar(base[n] as number)]));
    const result = rolloutGradients(s, { steps, params, loss });
    for (const n of names) {
      const v = base[n] as number;
      const h = Math.abs(v) * 1e-2;
      const total = async (x: number) => {
        s.setParams({ [n]: x });
        await s.reset();
        const r = (await s.run({ steps })).metrics.retailPrice!.reduce((a, b) => a + b, 0);
        s.setParams({ [n]: v });
        return r;
      };
      const fd = ((await total(v + h)) - (await total(v - h))) / (2 * h);
      const g = result.grads[n]!.dataSync()[0]!;
      expect(Math.abs(g - fd), `${n}: autodiff ${g}, finite difference ${fd}`).toBeLessThan(0.03 * Math.abs(fd) + 1e-6 * Math.abs(result.value / v));
    }
    tf.dispose([...Object.values(params), ...Object.values(result.grads)]);
    s.dispose();
  });

  it('passes the plugin conformance suite', async () => {
    const report = await checkPluginConformance(plugin, { steps: 5, gradients: { 'supplychain/eggs': { steps: 60 } } });
    expect(report.failures, JSON.stringify(report.failures)).toEqual([]);
  });

  it('refuses a run longer than its default input', async () => {
    const s = sim();
    await expect(s.run({ steps: 1462 })).rejects.toThrow(/input 'layersLost' of model 'supplychain\/eggs' has 1461 values \(steps 0-1460\), but running to step 1461 needs 1462/);
    s.dispose();
  });
});
