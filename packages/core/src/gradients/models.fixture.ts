/**
 * Models for the gradient tests: a smooth (mean-field) network SIR whose
 * outputs are differentiable functions of the parameters for a given seed, and
 * a stochastic homogeneous SIR with a weekly transmission rate.
 */
import { bernoulli } from '../distributions/bernoulli.js';
import { sumOf } from '../metrics.js';
import { defineModel } from '../model.js';
import { definePlugin } from '../plugin.js';
import { defineSubstep } from '../substep.js';
import { tf } from '../tf.js';

const S = 'agents/people/s';
const I = 'agents/people/i';
const R = 'agents/people/r';
const people = (init: { s: (u: number) => number; i: (u: number) => number }) => ({
  people: {
    properties: {
      s: { dtype: 'float32' as const, init: (ctx: { uniform(stream: string): Float32Array }) => Float32Array.from(ctx.uniform('seed'), init.s) },
      i: { dtype: 'float32' as const, init: (ctx: { uniform(stream: string): Float32Array }) => Float32Array.from(ctx.uniform('seed'), init.i) },
      r: { dtype: 'float32' as const, init: 0 },
    },
  },
});

/** Probabilities of being S, I, R per agent; a random 2% start infected (per seed). */
export const meanFieldSir = defineModel({
  id: 'mean-field-sir',
  description: 'expected-value network SIR (smooth in its parameters)',
  state: { agents: people({ s: (u) => (u < 0.02 ? 0 : 1), i: (u) => (u < 0.02 ? 1 : 0) }), environment: { newInfections: { dtype: 'float32', init: 0 } }, networks: { contacts: { agents: 'people' } } },
  parameters: {
    beta: { default: 0.04, bounds: [0, 5], learnable: true },
    gamma: { default: 0.15, bounds: [0, 1], learnable: true },
    mixing: { default: [1, 0.6, 1.2], bounds: [0, 5], learnable: true, period: 7, description: 'weekly contact multiplier' },
  },
  substeps: [defineSubstep({
    name: 'spread', reads: [S, I, R, 'networks/contacts'], writes: [S, I, R, 'env/newInfections'],
    transition: (ctx) => {
      const [s, i, r] = [ctx.get(S), ctx.get(I), ctx.get(R)];
      const hazard = tf.mul(tf.mul(ctx.param('beta'), ctx.param('mixing')), ctx.messagePass('contacts', i));
      const infected = tf.mul(s, tf.sub(1, tf.exp(tf.neg(hazard))));
      const recovered = tf.mul(ctx.param('gamma'), i);
      return { [S]: tf.sub(s, infected), [I]: tf.sub(tf.add(i, infected), recovered), [R]: tf.add(r, recovered), 'env/newInfections': tf.sum(infected) };
    },
  })],
  metrics: { I: sumOf(I), R: sumOf(R), newInfections: sumOf('env/newInfections') },
});

/** Stochastic homogeneous SIR with a weekly transmission rate; 20 agents start infected. */
export const weeklySir = defineModel({
  id: 'weekly-sir',
  description: 'homogeneous stochastic SIR with weekly beta',
  state: { agents: people({ s: () => 1, i: () => 0 }), environment: { newInfections: { dtype: 'float32', init: 0 } } },
  parameters: {
    beta: { default: [0.3, 0.3, 0.3, 0.3, 0.3, 0.3], bounds: [0, 3], learnable: true, period: 7 },
    gamma: { default: 0.1, bounds: [0, 1], learnable: true },
  },
  substeps: [defineSubstep({
    name: 'day', reads: [S, I, R], writes: [S, I, R, 'env/newInfections'],
    transition: (ctx) => {
      const [s, i0, r] = [ctx.get(S), ctx.get(I), ctx.get(R)];
      // 20 index cases on day 0
      const i = ctx.step === 0 ? tf.concat([tf.ones([20]), tf.slice(i0, [20], [-1])]) : i0;
      const sNow = ctx.step === 0 ? tf.concat([tf.zeros([20]), tf.slice(s, [20], [-1])]) : s;
      const p = tf.sub(1, tf.exp(tf.neg(tf.mul(ctx.param('beta'), tf.div(tf.sum(i), ctx.count('people'))))));
      const infected = tf.mul(bernoulli(p, ctx.random.uniform('people', 'infect')), sNow);
      const recovered = tf.mul(bernoulli(ctx.param('gamma'), ctx.random.uniform('people', 'recover')), i);
      return { [S]: tf.sub(sNow, infected), [I]: tf.sub(tf.add(i, infected), recovered), [R]: tf.add(r, recovered), 'env/newInfections': tf.sum(infected) };
    },
  })],
  metrics: { I: sumOf(I), newInfections: sumOf('env/newInfections') },
  defaultAgents: 20_000,
});

/** Needs the example plugin's random-graph population in the same runtime. */
export const gradientFixtures = definePlugin({ name: 'fixtures', version: '1.0.0', requires: ['example'], models: [meanFieldSir, weeklySir] });
