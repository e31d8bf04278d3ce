/**
 * `example/network-sir`: SIR over a contact network. Each day a susceptible
 * agent with infected in-contacts is infected with probability
 * 1 - exp(-beta * (number of infected contacts)); an infected agent recovers
 * with probability gamma.
 */
import { countWhere, sumOf } from '../metrics.js';
import { defineModel } from '../model.js';
import { defineSubstep } from '../substep.js';
import { tf } from '../tf.js';

export const SUSCEPTIBLE = 0;
export const INFECTED = 1;
export const RECOVERED = 2;

const STATUS = 'agents/people/status';

const spread = defineSubstep({
  name: 'spread',
  description: 'infection along contacts, then recovery',
  reads: [STATUS, 'networks/contacts'],
  writes: [STATUS, 'env/newInfections'],
  transition: (ctx) => {
    const status = ctx.get(STATUS);
    const infected = tf.cast(tf.equal(status, INFECTED), 'float32');
    const pressure = ctx.messagePass('contacts', infected);
    const pInfect = tf.sub(1, tf.exp(tf.mul(tf.neg(ctx.params.beta!), pressure)));
    const susceptible = tf.equal(status, SUSCEPTIBLE);
    const newlyInfected = tf.logicalAnd(susceptible, tf.less(ctx.random.uniform('people', 'infect'), pInfect));
    const recovers = tf.logicalAnd(tf.equal(status, INFECTED), tf.less(ctx.random.uniform('people', 'recover'), ctx.params.gamma!));
    const next = tf.add(status, tf.add(tf.cast(newlyInfected, 'int32'), tf.cast(recovers, 'int32')));
    return { [STATUS]: next, 'env/newInfections': tf.sum(tf.cast(newlyInfected, 'float32')) };
  },
});

export const networkSir = defineModel({
  id: 'network-sir',
  description: 'SIR epidemic over a contact network (needs a population with a "contacts" network)',
  state: {
    agents: {
      people: {
        properties: {
          status: {
            dtype: 'int32',
            description: '0 susceptible, 1 infected, 2 recovered',
            init: (ctx) => Int32Array.from(ctx.uniform('seed'), (u) => (u < (ctx.params.seedFraction as number) ? INFECTED : SUSCEPTIBLE)),
          },
        },
      },
    },
    environment: { newInfections: { dtype: 'float32', init: 0, description: 'infections during the last day' } },
    networks: { contacts: { agents: 'people', description: 'who can infect whom (in-contacts)' } },
  },
  parameters: {
    beta: { default: 0.05, bounds: [0, 5], learnable: true, description: 'transmission rate per infected contact per day', unit: '1/day' },
    gamma: { default: 0.1, bounds: [0, 1], learnable: true, description: 'daily recovery probability', unit: '1/day' },
    seedFraction: { default: 0.001, bounds: [0, 1], description: 'fraction of agents infected at day 0' },
  },
  substeps: [spread],
  metrics: {
    S: countWhere(STATUS, SUSCEPTIBLE, 'susceptible agents'),
    I: countWhere(STATUS, INFECTED, 'infected agents'),
    R: countWhere(STATUS, RECOVERED, 'recovered agents'),
    newInfections: sumOf('env/newInfections', 'new infections that day'),
  },
});
