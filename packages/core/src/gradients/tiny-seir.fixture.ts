/**
 * A tiny contact network with epi/covid's features (5 agents, SEIR, 12 days), whose E[total
 * infections] is computed exactly by dynamic programming over the 4^5 states: the reference of the
 * stochastic derivative's test on latent stages, clocked course draws, time-varying parameters and
 * first-passage infection together (./stochastic-derivative-seir.test.ts).
 *
 * The features can be switched off one at a time (`SeirVariant`), to tell which one an estimator's
 * error comes from; every variant has its own model (and its own exact expectation). `STAGED` adds
 * covid's chain of infectious stages (durations.ts, disease.ts): 2 whole stages and an optional
 * third, parameterised by the period's mean, whose derivative moves both the stages' exit and the
 * optional stage's entry (6^5 states). `LATENT_STAGED` does the same for the latent period, as covid's
 * (one whole stage and an optional second at its defaults; 5^5 states).
 */
import { sumOf } from '../metrics.js';
import { defineModel } from '../model.js';
import { definePlugin } from '../plugin.js';
import { createRuntime } from '../runtime.js';
import { defineSubstep } from '../substep.js';
import { tf } from '../tf.js';
import { EDGES } from './tiny-network.fixture.js';

/** tiny-network's household {0, 1, 2} with agent 3 off agent 2, and agent 4 off agent 3: a chain the early period's effects travel along. */
export const SEIR_EDGES: [number, number][] = [...EDGES, [3, 4]];
export const SEIR_N = 5;
export const SEIR_STEPS = 12;
/** Steps per entry of the time-varying beta: beta[0] on days 0-3, beta[1] on days 4-7, beta[2] on days 8-11. */
export const PERIOD = 4;
export const seirAdjacency: number[][] = Array.from({ length: SEIR_N }, (_, i) => Array.from({ length: SEIR_N }, (_, j): number => (SEIR_EDGES.some(([a, b]) => (a === i && b === j) || (a === j && b === i)) ? 1 : 0)));

/** Default parameters: beta per period (per infectious contact and day), sigma (daily E exit), gamma (daily I exit), infectiousDays and latentDays (means of the staged periods). */
export const SEIR_PARAMS = { beta: [0.5, 0.7, 0.4], sigma: 0.5, gamma: 0.3, infectiousDays: 3.5, latentDays: 3 } as const;
/** The staged infectious period's SD (fixed): c = m^2 / (SD^2 + m) = 2.72 stages at the default mean. */
export const STAGED_SD = 1;
/** Whole stages of the staged period (floor(c) at and near the default mean). */
export const STAGED_WHOLE = 2;

/** The staged latent period's SD (fixed): covid's defaults, 3 +/- 1.5 days, c = 1.71 stages. */
export const LATENT_SD = 1.5;
/** Whole stages of the staged latent period (floor(c) within latentDays' bounds). */
export const LATENT_WHOLE = 1;

/**
 * covid's stage shape (durations.ts): c = m^2 / (sd^2 + m) stages, each left with daily probability
 * c / m, the last whole one (`whole` = floor(c) within the parameter's bounds) followed by one more
 * with probability c - whole.
 */
const chainShape = (mean: number, sd: number, whole: number): { exit: number; extra: number } => {
  const c = (mean * mean) / (sd * sd + mean);
  return { exit: Math.min(c / mean, 1), extra: c - whole };
};

/** The staged infectious period: within infectiousDays' bounds [3, 3.7], 2.25 <= c <= 2.91: two whole stages. */
export const stagedShape = (mean: number): { exit: number; extra: number } => chainShape(mean, STAGED_SD, STAGED_WHOLE);

/** The staged latent period: within latentDays' bounds [2.2, 3.3], 1.09 <= c <= 1.97: one whole stage. */
export const latentStagedShape = (mean: number): { exit: number; extra: number } => chainShape(mean, LATENT_SD, LATENT_WHOLE);

/** The same shape as tensors, differentiable in the mean. */
const chainTensors = (mean: tf.Tensor, sd: number, whole: number): { exit: tf.Tensor; extra: tf.Tensor } => {
  const c = tf.div(tf.square(mean), tf.add(mean, sd * sd));
  return { exit: tf.minimum(tf.div(c, mean), 1), extra: tf.sub(c, whole) };
};

