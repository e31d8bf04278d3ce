/**
 * `example/network-seir`: SEIR over a contact network, differentiable and
 * written on the fused kernels. Each day a susceptible agent is exposed with
 * probability 1 - exp(-beta * infected in-contacts); an exposed agent becomes
 * infectious with probability sigma; an infectious one recovers with
 * probability gamma.
 */
import { applyFlows } from '../kernels/ops/linear-combine.js';
import { sumAll } from '../kernels/ops/sum-all.js';
import { sumOf } from '../metrics.js';
import { seeded } from './seeding.js';
import { defineModel } from '../model.js';
import { defineSubstep } from '../substep.js';
import { tf } from '../tf.js';

const path = <const C extends string>(c: C) => `agents/people/${c}` as const;
const S = path('susceptible');
const E = path('exposed');
const I = path('infected');
const R = path('recovered');

const day = defineSubstep({
  name: 'day',
  description: 'exposure along in-contacts, onset of infectiousness, recovery',
  reads: [S, E, I, R, 'networks/contacts'],
  writes: [S, E, I, R, 'env/newInfections'],
  transition: (ctx) => {
    const [s, e, i, r] = [ctx.get(S), ctx.get(E), ctx.get(I), ctx.get(R)];
    const exposed = ctx.sample.hazard(ctx.param('beta'), ctx.messagePass('contacts', i), { mask: s, stream: 'expose' });
    const onset = ctx.sample.bernoulli(ctx.param('sigma'), { mask: e, stream: 'onset' });
    const recovered = ctx.sample.bernoulli(ctx.param('gamma'), { mask: i, stream: 'recover' });
    const next = applyFlows({ s, e, i, r }, [['s', 'e', exposed], ['e', 'i', onset], ['i', 'r', recovered]]);
    return { [S]: next.s, [E]: next.e, [I]: next.i, [R]: next.r, 'env/newInfections': sumAll(exposed) };
  },
});

export const networkSeir = defineModel({
  id: 'network-seir',
  description: 'SEIR epidemic over a contact network, differentiable (needs a population with a "contacts" network)',
  state: {
    agents: {
      people: {
        susceptible: { dtype: 'float32', init: seeded(false), description: '1 while susceptible' },
        exposed: { dtype: 'float32', init: 0, description: '1 while infected but not yet infectious' },
        infected: { dtype: 'float32', init: seeded(true), description: '1 while infectious' },
        recovered: { dtype: 'float32', init: 0, description: '1 once recovered' },
      },
    },
    environment: { newInfections: { dtype: 'float32', init: 0, description: 'new exposures during the last day' } },
    networks: { contacts: { agents: 'people', description: 'who can infect whom (in-contacts)' } },
  },
  parameters: {
    beta: { default: 0.05, bounds: [0, 5], learnable: true, description: 'transmission rate per infectious contact per day', unit: '1/day' },
    sigma: { default: 0.2, bounds: [0, 1], learnable: true, description: 'daily probability that an exposed agent becomes infectious', unit: '1/day' },
    gamma: { default: 0.1, bounds: [0, 1], learnable: true, description: 'daily recovery probability', unit: '1/day' },
    seedFraction: { default: 0.001, bounds: [0, 1], description: 'fraction of agents infectious at day 0' },
  },
  substeps: [day],
  metrics: {
    S: sumOf(S, 'susceptible agents'),
    E: sumOf(E, 'exposed agents'),
    I: sumOf(I, 'infectious agents'),
    R: sumOf(R, 'recovered agents'),
    newInfections: sumOf('env/newInfections', 'new exposures that day'),
  },
});
