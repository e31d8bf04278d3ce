/**
 * `ode/sir` and `ode/seir`: the deterministic compartmental models as ODE
 * components (population fractions) and as models that run them one day per
 * step, reporting counts of a population of N agents (`--agents`, or the
 * population's size), so that `populace run ode/seir` and `populace run
 * epi/seir` compare the ODE with the agent-based version of one disease:
 *
 *   ds/dt = -beta s i,  de/dt = beta s i - sigma e,  di/dt = sigma e - gamma i,  dr/dt = gamma i
 *   (SIR: no e, and beta s i flows straight into i)
 *
 * R0 = beta / gamma (the agent-based epi/sir draws daily events, so its R0 is beta / (1 - exp(-gamma))).
 * On day 0, `seedInfections` (at most N) move from s to i before the day is integrated.
 */
import { defineModel, defineSubstep, tf, type MetricSpec, type ModelDefinition, type StatePath } from '@populace/core';
import { defineOdeComponent } from './component.js';
import { solveOde } from './solve.js';

const rate = (description: string, value: number) => ({ default: value, bounds: [0, 50] as [number, number], learnable: true, unit: '1/day', description });
const BETA = rate('transmission rate: new infections per infectious person per day in a fully susceptible population', 0.3);
const GAMMA = rate('recovery rate: 1 / mean infectious period', 0.1);
const SIGMA = rate('onset rate E -> I: 1 / mean latent period', 0.2);

/** The SIR ODE on population fractions. */
export const sirOde = defineOdeComponent({
  id: 'sir',
  description: 'SIR on population fractions: ds/dt = -beta s i, di/dt = beta s i - gamma i, dr/dt = gamma i',
  state: { s: { init: 1, description: 'susceptible fraction' }, i: { init: 0, description: 'infectious fraction' }, r: { init: 0, description: 'recovered fraction' } },
  parameters: { beta: BETA, gamma: GAMMA },
  derivative: (_t, { s, i }, { beta, gamma }) => {
    const infection = tf.mul(tf.mul(beta, s), i);
    const recovery = tf.mul(gamma, i);
    return { s: tf.neg(infection), i: tf.sub(infection, recovery), r: recovery };
  },
  pointwise: (_t, [s, i], [beta, gamma], _x, dy) => {
    const infection = beta! * s! * i!;
    dy[0] = -infection;
    dy[1] = infection - gamma! * i!;
    dy[2] = gamma! * i!;
  },
  outputs: { prevalence: { description: 'infectious fraction', compute: ({ i }) => i } },
});

/** The SEIR ODE on population fractions. */
export const seirOde = defineOdeComponent({
  id: 'seir',
  description: 'SEIR on population fractions: ds/dt = -beta s i, de/dt = beta s i - sigma e, di/dt = sigma e - gamma i, dr/dt = gamma i',
  state: { s: { init: 1, description: 'susceptible fraction' }, e: { init: 0, description: 'exposed (latent) fraction' }, i: { init: 0, description: 'infectious fraction' }, r: { init: 0, description: 'recovered fraction' } },
  parameters: { beta: BETA, gamma: GAMMA, sigma: SIGMA },
  derivative: (_t, { s, e, i }, { beta, gamma, sigma }) => {
    const infection = tf.mul(tf.mul(beta, s), i);
    const onset = tf.mul(sigma, e);
    const recovery = tf.mul(gamma, i);
    return { s: tf.neg(infection), e: tf.sub(infection, onset), i: tf.sub(onset, recovery), r: recovery };
  },
  pointwise: (_t, [s, e, i], [beta, gamma, sigma], _x, dy) => {
    const infection = beta! * s! * i!;
    dy[0] = -infection;
    dy[1] = infection - sigma! * e!;
    dy[2] = sigma! * e! - gamma! * i!;
    dy[3] = gamma! * i!;
  },
  outputs: { prevalence: { description: 'infectious fraction', compute: ({ i }) => i } },
});