/** Which of covid's features a variant has. */
export interface SeirVariant {
  /** A latent stage E between S and I, left with daily probability sigma (else S -> I directly). */
  readonly latent: boolean;
  /** Course draws (E and I exits) keyed by the days since infection (`SampleOptions.clock`), as covid's; else by the step. */
  readonly clock: boolean;
  /** Infection as a first passage on the hazard scale ('threshold', accumulated hazard declared continuous, as covid) or a daily hazard draw ('daily'). */
  readonly infection: 'threshold' | 'daily';
  /** beta time-varying (one entry per PERIOD days); else one beta, SEIR_PARAMS.beta[0], for every day. */
  readonly timeVarying: boolean;
  /** The infectious period as covid's chain of stages (I1, I2, then I3 with probability c - 2; parameter infectiousDays), instead of one stage left with probability gamma. */
  readonly stages?: boolean;
  /** The latent period as covid's chain of stages (E1, then E2 with probability c - 1; parameter latentDays), instead of one stage left with probability sigma (with `latent`). */
  readonly latentStages?: boolean;
}

/** epi/covid's features, all of them. */
export const COVID_LIKE: SeirVariant = { latent: true, clock: true, infection: 'threshold', timeVarying: true };

/** epi/covid's features with its staged infectious period. */
export const STAGED: SeirVariant = { ...COVID_LIKE, stages: true };

/** epi/covid's features with its staged latent period (one infectious stage, to tell the chains apart). */
export const LATENT_STAGED: SeirVariant = { ...COVID_LIKE, latentStages: true };

export const variantId = (v: SeirVariant): string => `tiny-seir-${v.latent ? 'e' : 'noe'}-${v.clock ? 'clock' : 'step'}-${v.infection}-${v.timeVarying ? 'tv' : 'scalar'}${v.stages ? '-staged' : ''}${v.latentStages ? '-latent-staged' : ''}`;

/** Every combination of the features (one infectious stage). */
export const VARIANTS: SeirVariant[] = [true, false].flatMap((latent) => [true, false].flatMap((clock) => (['threshold', 'daily'] as const).flatMap((infection) => [true, false].map((timeVarying) => ({ latent, clock, infection, timeVarying })))));

const S = 'agents/people/s';
const E = 'agents/people/e';
const E2 = 'agents/people/e2';
const I = 'agents/people/i';
const I2 = 'agents/people/i2';
const I3 = 'agents/people/i3';
const R = 'agents/people/r';
const LAMBDA = 'agents/people/lambda';
const DAY = 'agents/people/infectedDay';
const seedOnly = (on: number, off: number) => (ctx: { count: number }) => Float32Array.from({ length: ctx.count }, (_, a) => (a === 0 ? on : off));

/**
 * The model of a variant. Agent 0 is the seed: infectious at the start, infectedDay 1 (covid's
 * convention: 1 + the day of infection, 1 for the seeds, 0 while never infected), so the clock of
 * an agent's course, step + 1 - infectedDay, counts the days since its infection. Every move is
 * drawn from the state at the start of the day (nobody moves twice a day), as in covid's disease.
 */
