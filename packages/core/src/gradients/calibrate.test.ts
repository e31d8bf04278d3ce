import { describe, expect, it } from 'vitest';
import { examplePlugin } from '../examples/plugin.js';
import { createRuntime } from '../runtime.js';
import { tf } from '../tf.js';
import * as tfl from '@tensorflow/tfjs-layers';
import { defineModel } from '../model.js';
import { meanOf } from '../metrics.js';
import { definePlugin } from '../plugin.js';
import { defineSubstep } from '../substep.js';
import { calibrate } from './calibrate.js';
import { gradientFixtures } from './models.fixture.js';

const runtime = createRuntime({ plugins: [examplePlugin, gradientFixtures], backend: 'cpu' });

type Options = Parameters<typeof runtime.createSimulation>[0];

async function observedFrom(model: Options['model'], params: Record<string, unknown>, seed: number, steps: number, population?: Options['population'], agents?: number) {
  const sim = runtime.createSimulation({ model, params, seed, ...(population ? { population } : {}), ...(agents ? { agents } : {}) });
  const { metrics } = await sim.run({ steps });
  sim.dispose();
  return metrics;
}

const correlation = (a: number[], b: number[]) => {
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let ab = 0, aa = 0, bb = 0;
  a.forEach((v, i) => { ab += (v - ma) * (b[i]! - mb); aa += (v - ma) ** 2; bb += (b[i]! - mb) ** 2; });
  return ab / Math.sqrt(aa * bb);
};

