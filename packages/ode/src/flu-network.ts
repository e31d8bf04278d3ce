/**
 * `ode/flu-network`: a two-scale influenza model. Between hosts, a stochastic
 * network epidemic (a day per step): a susceptible agent is infected with
 * probability 1 - exp(-beta * sum of its in-contacts' infectiousness). Within
 * each infected host, the target-cell-limited viral ODE (`ode/viral-tcl`,
 * Baccam et al. 2006) runs with 10 RK4 steps a day, started at the inoculum V0
 * on the day of infection; its infectiousness V / (V + K) drives transmission.
 * Every agent carries the ODE; an uninfected one sits at the equilibrium
 * (T0, 0, 0), so no mask is needed. A population-level metric has gradients
 * with respect to the within-host parameters: use the 'stochastic-derivative'
 * estimator (the ODE state is carried along its replays; straight-through
 * gradients through the network are not finite at 45 days, see README.md).
 */
import { defineModel, defineSubstep, sumOf, tf, type InitContext } from '@populace/core';
import { odeParameters, odeSubstep } from './ode-substep.js';
import { BACCAM_2006, viralTcl } from './viral.js';

const P = (name: string) => `agents/people/${name}` as const;
const [SUS, INF, T, I, V, INFECTIOUS] = [P('susceptible'), P('infected'), P('targetCells'), P('infectedCells'), P('viralLoad'), P('infectiousness')];

/** Uniforms shared by the initialisers (same stream: the same agents are seeded in every property). */
const seeds = (ctx: InitContext): Float32Array => {
  const u = ctx.uniform('seed');
  const fraction = ctx.params.seedFraction as number;
  return u.map((x) => (x < fraction ? 1 : 0));
};

const transmission = defineSubstep({
  name: 'transmission',
  description: 'infection along in-contacts with hazard beta * (sum of contacts\' infectiousness); the newly infected receive the inoculum V0',
  reads: [SUS, INF, V, INFECTIOUS, 'networks/contacts'],
  writes: [SUS, INF, V, 'env/newInfections'],
  transition: (ctx) => {
    const s = ctx.get(SUS);
    const pressure = ctx.messagePass('contacts', ctx.get(INFECTIOUS));
    const infected = ctx.sample.hazard(ctx.param('beta'), pressure, { mask: s, stream: 'infect' });
    return {
      [SUS]: tf.sub(s, infected),
      [INF]: tf.add(ctx.get(INF), infected),
      [V]: tf.add(ctx.get(V), tf.mul(infected, ctx.param('inoculum'))),
      'env/newInfections': tf.sum(infected),
    };
  },
});

const withinHost = odeSubstep(viralTcl, {
  name: 'within-host',
  state: { T, I, V },
  params: { beta: 'viralBeta', p: 'viralP', c: 'viralC', delta: 'viralDelta', K: 'halfInfectiousTiter' },
  outputs: { infectiousness: INFECTIOUS },
  method: 'rk4',
  dt: 0.1,
});

const property = (init: number | ((ctx: InitContext) => ArrayLike<number>), description: string) => ({ dtype: 'float32' as const, init, description });

export const fluNetwork = defineModel({
  id: 'flu-network',
  description: 'influenza on a contact network, infectiousness from each host\'s target-cell-limited viral ODE (Baccam et al. 2006), RK4 with 10 steps a day; needs a population with a "contacts" network',
  state: {
    agents: {
      people: {
        properties: {
          susceptible: property((ctx) => seeds(ctx).map((x) => 1 - x), '1 while never infected'),
          infected: property(seeds, '1 once infected (ever)'),
          targetCells: property(BACCAM_2006.T0, 'within-host target cells T'),
          infectedCells: property(0, 'within-host infected cells I'),
          viralLoad: property((ctx) => seeds(ctx).map((x) => x * BACCAM_2006.V0), 'within-host virus V (TCID50/ml)'),
          infectiousness: property(0, 'V / (V + K) after the last within-host update'),
        },
      },
    },
    environment: { newInfections: { dtype: 'float32', init: 0, description: 'infections during the last day' } },
    networks: { contacts: { agents: 'people', description: 'who can infect whom (in-contacts)' } },
  },
  parameters: {
    beta: { default: 0.08, bounds: [0, 10], learnable: true, unit: '1/day', description: 'between-host transmission rate per unit of a contact\'s infectiousness per day' },
    ...odeParameters(viralTcl, { beta: 'viralBeta', p: 'viralP', c: 'viralC', delta: 'viralDelta', K: 'halfInfectiousTiter' }),
    inoculum: { default: BACCAM_2006.V0, bounds: [0, 1e6], unit: 'TCID50/ml', description: 'virus titer a new infection starts with (Baccam et al. 2006: V0 = 9.3e-2)' },
    seedFraction: { default: 0.001, bounds: [0, 1], description: 'fraction of agents infected at day 0' },
  },
  substeps: [transmission, withinHost],
  metrics: {
    newInfections: sumOf('env/newInfections', 'infections that day'),
    everInfected: sumOf(INF, 'agents infected so far'),
    infectiousness: sumOf(INFECTIOUS, 'total infectiousness (sum of V / (V + K) over agents)'),
  },
  defaultAgents: 10_000,
});
