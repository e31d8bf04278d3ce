/**
 * The stochastic derivative against the exact derivative of the expectation on a tiny contact
 * network (4 agents, SIR, 6 days), where E[total infections] is computed by enumerating every
 * outcome. The straight-through estimator is measurably biased there (the mechanism: see
 * GRADIENTS.md); the stochastic derivative is not.
 */
import { describe, expect, it } from 'vitest';
import { sumOf } from '../metrics.js';
import { defineModel } from '../model.js';
import { definePlugin } from '../plugin.js';
import { createRuntime } from '../runtime.js';
import { defineSubstep } from '../substep.js';
import { tf } from '../tf.js';
import { sensitivity } from './sensitivity.js';
import { stochasticDerivatives } from './stochastic-derivative.js';

/** A triangle household {0, 1, 2} with agent 3 hanging off agent 2; agent 0 starts infectious. */
const EDGES: [number, number][] = [[0, 1], [0, 2], [1, 2], [2, 3]];
const N = 4;
const STEPS = 6;
const adjacency: number[][] = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j): number => (EDGES.some(([a, b]) => (a === i && b === j) || (a === j && b === i)) ? 1 : 0)));

const S = 'agents/people/s';
const I = 'agents/people/i';
const R = 'agents/people/r';
const tinySir = defineModel({
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
const runtime = createRuntime({ plugins: [definePlugin({ name: 'tiny', version: '1.0.0', models: [tinySir] })], backend: 'cpu' });

/** E[total infections over STEPS days], exactly: the distribution over the 3^4 states, day by day. */
function expectedInfections(beta: number, gamma: number): number {
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

const exactDerivative = (param: 'beta' | 'gamma', beta = 0.6, gamma = 0.3): number => {
  const h = 1e-5;
  return param === 'beta' ? (expectedInfections(beta + h, gamma) - expectedInfections(beta - h, gamma)) / (2 * h) : (expectedInfections(beta, gamma + h) - expectedInfections(beta, gamma - h)) / (2 * h);
};

const meanAndSE = (xs: number[]): [number, number] => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return [mean, Math.sqrt(variance / xs.length)];
};

describe('stochastic derivative on a tiny contact network (exact expectation by enumeration)', () => {
  const SEEDS = 300;
  const total = (series: Readonly<Record<string, readonly number[]>>) => series.newInfections!.reduce((a, b) => a + b, 0);

  it('the enumeration agrees with the simulator: mean total infections over seeds within 4 standard errors', async () => {
    const totals: number[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const sim = runtime.createSimulation({ model: 'tiny/tiny-sir', seed });
      totals.push(total((await sim.run({ steps: STEPS })).metrics));
      sim.dispose();
    }
    const [mean, se] = meanAndSE(totals);
    expect(Math.abs(mean - expectedInfections(0.6, 0.3))).toBeLessThan(4 * se);
  });

  it('is unbiased for beta and gamma (mean over seeds within 4 standard errors of the exact derivative); straight-through is not', async () => {
    const sd: Record<'beta' | 'gamma', number[]> = { beta: [], gamma: [] };
    const strat: Record<'beta' | 'gamma', number[]> = { beta: [], gamma: [] };
    let extraSteps = 0;
    const st: Record<'beta' | 'gamma', number[]> = { beta: [], gamma: [] };
    for (let seed = 1; seed <= SEEDS; seed++) {
      const sim = runtime.createSimulation({ model: 'tiny/tiny-sir', seed });
      await sim.ready();
      const r = stochasticDerivatives(sim, { steps: STEPS, entries: [{ param: 'beta' }, { param: 'gamma' }], objective: total, replicates: 1 });
      sd.beta.push(r.gradients[0]!);
      sd.gamma.push(r.gradients[1]!);
      // stratified by event call and flip direction: the same expectation, more alternatives
      const e = stochasticDerivatives(sim, { steps: STEPS, entries: [{ param: 'beta' }, { param: 'gamma' }], objective: total, replicates: 1, stratify: 'events' });
      expect(e.stepsComputed).toBeGreaterThanOrEqual(r.stepsComputed);
      extraSteps += e.stepsComputed - r.stepsComputed;
      strat.beta.push(e.gradients[0]!);
      strat.gamma.push(e.gradients[1]!);
      const s = await sensitivity(sim, { output: 'newInfections:sum', steps: STEPS, estimator: 'straight-through' });
      st.beta.push(s.gradients.beta as number);
      st.gamma.push(s.gradients.gamma as number);
      sim.dispose();
    }
    expect(extraSteps).toBeGreaterThan(0);
    for (const param of ['beta', 'gamma'] as const) {
      const exact = exactDerivative(param);
      for (const estimates of [sd[param], strat[param]]) {
        const [mean, se] = meanAndSE(estimates);
        expect(Math.abs(mean - exact)).toBeLessThan(4 * se);
        expect(se).toBeLessThan(0.15 * Math.abs(exact));
      }
    }
    if (process.env.SD_REPORT) for (const p of ['beta', 'gamma'] as const) console.log(p, 'exact', exactDerivative(p), 'sd', meanAndSE(sd[p]), 'stratified', meanAndSE(strat[p]), 'st', meanAndSE(st[p]));
    // straight-through overstates d/d beta here: it credits infections to agents already infected
    const [stBeta, stSE] = meanAndSE(st.beta);
    const exactBeta = exactDerivative('beta');
    expect(stBeta - exactBeta).toBeGreaterThan(Math.max(4 * stSE, 0.15 * exactBeta));
  });
});

describe('stochasticDerivatives', () => {
  it('is deterministic for a seed, leaves the forward run unchanged, and reports its cost', async () => {
    const sim = runtime.createSimulation({ model: 'tiny/tiny-sir', seed: 7 });
    const plain = (await sim.run({ steps: STEPS })).metrics.newInfections;
    const objective = (series: Readonly<Record<string, readonly number[]>>) => series.newInfections!.reduce((a, b) => a + b, 0);
    const a = stochasticDerivatives(sim, { steps: STEPS, entries: [{ param: 'beta' }], objective, replicates: 3 });
    const b = stochasticDerivatives(sim, { steps: STEPS, entries: [{ param: 'beta' }], objective, replicates: 3 });
    expect(a.gradients).toEqual(b.gradients);
    expect(a.metrics.newInfections).toEqual(plain);
    // primal + 2 replays per step + at most 3 alternatives started per step, each run to the end
    expect(a.stepsComputed).toBeLessThanOrEqual(STEPS + 2 * STEPS + 3 * (STEPS * (STEPS + 1)) / 2);
    expect(a.stepsComputed).toBeGreaterThan(3 * STEPS);
    const after = (await sim.run({ steps: 1 })).metrics.newInfections;
    expect(after.length).toBeGreaterThan(0);
    sim.dispose();
  });

  it('rejects bad options with what was expected', async () => {
    const sim = runtime.createSimulation({ model: 'tiny/tiny-sir', seed: 1 });
    await sim.ready();
    const objective = () => 0;
    expect(() => stochasticDerivatives(sim, { steps: 0, entries: [{ param: 'beta' }], objective })).toThrow(/steps expected a positive integer/);
    expect(() => stochasticDerivatives(sim, { steps: 3, entries: [{ param: 'beta' }], objective, replicates: 0 })).toThrow(/replicates expected a positive integer/);
    expect(() => stochasticDerivatives(sim, { steps: 3, entries: [{ param: 'beta' }], objective, stratify: 'calls' as 'none' })).toThrow(/stratify expected 'none' or 'events', received "calls"/);
    expect(() => stochasticDerivatives(sim, { steps: 3, entries: [{ param: 'nope' }], objective })).toThrow(/no parameter 'nope'/);
    expect(() => stochasticDerivatives(sim, { steps: 3, entries: [{ param: 'beta', index: 2 }], objective })).toThrow(/has 1 entries/);
    expect(() => stochasticDerivatives(sim, { steps: 3, entries: [{ param: 'beta' }], objective, maxMemoryBytes: 100 })).toThrow(/over the 0\.0 GiB budget; use fewer steps/);
    sim.dispose();
  });
});
