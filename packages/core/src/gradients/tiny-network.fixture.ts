/**
 * A tiny contact network (4 agents, SIR, 6 days) whose E[total infections] is computed exactly by
 * enumerating every outcome: the independent reference of the stochastic derivative's tests.
 */
import { sumOf } from '../metrics.js';
import { defineModel } from '../model.js';
import { definePlugin } from '../plugin.js';
import { createRuntime } from '../runtime.js';
import { defineSubstep } from '../substep.js';
import { tf } from '../tf.js';

/** A triangle household {0, 1, 2} with agent 3 hanging off agent 2; agent 0 starts infectious. */
export const EDGES: [number, number][] = [[0, 1], [0, 2], [1, 2], [2, 3]];
export const N = 4;
export const STEPS = 6;
export const adjacency: number[][] = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j): number => (EDGES.some(([a, b]) => (a === i && b === j) || (a === j && b === i)) ? 1 : 0)));

const S = 'agents/people/s';
const I = 'agents/people/i';
const R = 'agents/people/r';
export const tinySir = defineModel({
  id: 'tiny-sir',
  description: 'SIR on a 4-agent contact network (dense adjacency)',
  state: {
    agents: { people: { properties: { s: { dtype: 'float32', init: (ctx: { count: number }) => Float32Array.from({ length: ctx.count }, (_, i) => (i === 0 ? 0 : 1)) }, i: { dtype: 'float32', init: (ctx: { count: number }) => Float32Array.from({ length: ctx.count }, (_, i) => (i === 0 ? 1 : 0)) }, r: { dtype: 'float32', init: 0 } } } },
    environment: { newInfections: { dtype: 'float32', init: 0 } },
  },
  parameters: { beta: { default: 0.6, bounds: [0, 5], learnable: true }, gamma: { default: 0.3, bounds: [0, 5], learnable: true } },
  substeps: [defineSubstep({
    name: 'day', reads: [S, I, R], writes: [S, I, R, 'env/newInfections'],
    transition: (ctx) => {
      const [s, i, r] = [ctx.get(S), ctx.get(I), ctx.get(R)];
      const exposure = tf.reshape(tf.matMul(tf.tensor2d(adjacency), tf.reshape(i, [N, 1])), [N]);
      const infected = ctx.sample.hazard(ctx.param('beta'), exposure, { mask: s, stream: 'infect' });
      const recovered = ctx.sample.hazard(ctx.param('gamma'), tf.scalar(1), { mask: i, stream: 'recover' });
      return { [S]: tf.sub(s, infected), [I]: tf.sub(tf.add(i, infected), recovered), [R]: tf.add(r, recovered), 'env/newInfections': tf.sum(infected) };
    },
  })],
  metrics: { newInfections: sumOf('env/newInfections') },
  defaultAgents: N,
});

const LAMBDA = 'agents/people/lambda';
/**
 * The same SIR with infection as a first passage (`ctx.sample.threshold`): each agent keeps one
 * threshold and is infected on the day 1 - exp(-lambda), lambda its accumulated hazard, passes it
 * (computed by the model as a running probability, or by the kernel with scale 'hazard'). The
 * accumulated hazard is smooth in beta with the draws held, so it is declared `continuous`. Same
 * law as the daily draws, so the same exact expectation.
 */
const thresholdModel = (scale: 'probability' | 'hazard') => defineModel({
  id: scale === 'probability' ? 'tiny-sir-threshold' : 'tiny-sir-threshold-hazard',
  description: 'SIR on a 4-agent contact network, infection against a threshold per agent',
  state: {
    agents: { people: { properties: { ...tinySir.state.agents!.people!.properties, lambda: { dtype: 'float32', init: 0 } } } },
    environment: { newInfections: { dtype: 'float32', init: 0 } },
  },
  parameters: tinySir.parameters,
  substeps: [defineSubstep({
    name: 'day', reads: [S, I, R, LAMBDA], writes: [S, I, R, LAMBDA, 'env/newInfections'], continuous: [LAMBDA],
    transition: (ctx) => {
      const [s, i, r] = [ctx.get(S), ctx.get(I), ctx.get(R)];
      const pressure = tf.mul(ctx.param('beta'), tf.reshape(tf.matMul(tf.tensor2d(adjacency), tf.reshape(i, [N, 1])), [N]));
      const lambda = tf.add(ctx.get(LAMBDA), tf.mul(pressure, s));
      const infected = scale === 'hazard' ? ctx.sample.threshold(lambda, { mask: s, stream: 'infect', scale }) : ctx.sample.threshold(tf.neg(tf.expm1(tf.neg(lambda))), { mask: s, stream: 'infect' });
      const recovered = ctx.sample.hazard(ctx.param('gamma'), tf.scalar(1), { mask: i, stream: 'recover' });
      return { [S]: tf.sub(s, infected), [I]: tf.sub(tf.add(i, infected), recovered), [R]: tf.add(r, recovered), [LAMBDA]: lambda, 'env/newInfections': tf.sum(infected) };
    },
  })],
  metrics: { newInfections: sumOf('env/newInfections') },
  defaultAgents: N,
});
export const tinySirThreshold = thresholdModel('probability');
export const tinySirThresholdHazard = thresholdModel('hazard');

export const runtime = createRuntime({ plugins: [definePlugin({ name: 'tiny', version: '1.0.0', models: [tinySir, tinySirThreshold, tinySirThresholdHazard] })], backend: 'cpu' });

/** E[total infections over STEPS days], exactly: the distribution over the 3^4 states, day by day. */
export function expectedInfections(beta: number, gamma: number): number {
  let dist = new Map<string, number>([['ISSS', 1]]);
  let total = 0;
  for (let t = 0; t < STEPS; t++) {
    const next = new Map<string, number>();
    for (const [state, mass] of dist) {
      const p = [...state].map((c, a) => (c === 'S' ? 1 - Math.exp(-beta * adjacency[a]!.reduce((acc, w, b) => acc + w * (state[b] === 'I' ? 1 : 0), 0)) : c === 'I' ? 1 - Math.exp(-gamma) : 0));
      for (let outcome = 0; outcome < 1 << N; outcome++) {
        let pr = mass;
        let out = '';
        for (let a = 0; a < N; a++) {
          const event = (outcome >> a) & 1;
          pr *= event ? p[a]! : 1 - p[a]!;
          out += event ? (state[a] === 'S' ? 'I' : 'R') : state[a];
        }
        if (pr === 0) continue;
        for (let a = 0; a < N; a++) if (state[a] === 'S' && out[a] === 'I') total += pr;
        next.set(out, (next.get(out) ?? 0) + pr);
      }
    }
    dist = next;
  }
  return total;
}

export const exactDerivative = (param: 'beta' | 'gamma', beta = 0.6, gamma = 0.3): number => {
  const h = 1e-5;
  return param === 'beta' ? (expectedInfections(beta + h, gamma) - expectedInfections(beta - h, gamma)) / (2 * h) : (expectedInfections(beta, gamma + h) - expectedInfections(beta, gamma - h)) / (2 * h);
};

export const meanAndSE = (xs: number[]): [number, number] => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return [mean, Math.sqrt(variance / xs.length)];
};