export function seirModel(v: SeirVariant) {
  return defineModel({
    id: variantId(v),
    description: 'SEIR on a 5-agent contact network with covid-like features (see tiny-seir.fixture.ts)',
    state: {
      agents: {
        people: {
          properties: {
            s: { dtype: 'float32', init: seedOnly(0, 1) },
            e: { dtype: 'float32', init: 0 },
            ...(v.latentStages ? { e2: { dtype: 'float32' as const, init: 0 } } : {}),
            i: { dtype: 'float32', init: seedOnly(1, 0) },
            ...(v.stages ? { i2: { dtype: 'float32' as const, init: 0 }, i3: { dtype: 'float32' as const, init: 0 } } : {}),
            r: { dtype: 'float32', init: 0 },
            lambda: { dtype: 'float32', init: 0 },
            infectedDay: { dtype: 'float32', init: seedOnly(1, 0) },
          },
        },
      },
      environment: { newInfections: { dtype: 'float32', init: 0 } },
    },
    parameters: {
      beta: v.timeVarying ? { default: [...SEIR_PARAMS.beta], period: PERIOD, bounds: [0, 5], learnable: true } : { default: SEIR_PARAMS.beta[0], bounds: [0, 5], learnable: true },
      ...(v.latentStages ? { latentDays: { default: SEIR_PARAMS.latentDays, bounds: [2.2, 3.3], learnable: true } } : { sigma: { default: SEIR_PARAMS.sigma, bounds: [0, 1], learnable: true } }),
      ...(v.stages ? { infectiousDays: { default: SEIR_PARAMS.infectiousDays, bounds: [3, 3.7], learnable: true } } : { gamma: { default: SEIR_PARAMS.gamma, bounds: [0, 1], learnable: true } }),
    },
    substeps: [defineSubstep({
      name: 'day',
      reads: [S, E, ...(v.latentStages ? ([E2] as const) : []), I, ...(v.stages ? ([I2, I3] as const) : []), R, LAMBDA, DAY],
      writes: [S, E, ...(v.latentStages ? ([E2] as const) : []), I, ...(v.stages ? ([I2, I3] as const) : []), R, LAMBDA, DAY, 'env/newInfections'],
      ...(v.infection === 'threshold' ? { continuous: [LAMBDA] } : {}),
      transition: (ctx) => {
        const [s, e, i, r] = [ctx.get(S), ctx.get(E), ctx.get(I), ctx.get(R)];
        const infectious = v.stages ? tf.addN([i, ctx.get(I2), ctx.get(I3)]) : i;
        const pressure = tf.mul(ctx.param('beta'), tf.reshape(tf.matMul(tf.tensor2d(seirAdjacency), tf.reshape(infectious, [SEIR_N, 1])), [SEIR_N]));
        // the hazard received so far (covid's receivedHazard, forward: a plain sum)
        const lambda = tf.add(ctx.get(LAMBDA), tf.mul(pressure, s));
        const infected = v.infection === 'threshold' ? ctx.sample.threshold(lambda, { mask: s, stream: 'infect', scale: 'hazard' }) : ctx.sample.hazard(pressure, tf.scalar(1), { mask: s, stream: 'infect' });
        const day = ctx.get(DAY);
        const clock = tf.add(tf.neg(day), tf.scalar(ctx.step + 1));
        const course = (p: tf.Tensor, mask: tf.Tensor, stream: string) => ctx.sample.bernoulli(p, { mask, stream, ...(v.clock ? { clock } : {}) });
        // covid's latent chain (disease.ts): E1's exits go on to E2 with probability c - 1, drawn the same day
        const latentChain = (): { onset: tf.Tensor; e: tf.Tensor; e2: tf.Tensor } => {
          const shape = chainTensors(ctx.param('latentDays'), LATENT_SD, LATENT_WHOLE);
          const e2 = ctx.get(E2);
          const [n1, n2] = [e, e2].map((x) => course(shape.exit, x, 'latent-exit')) as [tf.Tensor, tf.Tensor];
          const goesOn = course(shape.extra, n1, 'latent-extra');
          return { onset: tf.add(tf.sub(n1, goesOn), n2), e: tf.sub(tf.add(e, infected), n1), e2: tf.sub(tf.add(e2, goesOn), n2) };
        };
        const chained = v.latentStages ? latentChain() : undefined;
        const onset = chained ? chained.onset : v.latent ? course(ctx.param('sigma'), e, 'latent-exit') : infected;
        const common = {
          [S]: tf.sub(s, infected),
          [E]: chained ? chained.e : v.latent ? tf.sub(tf.add(e, infected), onset) : e,
          ...(chained ? { [E2]: chained.e2 } : {}),
          [LAMBDA]: lambda,
          [DAY]: tf.add(day, tf.mul(infected, tf.scalar(ctx.step + 1))),
          'env/newInfections': tf.sum(infected),
        };
        if (!v.stages) {
          const recovered = course(ctx.param('gamma'), i, 'recover');
          return { ...common, [I]: tf.sub(tf.add(i, onset), recovered), [R]: tf.add(r, recovered) };
        }
        // covid's chain (disease.ts): c = m^2 / (SD^2 + m) stages, each left with probability c / m
        // (one uniform stream for every stage), the third entered by those leaving the second with
        // probability c - 2, drawn the same day
        const { exit, extra } = chainTensors(ctx.param('infectiousDays'), STAGED_SD, STAGED_WHOLE);
        const [i2, i3] = [ctx.get(I2), ctx.get(I3)];
        const [m1, m2, m3] = [i, i2, i3].map((x) => course(exit, x, 'infectious-exit')) as [tf.Tensor, tf.Tensor, tf.Tensor];
        const goesOn = course(extra, m2, 'infectious-extra');
        return {
          ...common,
          [I]: tf.sub(tf.add(i, onset), m1),
          [I2]: tf.sub(tf.add(i2, m1), m2),
          [I3]: tf.sub(tf.add(i3, goesOn), m3),
          [R]: tf.addN([r, tf.sub(m2, goesOn), m3]),
        };
      },
    })],
    metrics: { newInfections: sumOf('env/newInfections') },
    defaultAgents: SEIR_N,
  });
}

export const seirRuntime = createRuntime({ plugins: [definePlugin({ name: 'tiny-seir', version: '1.0.0', models: [...VARIANTS, STAGED, LATENT_STAGED].map(seirModel) })], backend: 'cpu' });

