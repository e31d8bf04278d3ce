/**
 * `epi/sir` and `epi/seir`: stochastic agent-based SIR and SEIR, one step per
 * day, homogeneous mixing or over the population's contact layers (see
 * layers.ts for the meaning of `beta` in each mode).
 *
 * One day, every transition drawn from the state at the start of the day:
 *   S -> E (SIR: S -> I)  with probability 1 - exp(-beta * I / N)   (homogeneous)
 *                         or 1 - exp(-beta / D * sum_l w_l sum_{c in N_l(i)} a_ic I_c)  (network)
 *   E -> I                with probability 1 - exp(-sigma)
 *   I -> R                with probability p = 1 - exp(-gamma)
 * The seed infections are infectious (I) at day 0.
 *
 * Discrete-time theory used by the validation tests (derivations in the test files):
 *  - an infectious agent exerts pressure on D >= 1 whole days, D ~ Geometric(p), E[D] = 1 / p,
 *    so R0 = beta * E[D] = beta / (1 - exp(-gamma)) and the homogeneous final size solves
 *    1 - z = (1 - z0) exp(-R0 z) (z0: the seeded fraction);
 *  - early growth factor per day: SIR lambda = exp(-gamma) + beta; SEIR the leading eigenvalue of
 *    [[exp(-sigma), beta], [1 - exp(-sigma), exp(-gamma)]].
 */
import { applyFlows, defineModel, defineSubstep, sumAll, sumOf, tf, type ModelDefinition, type SubstepContext } from '@populace/core';
import { LAYER_DEGREES, LAYER_PATHS, layerDegreesSpec, layerNetworks, layerWeightParams, networkPressure, presentLayers } from './layers.js';
import { seeded } from './seeding.js';

const path = <const C extends string>(c: C) => `agents/people/${c}` as const;
const S = path('susceptible');
const E = path('exposed');
const I = path('infectious');
const R = path('recovered');

/**
 * The daily infection hazard of every susceptible agent as `rate * exposure`: `beta` times the
 * scalar `I / N` in homogeneous mode, or `beta` times each agent's layer-weighted count of
 * infectious in-contacts over the mean weighted degree D in network mode.
 */
export function infectionHazard(ctx: SubstepContext, infectious: tf.Tensor): { rate: tf.Tensor; exposure: tf.Tensor } {
  const beta = ctx.param('beta');
  const layers = presentLayers(ctx);
  if (layers.length === 0) return { rate: beta, exposure: tf.div(sumAll(infectious), ctx.count('people')) };
  return { rate: beta, exposure: networkPressure(ctx, layers, () => infectious, tf.scalar(1)) };
}

function buildModel<const Id extends 'sir' | 'seir'>(id: Id): ModelDefinition<Id> {
  const latent = id === 'seir';
  const compartments = latent ? [S, E, I, R] : [S, I, R];
  const day = defineSubstep({
    name: 'day',
    description: latent ? 'exposure (homogeneous or along the contact layers), onset of infectiousness, recovery' : 'infection (homogeneous or along the contact layers), recovery',
    reads: [...compartments, LAYER_DEGREES, ...LAYER_PATHS],
    writes: [...compartments, 'env/newInfections'],
    transition: (ctx) => {
      const [s, i, r] = [ctx.get(S), ctx.get(I), ctx.get(R)];
      const one = tf.scalar(1);
      const { rate, exposure } = infectionHazard(ctx, i);
      const infected = ctx.sample.hazard(rate, exposure, { mask: s, stream: 'infect' });
      const recovered = ctx.sample.hazard(ctx.param('gamma'), one, { mask: i, stream: 'recover' });
      if (!latent) {
        const next = applyFlows({ s, i, r }, [['s', 'i', infected], ['i', 'r', recovered]]);
        return { [S]: next.s, [I]: next.i, [R]: next.r, 'env/newInfections': sumAll(infected) };
      }
      const e = ctx.get(E);
      const onset = ctx.sample.hazard(ctx.param('sigma'), one, { mask: e, stream: 'onset' });
      const next = applyFlows({ s, e, i, r }, [['s', 'e', infected], ['e', 'i', onset], ['i', 'r', recovered]]);
      return { [S]: next.s, [E]: next.e, [I]: next.i, [R]: next.r, 'env/newInfections': sumAll(infected) };
    },
  });
  return defineModel({
    id,
    description: latent
      ? 'stochastic SEIR, one step per day: homogeneous mixing, or over the population contact layers (household, school, work, community, contacts) with per-layer weights'
      : 'stochastic SIR, one step per day: homogeneous mixing, or over the population contact layers (household, school, work, community, contacts) with per-layer weights',
    state: {
      agents: {
        people: {
          description: 'everyone, as 0/1 compartment indicators (float32, so that gradients flow)',
          susceptible: { dtype: 'float32', init: seeded(false), description: '1 while susceptible' },
          ...(latent ? { exposed: { dtype: 'float32' as const, init: 0, description: '1 while infected but not yet infectious' } } : {}),
          infectious: { dtype: 'float32', init: seeded(true), description: '1 while infectious (the seed infections start here)' },
          recovered: { dtype: 'float32', init: 0, description: '1 once recovered (immune)' },
        },
      },
      environment: {
        newInfections: { dtype: 'float32', init: 0, description: 'infections during the last day' },
        layerDegrees: layerDegreesSpec,
      },
      networks: layerNetworks(),
    },
    parameters: {
      beta: { default: 0.3, bounds: [0, 50], learnable: true, unit: '1/day', description: 'transmission rate: infectious contacts per person per day (homogeneous: hazard beta * I / N; network: beta per average-degree agent whose contacts are all infectious)' },
      gamma: { default: 0.1, bounds: [0, 50], learnable: true, unit: '1/day', description: 'recovery rate: an infectious agent recovers each day with probability 1 - exp(-gamma)' },
      ...(latent ? { sigma: { default: 0.2, bounds: [0, 50], learnable: true, unit: '1/day', description: 'E -> I rate: an exposed agent becomes infectious each day with probability 1 - exp(-sigma)' } } : {}),
      seedInfections: { default: 10, bounds: [0, 1e9], integer: true, description: 'agents infectious at day 0 (drawn at random; at most the number of agents)' },
      ...layerWeightParams({ household: 1, school: 1, work: 1, community: 1, contacts: 1 }, 'default 1: all layers alike'),
    },
    substeps: [day],
    metrics: {
      S: sumOf(S, 'susceptible agents'),
      ...(latent ? { E: sumOf(E, 'exposed (latent) agents') } : {}),
      I: sumOf(I, 'infectious agents'),
      R: sumOf(R, 'recovered agents'),
      newInfections: sumOf('env/newInfections', 'new infections that day'),
    },
    defaultAgents: 10_000,
  });
}

/** `epi/sir`: stochastic SIR (parameters beta, gamma, seedInfections, layer weights). */
export const sir = buildModel('sir');

/** `epi/seir`: stochastic SEIR (parameters beta, sigma, gamma, seedInfections, layer weights). */
export const seir = buildModel('seir');
