/**
 * A tiny contact network with epi/covid's features (5 agents, SEIR, 12 days), whose E[total
 * infections] is computed exactly by dynamic programming over the 4^5 states: the reference of the
 * stochastic derivative's test on latent stages, clocked course draws, time-varying parameters and
 * first-passage infection together (./stochastic-derivative-seir.test.ts).
 *
 * The features can be switched off one at a time (`SeirVariant`), to tell which one an estimator's
 * error comes from; every variant has its own model (and its own exact expectation).
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

/** Default parameters: beta per period (per infectious contact and day), sigma (daily E exit), gamma (daily I exit). */
export const SEIR_PARAMS = { beta: [0.5, 0.7, 0.4], sigma: 0.5, gamma: 0.3 } as const;

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
}

/** epi/covid's features, all of them. */
export const COVID_LIKE: SeirVariant = { latent: true, clock: true, infection: 'threshold', timeVarying: true };

export const variantId = (v: SeirVariant): string => `tiny-seir-${v.latent ? 'e' : 'noe'}-${v.clock ? 'clock' : 'step'}-${v.infection}-${v.timeVarying ? 'tv' : 'scalar'}`;

/** Every combination of the features. */
export const VARIANTS: SeirVariant[] = [true, false].flatMap((latent) => [true, false].flatMap((clock) => (['threshold', 'daily'] as const).flatMap((infection) => [true, false].map((timeVarying) => ({ latent, clock, infection, timeVarying })))));

const S = 'agents/people/s';
const E = 'agents/people/e';
const I = 'agents/people/i';
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
            i: { dtype: 'float32', init: seedOnly(1, 0) },
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
      sigma: { default: SEIR_PARAMS.sigma, bounds: [0, 1], learnable: true },
      gamma: { default: SEIR_PARAMS.gamma, bounds: [0, 1], learnable: true },
    },
    substeps: [defineSubstep({
      name: 'day',
      reads: [S, E, I, R, LAMBDA, DAY],
      writes: [S, E, I, R, LAMBDA, DAY, 'env/newInfections'],
      ...(v.infection === 'threshold' ? { continuous: [LAMBDA] } : {}),
      transition: (ctx) => {
        const [s, e, i, r] = [ctx.get(S), ctx.get(E), ctx.get(I), ctx.get(R)];
        const pressure = tf.mul(ctx.param('beta'), tf.reshape(tf.matMul(tf.tensor2d(seirAdjacency), tf.reshape(i, [SEIR_N, 1])), [SEIR_N]));
        // the hazard received so far (covid's receivedHazard, forward: a plain sum)
        const lambda = tf.add(ctx.get(LAMBDA), tf.mul(pressure, s));
        const infected = v.infection === 'threshold' ? ctx.sample.threshold(lambda, { mask: s, stream: 'infect', scale: 'hazard' }) : ctx.sample.hazard(pressure, tf.scalar(1), { mask: s, stream: 'infect' });
        const day = ctx.get(DAY);
        const clock = tf.add(tf.neg(day), tf.scalar(ctx.step + 1));
        const course = (p: tf.Tensor, mask: tf.Tensor, stream: string) => ctx.sample.bernoulli(p, { mask, stream, ...(v.clock ? { clock } : {}) });
        const onset = v.latent ? course(ctx.param('sigma'), e, 'latent-exit') : infected;
        const recovered = course(ctx.param('gamma'), i, 'recover');
        return {
          [S]: tf.sub(s, infected),
          [E]: v.latent ? tf.sub(tf.add(e, infected), onset) : e,
          [I]: tf.sub(tf.add(i, onset), recovered),
          [R]: tf.add(r, recovered),
          [LAMBDA]: lambda,
          [DAY]: tf.add(day, tf.mul(infected, tf.scalar(ctx.step + 1))),
          'env/newInfections': tf.sum(infected),
        };
      },
    })],
    metrics: { newInfections: sumOf('env/newInfections') },
    defaultAgents: SEIR_N,
  });
}

export const seirRuntime = createRuntime({ plugins: [definePlugin({ name: 'tiny-seir', version: '1.0.0', models: VARIANTS.map(seirModel) })], backend: 'cpu' });

/** A variant's model id in seirRuntime. */
export const seirModelId = (v: SeirVariant): string => `tiny-seir/${variantId(v)}`;

/** Parameter values of the exact expectation: beta per period (one entry: every day). */
export interface SeirParams {
  readonly beta: readonly number[];
  readonly sigma: number;
  readonly gamma: number;
}

/** The default parameters of a variant as the exact expectation takes them. */
export const defaultParams = (v: SeirVariant): SeirParams => ({ beta: v.timeVarying ? [...SEIR_PARAMS.beta] : [SEIR_PARAMS.beta[0]], sigma: SEIR_PARAMS.sigma, gamma: SEIR_PARAMS.gamma });

/**
 * E[total infections over SEIR_STEPS days], exactly: the distribution over the (S, E, I, R)^5
 * states, day by day, every agent's move independent given the day's start (the law of daily
 * draws; a first passage on the accumulated hazard has the same). The clock changes which uniform
 * a draw uses, not its law, so it plays no part here.
 */
export function expectedSeirInfections(p: SeirParams, v: Pick<SeirVariant, 'latent'>): number {
  let dist = new Map<string, number>([['I' + 'S'.repeat(SEIR_N - 1), 1]]);
  let total = 0;
  for (let t = 0; t < SEIR_STEPS; t++) {
    const beta = p.beta[Math.min(Math.floor(t / PERIOD), p.beta.length - 1)]!;
    const next = new Map<string, number>();
    for (const [state, mass] of dist) {
      const prob = [...state].map((c, a) => {
        if (c === 'S') return 1 - Math.exp(-beta * seirAdjacency[a]!.reduce((acc, w, b) => acc + w * (state[b] === 'I' ? 1 : 0), 0));
        return c === 'E' ? p.sigma : c === 'I' ? p.gamma : 0;
      });
      const moved = (c: string) => (c === 'S' ? (v.latent ? 'E' : 'I') : c === 'E' ? 'I' : 'R');
      for (let outcome = 0; outcome < 1 << SEIR_N; outcome++) {
        let pr = mass;
        let out = '';
        for (let a = 0; a < SEIR_N && pr > 0; a++) {
          const event = (outcome >> a) & 1;
          pr *= event ? prob[a]! : 1 - prob[a]!;
          out += event ? moved(state[a]!) : state[a]!;
        }
        if (pr === 0) continue;
        for (let a = 0; a < SEIR_N; a++) if (state[a] === 'S' && out[a] !== 'S') total += pr;
        next.set(out, (next.get(out) ?? 0) + pr);
      }
    }
    dist = next;
  }
  return total;
}

/** A parameter entry of the exact derivative: beta's entry `index` (beta alone: every entry moved together), sigma or gamma. */
export type SeirEntry = { readonly param: 'beta'; readonly index?: number } | { readonly param: 'sigma' | 'gamma' };

/** d E[total infections] / d entry, by central differences of the exact expectation (h = 1e-5). */
export function exactSeirDerivative(entry: SeirEntry, v: Pick<SeirVariant, 'latent'>, p: SeirParams): number {
  const h = 1e-5;
  const moved = (sign: number): SeirParams => {
    if (entry.param !== 'beta') return { ...p, [entry.param]: p[entry.param] + sign * h };
    return { ...p, beta: p.beta.map((b, k) => (entry.index === undefined || entry.index === k ? b + sign * h : b)) };
  };
  return (expectedSeirInfections(moved(1), v) - expectedSeirInfections(moved(-1), v)) / (2 * h);
}
