/**
 * State that substeps declare `continuous` (smooth in the parameters with the draws held, like an
 * ODE's) is carried along the stochastic derivative's replays: an event probability that depends
 * on a parameter only through such state gets its slope. Model: a "load" x grows by theta each
 * step (declared continuous); each of N independent agents is infected at step t with probability
 * 1 - exp(-x_t) read before the growth, so E[total infections] = N (1 - exp(-theta T (T - 1) / 2))
 * for T steps, whose derivative is exact.
 */
import { describe, expect, it } from 'vitest';
import { PopulaceError } from '../errors.js';
import { sumOf } from '../metrics.js';
import { defineModel } from '../model.js';
import { definePlugin } from '../plugin.js';
import { createRuntime } from '../runtime.js';
import { defineSubstep } from '../substep.js';
import { tf } from '../tf.js';
import { stochasticDerivatives } from './stochastic-derivative.js';

const N = 400;
const T = 6;
const THETA = 0.02;
const S = 'agents/people/s';
const X = 'env/load';

const model = (continuous: boolean) =>
  defineModel({
    id: continuous ? 'load-carried' : 'load-plain',
    description: 'infection hazard from a load that grows by theta each step',
    state: { agents: { people: { properties: { s: { dtype: 'float32', init: 1 } } } }, environment: { load: { dtype: 'float32', init: 0 }, newInfections: { dtype: 'float32', init: 0 } } },
    parameters: { theta: { default: THETA, bounds: [0, 1], learnable: true } },
    substeps: [
      defineSubstep({
        name: 'infect', reads: [S, X], writes: [S, 'env/newInfections'],
        transition: (ctx) => {
          const s = ctx.get(S);
          const infected = ctx.sample.hazard(tf.scalar(1), tf.broadcastTo(ctx.get(X), s.shape), { mask: s, stream: 'infect' });
          return { [S]: tf.sub(s, infected), 'env/newInfections': tf.sum(infected) };
        },
      }),
      defineSubstep({ name: 'grow', reads: [X], writes: [X], ...(continuous ? { continuous: [X] } : {}), transition: (ctx) => ({ [X]: tf.add(ctx.get(X), ctx.param('theta')) }) }),
    ],
    metrics: { newInfections: sumOf('env/newInfections') },
    defaultAgents: N,
  });

describe('stochastic derivative: continuous state', () => {
  const runtime = createRuntime({ plugins: [definePlugin({ name: 'load', version: '1.0.0', models: [model(true), model(false)] })], backend: 'cpu' });
  const total = (s: Readonly<Record<string, readonly number[]>>) => s.newInfections!.reduce((a, b) => a + b, 0);
  const estimate = async (id: 'load/load-carried' | 'load/load-plain') => {
    const xs: number[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const sim = runtime.createSimulation({ model: id, seed });
      await sim.ready();
      xs.push(stochasticDerivatives(sim, { steps: T, entries: [{ param: 'theta' }], objective: total, replicates: 1 }).gradients[0]!);
      sim.dispose();
    }
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const se = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) / xs.length);
    return { mean, se };
  };
  const k = (T * (T - 1)) / 2;
  const exact = N * k * Math.exp(-THETA * k);

  it('carried: the mean over seeds is within 4 standard errors of the exact derivative; not carried: zero', async () => {
    const carried = await estimate('load/load-carried');
    expect(Math.abs(carried.mean - exact)).toBeLessThan(4 * carried.se + 0.02 * exact);
    expect((await estimate('load/load-plain')).mean).toBe(0);
    if (process.env.SD_REPORT) console.log({ exact, carried });
  }, 120_000);

  it('defineSubstep refuses continuous paths that the substep does not write', () => {
    expect(() => defineSubstep({ name: 'bad', reads: [X], writes: [], continuous: [X], transition: () => ({}) })).toThrow(PopulaceError);
  });
});
