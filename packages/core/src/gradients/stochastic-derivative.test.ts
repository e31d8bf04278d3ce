/**
 * The stochastic derivative against the exact derivative of the expectation on a tiny contact
 * network (4 agents, SIR, 6 days), where E[total infections] is computed by enumerating every
 * outcome. The straight-through estimator is measurably biased there (the mechanism: see
 * GRADIENTS.md); the stochastic derivative is not.
 */
import { describe, expect, it } from 'vitest';
import { stochasticDerivativeSteps } from './estimators.js';
import { sensitivity } from './sensitivity.js';
import { stochasticDerivatives } from './stochastic-derivative.js';
import { exactDerivative, expectedInfections, meanAndSE, runtime, STEPS } from './tiny-network.fixture.js';

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
    // first passages run a pair of paths per alternative: still within the bound that servers check
    const pairs = runtime.createSimulation({ model: 'tiny/tiny-sir-threshold', seed: 7 });
    await pairs.ready();
    const c = stochasticDerivatives(pairs, { steps: STEPS, entries: [{ param: 'beta' }, { param: 'gamma' }], objective, replicates: 3 });
    expect(c.stepsComputed).toBeGreaterThan(STEPS + 4 * STEPS + 3 * (STEPS * (STEPS + 1)) / 2);
    expect(c.stepsComputed).toBeLessThanOrEqual(stochasticDerivativeSteps(STEPS, 3, 2));
    pairs.dispose();
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
    expect(() => stochasticDerivatives(sim, { steps: 3, entries: [{ param: 'beta' }], objective, maxMemoryBytes: 100 })).toThrow(/over the 0\.00 GiB budget; use fewer agents/);
    sim.dispose();
  });
});
