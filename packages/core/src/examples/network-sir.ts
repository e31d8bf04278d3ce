/**
 * `example/network-sir`: SIR over a contact network, differentiable end to
 * end. Each day a susceptible agent is infected with probability
 * 1 - exp(-beta * (number of infected in-contacts)); an infected agent
 * recovers with probability gamma. Compartments are float32 0/1 indicators
 * and the draws are straight-through Bernoulli samples, so gradients flow
 * from every metric back to beta and gamma. Written on the fused kernels:
 * message passing, hazard and Bernoulli events, compartment flows.
 */
import { applyFlows } from '../kernels/ops/linear-combine.js';
import { sumAll } from '../kernels/ops/sum-all.js';
import { defineModel } from '../model.js';
import { sumOf } from '../metrics.js';
import { seeded } from './seeding.js';
import { defineSubstep } from '../substep.js';
import { tf } from '../tf.js';

const S = 'agents/people/susceptible';
const I = 'agents/people/infected';
const R = 'agents/people/recovered';

const spread = defineSubstep({
  name: 'spread',
  description: 'infection along in-contacts, then recovery',
  reads: [S, I, R, 'networks/contacts'],
  writes: [S, I, R, 'env/newInfections'],
  transition: (ctx) => {
    const [s, i, r] = [ctx.get(S), ctx.get(I), ctx.get(R)];
    // pressure = number of infected in-contacts; P(infection) = 1 - exp(-beta * pressure)
    const pressure = ctx.messagePass('contacts', i);
    const infected = ctx.sample.hazard(ctx.param('beta'), pressure, { mask: s, stream: 'infect' });
    const recovered = ctx.sample.bernoulli(ctx.param('gamma'), { mask: i, stream: 'recover' });
    const next = applyFlows({ s, i, r }, [['s', 'i', infected], ['i', 'r', recovered]]);
    return { [S]: next.s, [I]: next.i, [R]: next.r, 'env/newInfections': sumAll(infected) };
  },
});

export const networkSir = defineModel({
  id: 'network-sir',
  description: 'SIR epidemic over a contact network, differentiable (needs a population with a "contacts" network)',
  state: {
    agents: {
      people: {
        susceptible: { dtype: 'float32', init: seeded(false), description: '1 while susceptible' },
        infected: { dtype: 'float32', init: seeded(true), description: '1 while infected' },
        recovered: { dtype: 'float32', init: 0, description: '1 once recovered' },
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
    S: sumOf(S, 'susceptible agents'),
    I: sumOf(I, 'infected agents'),
    R: sumOf(R, 'recovered agents'),
    newInfections: sumOf('env/newInfections', 'new infections that day'),
  },
});