describe('calibrate', () => {
  for (const loss of ['mse', 'poisson'] as const) {
    it(`recovers beta of example/network-sir within 10% from data of another seed, starting 2.4x off (${loss})`, async () => {
      const truth = 0.05;
      const observed = await observedFrom('example/network-sir', { beta: truth, seedFraction: 0.01 }, 11, 35, 'random-graph', 3000);
      const sim = runtime.createSimulation({ model: 'example/network-sir', population: 'random-graph', agents: 3000, seed: 12, params: { beta: 0.12, seedFraction: 0.01 } });
      const epochs: number[] = [];
      const fit = await calibrate(sim, { params: ['beta'], observed: { newInfections: observed.newInfections! }, loss, epochs: 60, onEpoch: (e) => void epochs.push(e.loss) });
      expect(Math.abs((fit.params.beta as number) - truth) / truth).toBeLessThan(0.1);
      expect(fit.history).toEqual(epochs);
      expect(fit.loss).toBe(Math.min(...fit.history));
      expect(fit.fit.newInfections).toHaveLength(35);
      expect(sim.params.beta).toBe(fit.params.beta);
      sim.dispose();
    });
  }

  it('with the stochastic derivative: names it, and moves beta of example/network-sir from 2.4x off towards the truth', async () => {
    const truth = 0.05;
    const observed = await observedFrom('example/network-sir', { beta: truth, seedFraction: 0.01 }, 11, 30, 'random-graph', 2000);
    const sim = runtime.createSimulation({ model: 'example/network-sir', population: 'random-graph', agents: 2000, seed: 12, params: { beta: 0.12, seedFraction: 0.01 } });
    const fit = await calibrate(sim, { params: ['beta'], observed: { newInfections: observed.newInfections! }, epochs: 12, estimator: 'stochastic-derivative' });
    expect(fit.estimator).toBe('stochastic-derivative');
    expect(fit.loss).toBeLessThan(fit.history[0]!);
    expect(Math.abs((fit.params.beta as number) - truth)).toBeLessThan(0.5 * (0.12 - truth));
    await expect(calibrate(sim, { params: ['beta'], observed: { newInfections: observed.newInfections! }, estimator: 'exact' as never })).rejects.toThrow(/estimator expected 'auto', 'straight-through' or 'stochastic-derivative'/);
    // aborted during the second epoch's stochastic derivative: stopped, the first epoch's parameters, no tensors kept
    const before = tf.memory().numTensors;
    const start = sim.params.beta; // where the fit above left it
    const controller = new AbortController();
    const stopped = await calibrate(sim, { params: ['beta'], observed: { newInfections: observed.newInfections! }, epochs: 12, estimator: 'stochastic-derivative', replicates: 8, signal: controller.signal, onEpoch: (e) => void (e.epoch === 1 && setTimeout(() => controller.abort(), 20)) });
    expect(stopped).toMatchObject({ stopped: 'aborted', epochs: 1, params: { beta: start } });
    expect(tf.memory().numTensors).toBe(before);
    sim.dispose();
  });

  it('recovers the shape of a weekly transmission rate', async () => {
    const truth = [0.45, 0.3, 0.15, 0.1, 0.25, 0.35];
    const observed = await observedFrom('weekly-sir', { beta: truth }, 21, 42, undefined, 5000);
    const sim = runtime.createSimulation({ model: 'weekly-sir', seed: 22, agents: 5000, params: { beta: [0.2, 0.2, 0.2, 0.2, 0.2, 0.2] } });
    const fit = await calibrate(sim, { params: ['beta'], observed: { newInfections: observed.newInfections! }, loss: 'poisson', epochs: 80, learningRate: 0.1 });
    const beta = fit.params.beta as number[];
    expect(correlation(beta, truth)).toBeGreaterThan(0.9);
    sim.dispose();
  }, 180_000);

  it('trains a tfjs-layers network mapping weekly mobility to the weekly transmission rate', async () => {
    const mobility = [[1.0], [0.6], [0.2], [0.1], [0.5], [0.8]];
    // truth: beta_w = 3 * sigmoid(2.5 * m_w - 3), the map the network must learn (bounds of beta: [0, 3])
    const truth = mobility.map(([m]) => 3 / (1 + Math.exp(-(2.5 * m! - 3))));
    const observed = await observedFrom('weekly-sir', { beta: truth }, 31, 42, undefined, 5000);
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [1] })] });
    model.setWeights([tf.tensor2d([[0]]), tf.tensor1d([-2.6])]); // beta = 0.2 every week to start
    const sim = runtime.createSimulation({ model: 'weekly-sir', seed: 32, agents: 5000 });
    const fit = await calibrate(sim, { observed: { newInfections: observed.newInfections! }, loss: 'poisson', epochs: 80, learningRate: 0.05, network: { model, features: mobility, param: 'beta' }, params: ['gamma'] });
    const beta = fit.params.beta as number[];
    expect(correlation(beta, truth)).toBeGreaterThan(0.9);
    expect(fit.loss).toBeLessThan(fit.history[0]! * 0.5);
    const [w] = model.getWeights();
    expect(w!.dataSync()[0]).toBeGreaterThan(0.5); // the network learned that mobility drives transmission
    model.dispose();
    sim.dispose();
  }, 180_000);

  it('stops on request, on abort and leaks no tensors', async () => {
    const observed = await observedFrom('example/network-sir', { seedFraction: 0.02 }, 1, 10, 'random-graph', 500);
    const sim = runtime.createSimulation({ model: 'example/network-sir', population: 'random-graph', agents: 500, seed: 2, params: { seedFraction: 0.02 } });
    await sim.ready();
    const tensors = tf.memory().numTensors;
    const stopped = await calibrate(sim, { observed: { newInfections: observed.newInfections! }, epochs: 50, onEpoch: (e) => e.epoch < 3 });
    expect(stopped).toMatchObject({ stopped: 'callback', epochs: 3 });
    expect(tf.memory().numTensors).toBe(tensors);
    const controller = new AbortController();
    const aborted = await calibrate(sim, { observed: { I: observed.I! }, epochs: 50, signal: controller.signal, onEpoch: (e) => void (e.epoch === 2 && controller.abort()) });
    expect(aborted).toMatchObject({ stopped: 'aborted', epochs: 2 });
    controller.abort();
    await expect(calibrate(sim, { observed: { I: observed.I! }, signal: controller.signal })).rejects.toThrow(/aborted before the first epoch/);
    sim.dispose();
  });

  it('stops inside an epoch\'s reverse pass when its signal aborts (nothing kept)', async () => {
    const sim = runtime.createSimulation({ model: 'example/network-sir', population: 'random-graph', agents: 20_000, seed: 2 });
    await sim.ready();
    const observed = (await sim.run({ steps: 30 })).metrics.newInfections!;
    const tensors = tf.memory().numTensors;
    // aborted at the third turn the event loop gets, inside the first epoch's reverse pass: had the
    // pass not honoured the signal, the epoch would end and the fit return it (stopped 'aborted', 1 epoch)
    const controller = new AbortController();
    let turns = 0;
    const stopper = setInterval(() => (++turns === 3 ? controller.abort(new Error('enough')) : undefined), 1);
    const fit = calibrate(sim, { params: ['beta'], observed: { newInfections: observed }, epochs: 5, estimator: 'straight-through', signal: controller.signal });
    await expect(fit.finally(() => clearInterval(stopper))).rejects.toThrow(/aborted before the first epoch/);
    expect(tf.memory().numTensors).toBe(tensors);
    sim.dispose();
  });

  it('rejects bad options with what was expected', async () => {
    const sim = runtime.createSimulation({ model: 'example/network-sir', population: 'random-graph', agents: 200 });
    const walk = runtime.createSimulation({ model: 'random-walk', agents: 10 });
    const cases: [Parameters<typeof calibrate>[1], RegExp][] = [
      [{ observed: { deaths: [1, 2] } }, /observed metric 'deaths' is not a metric of the model; expected one of \[S, I, R, newInfections\]/],
      [{ observed: {} }, /at least one metric/],
      [{ observed: { I: [] } }, /non-empty array/],
      [{ observed: { I: [1, 'x' as never] } }, /observed 'I'\[1\] expected a finite number or null, received "x"/],
      [{ observed: { I: [null, null] } }, /no observed value/],
      [{ observed: { I: [3, -1] }, loss: 'poisson' }, /'I'\[1\] is -1, but a count likelihood needs non-negative counts/],
      [{ observed: { I: [3, 1] }, params: ['seedFraction'] }, /'seedFraction' .* is not learnable/],
      [{ observed: { I: [3, 1] }, params: ['delta'] }, /no parameter 'delta'/],
      [{ observed: { I: [3, 1] }, epochs: 0 }, /epochs expected a positive integer/],
      [{ observed: { I: [3, 1] }, optimizer: 'lbfgs' as never }, /optimizer: expected 'adam', 'sgd', 'rmsprop'/],
      [{ observed: { I: [3, 1] }, loss: { type: 'negative-binomial', dispersion: 0 } }, /dispersion > 0/],
    ];
    for (const [options, message] of cases) await expect(calibrate(sim, options)).rejects.toThrow(message);
    await expect(calibrate(sim, { observed: { I: [3, 1] }, learningRate: -1 })).rejects.toThrow(/learningRate expected a positive number, received -1/);
    const fixed = defineModel({ id: 'fixed', description: 'nothing to learn', state: { agents: { a: { properties: { x: { dtype: 'float32', init: 0 } } } } }, parameters: { k: { default: 1 } }, substeps: [defineSubstep({ name: 'noop', reads: [], writes: [], transition: () => ({}) })], metrics: { meanX: meanOf('agents/a/x') } });
    const rigid = createRuntime({ plugins: [definePlugin({ name: 'rigid', version: '1.0.0', models: [fixed] })], backend: 'cpu' }).createSimulation({ model: 'fixed', agents: 3 });
    await expect(calibrate(rigid, { observed: { meanX: [0, 0] } })).rejects.toThrow(/has no learnable parameter to fit/);
    rigid.dispose();
    const net = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [1] })] });
    await expect(calibrate(walk, { observed: { meanX: [0, 1] }, network: { model: net, features: [[1]], param: 'speed' } })).rejects.toThrow(/'speed' must be a time-varying parameter/);
    net.dispose();
    sim.dispose();
    walk.dispose();
  });
});
