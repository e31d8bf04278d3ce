// @ts-check
/**
 * A toy SIR model as a Populace plugin: homogeneous mixing, one step per day.
 * Each day a susceptible agent is infected with probability 1 - exp(-beta * I / N);
 * an infected agent recovers with probability gamma. Written only against
 * @populace/core's public API. Its package.json declares
 * "populace": { "plugin": "./plugin.js" }, so `populace models` finds it once installed.
 */
import { countWhere, defineModel, definePlugin, defineSubstep, sumOf, tf } from '@populace/core';

const STATUS = 'agents/people/status';
const [S, I, R] = [0, 1, 2];

const day = defineSubstep({
  name: 'day',
  description: 'infection by homogeneous mixing, then recovery',
  reads: [STATUS],
  writes: [STATUS, 'env/newInfections'],
  transition: (ctx) => {
    const status = ctx.get(STATUS);
    const n = ctx.count('people');
    const infected = tf.sum(tf.cast(tf.equal(status, I), 'float32'));
    const pInfect = tf.sub(1, tf.exp(tf.neg(tf.mul(ctx.params.beta, tf.div(infected, n)))));
    const newly = tf.logicalAnd(tf.equal(status, S), tf.less(ctx.random.uniform('people', 'infect'), pInfect));
    const recovers = tf.logicalAnd(tf.equal(status, I), tf.less(ctx.random.uniform('people', 'recover'), ctx.params.gamma));
    return {
      [STATUS]: tf.add(status, tf.add(tf.cast(newly, 'int32'), tf.cast(recovers, 'int32'))),
      'env/newInfections': tf.sum(tf.cast(newly, 'float32')),
    };
  },
});

export const sir = defineModel({
  id: 'sir',
  description: 'homogeneous-mixing SIR (toy example)',
  state: {
    agents: {
      people: {
        properties: {
          status: {
            dtype: 'int32',
            description: '0 S, 1 I, 2 R',
            // exactly `seedInfections` agents start infected
            init: (ctx) => Int32Array.from({ length: ctx.count }, (_, i) => (i < Number(ctx.params.seedInfections) ? I : S)),
          },
        },
      },
    },
    environment: { newInfections: { dtype: 'float32', init: 0 } },
  },
  parameters: {
    beta: { default: 0.3, bounds: [0, 10], learnable: true, description: 'transmission rate per day' },
    gamma: { default: 0.1, bounds: [0, 1], learnable: true, description: 'daily recovery probability' },
    seedInfections: { default: 10, bounds: [0, 1e9], integer: true, description: 'agents infected at day 0' },
  },
  substeps: [day],
  metrics: {
    S: countWhere(STATUS, S),
    I: countWhere(STATUS, I),
    R: countWhere(STATUS, R),
    newInfections: sumOf('env/newInfections'),
  },
  defaultAgents: 50_000,
});

export const plugin = definePlugin({ name: 'toy', version: '0.1.0', description: 'toy SIR example', models: [sir] });
export default plugin;