/** Internal RK4 steps per day. */
const STEPS_PER_DAY = 10;

function count(path: StatePath, description: string): MetricSpec {
  return { description, reads: [path], compute: (ctx) => tf.mul(tf.reshape(ctx.get(path), []), ctx.count('people')) };
}

function buildModel<const Id extends 'sir' | 'seir'>(id: Id): ModelDefinition<Id> {
  const latent = id === 'seir';
  const component = latent ? seirOde : sirOde;
  const vars = latent ? (['s', 'e', 'i', 'r'] as const) : (['s', 'i', 'r'] as const);
  const paths = vars.map((v) => `env/${v}` as const);
  const day = defineSubstep({
    name: 'day',
    description: `integrates the ${id.toUpperCase()} ODE over one day (RK4, ${STEPS_PER_DAY} steps); seeds seedInfections on day 0`,
    reads: paths,
    writes: [...paths, 'env/newInfections'],
    transition: (ctx) => {
      const y: Record<string, tf.Tensor> = Object.fromEntries(vars.map((v) => [v, ctx.get(`env/${v}`)]));
      if (ctx.step === 0) {
        const n = ctx.count('people');
        const seeded = tf.div(tf.minimum(ctx.param('seedInfections'), n), n);
        y.s = tf.sub(y.s!, seeded);
        y.i = tf.add(y.i!, seeded);
      }
      const params = Object.fromEntries(Object.keys(component.parameters).map((p) => [p, ctx.param(p)]));
      const end = solveOde(component as typeof seirOde, { y0: y, params, times: [ctx.step, ctx.step + 1], method: 'rk4', dt: 1 / STEPS_PER_DAY }).states[1]!;
      const updates: Record<string, tf.Tensor> = Object.fromEntries(vars.map((v) => [`env/${v}`, end[v]]));
      updates['env/newInfections'] = tf.mul(tf.sub(ctx.get('env/s'), end.s), ctx.count('people'));
      return updates;
    },
  });
  const fraction = (init: number, description: string) => ({ dtype: 'float32' as const, init, description });
  return defineModel({
    id,
    description: `deterministic ${id.toUpperCase()} ODE (RK4, ${STEPS_PER_DAY} internal steps a day), one step per day, reporting counts of a population of N = the agent count; the ODE counterpart of epi/${id}`,
    state: {
      agents: { people: { description: 'the population: only its size N matters (the ODE tracks fractions)', properties: {} } },
      environment: {
        s: fraction(1, 'susceptible fraction'),
        ...(latent ? { e: fraction(0, 'exposed fraction') } : {}),
        i: fraction(0, 'infectious fraction (seedInfections / N move here on day 0)'),
        r: fraction(0, 'recovered fraction'),
        newInfections: fraction(0, 'new infections during the last day (a count)'),
      },
    },
    parameters: {
      beta: BETA,
      gamma: GAMMA,
      ...(latent ? { sigma: SIGMA } : {}),
      seedInfections: { default: 10, bounds: [0, 1e9], integer: true, description: 'infectious at the start of day 0 (at most N)' },
    },
    substeps: [day],
    metrics: {
      S: count('env/s', 'susceptible people'),
      ...(latent ? { E: count('env/e', 'exposed (latent) people') } : {}),
      I: count('env/i', 'infectious people'),
      R: count('env/r', 'recovered people'),
      newInfections: { description: 'new infections that day', reads: ['env/newInfections'], compute: (ctx) => tf.reshape(ctx.get('env/newInfections'), []) },
    },
    defaultAgents: 10_000,
  });
}

/** `ode/sir`: the deterministic SIR ODE (parameters beta, gamma per day, seedInfections; metrics S, I, R, newInfections). */
export const sirModel = buildModel('sir');

/** `ode/seir`: the deterministic SEIR ODE (parameters beta, sigma, gamma per day, seedInfections; metrics S, E, I, R, newInfections). */
export const seirModel = buildModel('seir');
