import { describe, expect, it } from 'vitest';
import { examplePlugin } from '../examples/plugin.js';
import { createRuntime } from '../runtime.js';
import { tf } from '../tf.js';
import { gradientFixtures } from './models.fixture.js';
import { parseOutput, rankSensitivities, sensitivity, type SensitivityEntry } from './sensitivity.js';
import { stochasticDerivatives } from './stochastic-derivative.js';

const runtime = createRuntime({ plugins: [examplePlugin, gradientFixtures], backend: 'cpu' });
const seeds = [1, 2, 3];
const STEPS = 21;

/** output(params) on the smooth model for one seed, by a plain forward run. */
async function outputAt(seed: number, params: Record<string, unknown>, metric: string, agg: 'sum' | 'max'): Promise<number> {
  const sim = runtime.createSimulation({ model: 'mean-field-sir', population: 'random-graph', agents: 1500, seed, params });
  const { metrics } = await sim.run({ steps: STEPS });
  sim.dispose();
  const series = metrics[metric]!;
  return agg === 'sum' ? series.reduce((a, b) => a + b, 0) : Math.max(...series);
}

describe('sensitivity', () => {
  for (const [metric, agg] of [['newInfections', 'sum'], ['I', 'max']] as const) {
    it(`${metric}:${agg}: one reverse pass agrees with central finite differences averaged over seeds within 10%, with the same ranking`, async () => {
      const base = { beta: 0.04, gamma: 0.15, mixing: [1, 0.6, 1.2] };
      const entries: SensitivityEntry[][] = [];
      for (const seed of seeds) {
        const sim = runtime.createSimulation({ model: 'mean-field-sir', population: 'random-graph', agents: 1500, seed, params: base });
        entries.push([...(await sensitivity(sim, { output: `${metric}:${agg}`, steps: STEPS })).entries]);
        sim.dispose();
      }
      const key = (e: SensitivityEntry) => `${e.param}${e.index === undefined ? '' : `[${e.index}]`}`;
      const mean = new Map<string, number>();
      for (const list of entries) for (const e of list) mean.set(key(e), (mean.get(key(e)) ?? 0) + e.gradient / seeds.length);
      expect([...mean.keys()].sort()).toEqual(['beta', 'gamma', 'mixing[0]', 'mixing[1]', 'mixing[2]']);
      const fd = new Map<string, number>();
      for (const name of mean.keys()) {
        const [param, index] = name.includes('[') ? [name.slice(0, name.indexOf('[')), Number(name.slice(name.indexOf('[') + 1, -1))] : [name, undefined];
        const shifted = (d: number) => {
          const v = base[param as keyof typeof base];
          return { ...base, [param]: Array.isArray(v) ? v.map((x, i) => (i === index ? x + d : x)) : (v as number) + d };
        };
        const h = param === 'beta' ? 1e-3 : 1e-2;
        let sum = 0;
        for (const seed of seeds) sum += ((await outputAt(seed, shifted(h), metric, agg)) - (await outputAt(seed, shifted(-h), metric, agg))) / (2 * h);
        fd.set(name, sum / seeds.length);
      }
      for (const [name, g] of mean) expect(Math.abs(g - fd.get(name)!)).toBeLessThan(0.1 * Math.abs(fd.get(name)!) + 1e-6);
      const order = (m: Map<string, number>) => [...m].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).map(([k]) => k);
      expect(order(mean)).toEqual(order(fd));
    });
  }

  it('reports elasticities, ranks by them, and leaves the simulation untouched', async () => {
    const sim = runtime.createSimulation({ model: 'example/network-sir', population: 'random-graph', agents: 2000, seed: 5, params: { seedFraction: 0.01 } });
    await sim.run({ steps: 15 });
    const before = sim.metrics();
    const tensors = tf.memory().numTensors;
    const result = await sensitivity(sim, { output: 'newInfections' });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(result.steps).toBe(15); // defaults to the steps already run
    expect(result.output).toMatchObject({ metric: 'newInfections', agg: 'sum' });
    expect(result.output.value).toBe(before.newInfections!.reduce((a, b) => a + b, 0));
    const beta = result.entries.find((e) => e.param === 'beta')!;
    expect(beta.elasticity).toBeCloseTo((beta.gradient * beta.value) / result.output.value, 6);
    expect(result.entries).toEqual(rankSensitivities(result.entries));
    expect(sim.metrics()).toEqual(before);
    sim.dispose();
  });

  it('rejects bad outputs, parameters and steps with the choices', async () => {
    const sim = runtime.createSimulation({ model: 'example/network-sir', population: 'random-graph', agents: 100 });
    await expect(sensitivity(sim, { output: 'deaths' })).rejects.toThrow(/metric of \[S, I, R, newInfections\], received "deaths"/);
    await expect(sensitivity(sim, { output: 'I:median', steps: 3 })).rejects.toThrow(/aggregate expected one of sum, mean, max, min, last, received "median"/);
    await expect(sensitivity(sim, { output: 'I', params: ['seedFraction'], steps: 3 })).rejects.toThrow(/'seedFraction' .* is not learnable.*beta, gamma/);
    await expect(sensitivity(sim, { output: 'I', params: ['bta'], steps: 3 })).rejects.toThrow(/no parameter 'bta'. Did you mean 'beta'/);
    await expect(sensitivity(sim, { output: 'I' })).rejects.toThrow(/has not run yet: pass steps/);
    expect(() => parseOutput({ metric: 'I', agg: 'sum' }, ['I'])).not.toThrow();
    sim.dispose();
  });

  it('names its estimator: the stochastic derivative on a contact network, straight-through without one, and either on request', async () => {
    const net = runtime.createSimulation({ model: 'mean-field-sir', population: 'random-graph', agents: 300, seed: 1 });
    const auto = await sensitivity(net, { output: 'newInfections:sum', steps: 5, params: ['beta'] });
    expect(auto.estimator).toBe('stochastic-derivative');
    expect(auto.accuracy.status).toBe('unmeasured');
    expect(auto.entries[0]!.standardError).toBeGreaterThanOrEqual(0);
    const st = await sensitivity(net, { output: 'newInfections:sum', steps: 5, params: ['beta'], estimator: 'straight-through' });
    expect(st.estimator).toBe('straight-through');
    // a smooth model: no jumps, so both are its exact derivative
    expect(auto.gradients.beta as number).toBeCloseTo(st.gradients.beta as number, 2);
    await expect(sensitivity(net, { output: 'newInfections:sum', steps: 5, estimator: 'exact' as never })).rejects.toThrow(/estimator expected 'auto'/);
    net.dispose();
    const mixed = runtime.createSimulation({ model: 'weekly-sir', agents: 500, seed: 1 });
    expect((await sensitivity(mixed, { output: 'newInfections:sum', steps: 5, params: ['gamma'] })).estimator).toBe('straight-through');
    mixed.dispose();
  });

  it('gives the event loop turns while the stochastic derivative runs, stops with aborted when its signal does, and keeps no tensors', async () => {
    const sim = runtime.createSimulation({ model: 'network-sir', population: 'random-graph', agents: 2000, seed: 1 });
    await sim.ready();
    const options = { output: 'newInfections:sum', steps: 40, params: ['beta'], estimator: 'stochastic-derivative' } as const;
    // timers fire during the computation (a server's other requests, its wall-time limit)
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    const done = await sensitivity(sim, options).finally(() => clearInterval(timer));
    expect(ticks).toBeGreaterThanOrEqual(5);
    // the same estimate as the synchronous driver
    const sync = stochasticDerivatives(sim, { steps: 40, entries: [{ param: 'beta' }], objective: (s) => s.newInfections!.reduce((a, b) => a + b, 0) });
    expect(done.entries[0]!.standardError).toBeCloseTo(sync.standardErrors[0]!, 6);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('enough')), 30);
    const error = await sensitivity(sim, { ...options, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'aborted', message: expect.stringMatching(/aborted before the alternatives were complete/) });
    expect(tf.memory().numTensors).toBe(before);
    // an aborted signal stops before any alternative; the simulation still works
    await expect(sensitivity(sim, { ...options, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'aborted' });
    expect((await sensitivity(sim, { ...options, steps: 5 })).entries).toHaveLength(1);
    sim.dispose();
  });

  it('gives the event loop turns during the reverse pass too (straight-through), and stops there on its signal', async () => {
    const sim = runtime.createSimulation({ model: 'network-sir', population: 'random-graph', agents: 20_000, seed: 2 });
    await sim.ready();
    const options = { output: 'newInfections:sum', steps: 30, estimator: 'straight-through' } as const;
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    const done = await sensitivity(sim, options).finally(() => clearInterval(timer));
    expect(done.estimator).toBe('straight-through');
    expect(ticks).toBeGreaterThanOrEqual(5);
    // aborted at the third turn: inside the reverse pass, no tensors kept
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let turns = 0;
    const stopper = setInterval(() => (++turns === 3 ? controller.abort(new Error('enough')) : undefined), 1);
    const error = await sensitivity(sim, { ...options, signal: controller.signal }).catch((e: unknown) => e).finally(() => clearInterval(stopper));
    expect(error).toMatchObject({ code: 'aborted', message: expect.stringMatching(/rolloutGradients: aborted before the reverse pass was complete/) });
    expect(tf.memory().numTensors).toBe(before);
    sim.dispose();
  });
});
