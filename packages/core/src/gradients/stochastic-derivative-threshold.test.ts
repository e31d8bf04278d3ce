/**
 * First-passage events (`ctx.sample.threshold`) under the stochastic derivative: the tiny contact
 * network with infection against one threshold per agent has the same law as daily draws, so the
 * same exact derivative by enumeration; the estimator must match it. A first passage is
 * differentiated by moving it one step (passed at t against passed at the next step its running
 * probability rises), not by comparing a flip with the primal: the threshold's uniform is shared by
 * every day, so the primal is not the path "just above" the boundary (GRADIENTS.md). Measured with
 * `SD_SEEDS=1500 SD_REPORT=1`: beta 1.525 +/- 0.083 and gamma -1.292 +/- 0.066 against exact 1.469
 * and -1.376.
 */
import { describe, expect, it } from 'vitest';
import { stochasticDerivatives } from './stochastic-derivative.js';
import { exactDerivative, expectedInfections, meanAndSE, runtime, STEPS } from './tiny-network.fixture.js';

const total = (series: Readonly<Record<string, readonly number[]>>) => series.newInfections!.reduce((a, b) => a + b, 0);

describe.each(['tiny/tiny-sir-threshold', 'tiny/tiny-sir-threshold-hazard'] as const)('stochastic derivative of first-passage events (exact expectation by enumeration): %s', (MODEL) => {
  const SEEDS = Number(process.env.SD_SEEDS ?? 300);

  it('has the law of daily draws: mean total infections within 4 standard errors of the enumeration', async () => {
    const totals: number[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const sim = runtime.createSimulation({ model: MODEL, seed });
      totals.push(total((await sim.run({ steps: STEPS })).metrics));
      sim.dispose();
    }
    const [mean, se] = meanAndSE(totals);
    expect(Math.abs(mean - expectedInfections(0.6, 0.3))).toBeLessThan(4 * se);
  });

  it('is unbiased for beta and gamma, with two alternatives per first-passage flip', async () => {
    const sd: Record<'beta' | 'gamma', number[]> = { beta: [], gamma: [] };
    let steps = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const sim = runtime.createSimulation({ model: MODEL, seed });
      await sim.ready();
      const r = stochasticDerivatives(sim, { steps: STEPS, entries: [{ param: 'beta' }, { param: 'gamma' }], objective: total, replicates: 1 });
      sd.beta.push(r.gradients[0]!);
      sd.gamma.push(r.gradients[1]!);
      steps += r.stepsComputed;
      sim.dispose();
    }
    // more than one alternative per step on average: the first passages' pairs
    expect(steps / SEEDS).toBeGreaterThan(3 * STEPS + (STEPS * (STEPS + 1)) / 2);
    for (const param of ['beta', 'gamma'] as const) {
      const exact = exactDerivative(param);
      const [mean, se] = meanAndSE(sd[param]);
      if (process.env.SD_REPORT) console.log(MODEL, param, 'exact', exact, 'threshold sd', mean, '+/-', se);
      expect(Math.abs(mean - exact)).toBeLessThan(4 * se);
      expect(se).toBeLessThan(0.15 * Math.abs(exact));
    }
  });
});