/** A variant's model id in seirRuntime. */
export const seirModelId = (v: SeirVariant): string => `tiny-seir/${variantId(v)}`;

/** Parameter values of the exact expectation: beta per period (one entry: every day). */
export interface SeirParams {
  readonly beta: readonly number[];
  readonly sigma: number;
  readonly gamma: number;
  /** The staged infectious period's mean (variants with `stages`). */
  readonly infectiousDays: number;
  /** The staged latent period's mean (variants with `latentStages`). */
  readonly latentDays: number;
}

/** The default parameters of a variant as the exact expectation takes them. */
export const defaultParams = (v: SeirVariant): SeirParams => ({ beta: v.timeVarying ? [...SEIR_PARAMS.beta] : [SEIR_PARAMS.beta[0]], sigma: SEIR_PARAMS.sigma, gamma: SEIR_PARAMS.gamma, infectiousDays: SEIR_PARAMS.infectiousDays, latentDays: SEIR_PARAMS.latentDays });

/**
 * E[total infections over SEIR_STEPS days], exactly: the distribution over the agents' joint
 * states, day by day, every agent's move independent given the day's start (the law of daily
 * draws; a first passage on the accumulated hazard has the same). The clock changes which uniform
 * a draw uses, not its law, so it plays no part here. States: S, E (E1 when the latent period is
 * staged), F (E2), I (I1 when staged), J (I2), K (I3), R.
 */
export function expectedSeirInfections(p: SeirParams, v: Pick<SeirVariant, 'latent' | 'stages' | 'latentStages'>): number {
  let dist = new Map<string, number>([['I' + 'S'.repeat(SEIR_N - 1), 1]]);
  let total = 0;
  const { exit, extra } = stagedShape(p.infectiousDays);
  const latentShape = latentStagedShape(p.latentDays);
  for (let t = 0; t < SEIR_STEPS; t++) {
    const beta = p.beta[Math.min(Math.floor(t / PERIOD), p.beta.length - 1)]!;
    const next = new Map<string, number>();
    for (const [state, mass] of dist) {
      // each agent's moves today: [probability, state tomorrow]
      const moves = [...state].map((c, a): [number, string][] => {
        const stay = (q: number, to: string): [number, string][] => [[1 - q, c], [q, to]];
        if (c === 'S') return stay(1 - Math.exp(-beta * seirAdjacency[a]!.reduce((acc, w, b) => acc + w * ('IJK'.includes(state[b]!) ? 1 : 0), 0)), v.latent ? 'E' : 'I');
        if (c === 'E') return v.latentStages ? [[1 - latentShape.exit, 'E'], [latentShape.exit * latentShape.extra, 'F'], [latentShape.exit * (1 - latentShape.extra), 'I']] : stay(p.sigma, 'I');
        if (c === 'F') return stay(latentShape.exit, 'I');
        if (c === 'I') return v.stages ? stay(exit, 'J') : stay(p.gamma, 'R');
        if (c === 'J') return [[1 - exit, 'J'], [exit * extra, 'K'], [exit * (1 - extra), 'R']];
        if (c === 'K') return stay(exit, 'R');
        return [[1, c]];
      });
      const visit = (a: number, pr: number, out: string): void => {
        if (pr === 0) return;
        if (a === SEIR_N) {
          for (let b = 0; b < SEIR_N; b++) if (state[b] === 'S' && out[b] !== 'S') total += pr;
          next.set(out, (next.get(out) ?? 0) + pr);
          return;
        }
        for (const [q, to] of moves[a]!) visit(a + 1, pr * q, out + to);
      };
      visit(0, mass, '');
    }
    dist = next;
  }
  return total;
}

/** A parameter entry of the exact derivative: beta's entry `index` (beta alone: every entry moved together), sigma, gamma, infectiousDays or latentDays. */
export type SeirEntry = { readonly param: 'beta'; readonly index?: number } | { readonly param: 'sigma' | 'gamma' | 'infectiousDays' | 'latentDays' };

/** d E[total infections] / d entry, by central differences of the exact expectation (h = 1e-5). */
export function exactSeirDerivative(entry: SeirEntry, v: Pick<SeirVariant, 'latent' | 'stages' | 'latentStages'>, p: SeirParams): number {
  const h = 1e-5;
  const moved = (sign: number): SeirParams => {
    if (entry.param !== 'beta') return { ...p, [entry.param]: p[entry.param] + sign * h };
    return { ...p, beta: p.beta.map((b, k) => (entry.index === undefined || entry.index === k ? b + sign * h : b)) };
  };
  return (expectedSeirInfections(moved(1), v) - expectedSeirInfections(moved(-1), v)) / (2 * h);
}
