/**
 * epi/sir and epi/seir against the theory of their discrete-time scheme
 * (derivations in theory.ts) and metamorphic relations.
 */
import { createRuntime, PopulaceError } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { discreteR0, finalSize, seirGrowthFactor, sirGrowthFactor } from './theory.js';

const runtime = createRuntime({ plugins: [plugin, examplePlugin], backend: 'cpu' });

async function run(model: 'epi/sir' | 'epi/seir', params: Record<string, number>, options: { agents: number; steps: number; seed: number; population?: 'random-graph' }) {
  const sim = runtime.createSimulation({ model, params, agents: options.agents, seed: options.seed, ...(options.population ? { population: options.population } : {}) });
  try {
    return (await sim.run({ steps: options.steps })).metrics;
  } finally {
    sim.dispose();
  }
}

/** Least-squares slope of ln(y_t) over t in [from, to). */
function logSlope(ys: readonly number[], from: number, to: number): number {
  const ts = Array.from({ length: to - from }, (_, k) => from + k);
  const ls = ts.map((t) => Math.log(ys[t]!));
  const mt = ts.reduce((a, b) => a + b, 0) / ts.length;
  const ml = ls.reduce((a, b) => a + b, 0) / ls.length;
  let sxy = 0;
  let sxx = 0;
  ts.forEach((t, k) => {
    sxy += (t - mt) * (ls[k]! - ml);
    sxx += (t - mt) ** 2;
  });
  return sxy / sxx;
}

describe('epi/sir and epi/seir: metamorphic relations', () => {
  for (const model of ['epi/sir', 'epi/seir'] as const) {
    for (const population of [undefined, 'random-graph'] as const) {
      const mode = population ? 'network' : 'homogeneous';
      it(`${model} (${mode}): beta = 0 gives no infection; every day conserves agents; same seed, same series`, async () => {
        const options = { agents: 2000, steps: 40, seed: 5, ...(population ? { population } : {}) };
        const none = await run(model, { beta: 0, seedInfections: 20 }, options);
        expect(none.newInfections!.every((v) => v === 0)).toBe(true);
        expect(none.S!.every((v) => v === 1980)).toBe(true);
        const a = await run(model, { beta: 0.6, seedInfections: 20 }, options);
        const b = await run(model, { beta: 0.6, seedInfections: 20 }, options);
        expect(a).toEqual(b);
        for (let t = 0; t < 40; t++) {
          expect(a.S![t]! + (a.E?.[t] ?? 0) + a.I![t]! + a.R![t]!).toBe(2000);
          expect((t === 0 ? 1980 : a.S![t - 1]!) - a.S![t]!).toBe(a.newInfections![t]);
        }
        expect(a.R![39]).toBeGreaterThan(100);
      });
    }
  }

  it('a larger beta never lowers the mean attack rate (4 seeds each, both models, both modes)', async () => {
    for (const model of ['epi/sir', 'epi/seir'] as const) {
      for (const population of [undefined, 'random-graph'] as const) {
        const means: number[] = [];
        for (const beta of [0.1, 0.2, 0.35, 0.6]) {
          let total = 0;
          for (let seed = 1; seed <= 4; seed++) {
            const m = await run(model, { beta, gamma: 0.2, seedInfections: 5 }, { agents: 1000, steps: 60, seed, ...(population ? { population } : {}) });
            total += 1 - m.S!.at(-1)! / 1000;
          }
          means.push(total / 4);
        }
        for (let k = 1; k < means.length; k++) expect(means[k]!).toBeGreaterThanOrEqual(means[k - 1]!);
        expect(means.at(-1)! - means[0]!).toBeGreaterThan(0.5);
      }
    }
  });
});

describe('epi/sir and epi/seir: discrete-time theory (homogeneous mixing)', () => {
  it('final size matches 1 - z = (1 - z0) exp(-R0 z), R0 = beta / (1 - exp(-gamma)), within 2 points', async () => {
    const agents = 40_000;
    const seeds = 40;
    for (const [model, beta, gamma] of [['epi/sir', 0.4, 0.3], ['epi/sir', 0.3, 0.1], ['epi/seir', 0.2, 0.1]] as const) {
      const params: Record<string, number> = model === 'epi/seir' ? { beta, gamma, sigma: 0.25, seedInfections: seeds } : { beta, gamma, seedInfections: seeds };
      const m = await run(model, params, { agents, steps: 400, seed: 3 });
      expect(m.I!.at(-1)).toBe(0);
      const attack = 1 - m.S!.at(-1)! / agents;
      const theory = finalSize(discreteR0(beta, gamma), seeds / agents);
      expect(Math.abs(attack - theory)).toBeLessThan(0.02);
    }
  });

  it('the continuous-time R0 = beta / gamma would miss the final size (the test can tell the schemes apart)', () => {
    expect(Math.abs(finalSize(discreteR0(0.4, 0.3)) - finalSize(0.4 / 0.3))).toBeGreaterThan(0.1);
  });

  it('early exponential growth matches ln(lambda) of the scheme within 10%', async () => {
    const agents = 300_000;
    const cases: { model: 'epi/sir' | 'epi/seir'; params: Record<string, number>; lambda: number; steps: number }[] = [
      { model: 'epi/sir' as const, params: { beta: 0.5, gamma: 0.25 }, lambda: sirGrowthFactor(0.5, 0.25), steps: 30 },
      { model: 'epi/seir' as const, params: { beta: 0.6, sigma: 0.3, gamma: 0.2 }, lambda: seirGrowthFactor(0.6, 0.3, 0.2), steps: 40 },
    ];
    for (const c of cases) {
      const m = await run(c.model, { ...c.params, seedInfections: 30 }, { agents, steps: c.steps, seed: 2 });
      // fit from day 10 (past the transient of the seeding) until 1% of agents were infected (S ~ N)
      let cumulative = 30;
      const end = m.newInfections!.findIndex((v) => (cumulative += v) > 0.01 * agents);
      expect(end).toBeGreaterThan(14);
      const r = logSlope(m.newInfections!, 10, end);
      expect(Math.abs(r - Math.log(c.lambda)) / Math.log(c.lambda)).toBeLessThan(0.1);
    }
  });
});

describe('epi/sir and epi/seir: bad input', () => {
  it('rejects out-of-bounds and unknown parameters, and more seeds than agents', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ beta: -0.1 }, /parameter 'beta': expected a value within \[0, 50\], received -0.1/],
      [{ gamma: -1 }, /parameter 'gamma'/],
      [{ seedInfections: 2.5 }, /'seedInfections': expected a whole number/],
      [{ householdWeight: -1 }, /'householdWeight'/],
      [{ betta: 0.2 }, /no parameter 'betta'. Did you mean 'beta'\?/],
    ];
    for (const [params, message] of cases) expect(() => runtime.createSimulation({ model: 'epi/sir', params })).toThrow(message);
    expect(() => runtime.createSimulation({ model: 'epi/sir', params: { sigma: 0.2 } })).toThrow(/no parameter 'sigma'/);
    const sim = runtime.createSimulation({ model: 'epi/seir', agents: 100, params: { seedInfections: 101 } });
    const error = await sim.run({ steps: 1 }).catch((e: unknown) => e);
    expect(PopulaceError.isInstance(error) && error.code).toBe('param-out-of-bounds');
    expect(String(error)).toMatch(/'seedInfections': expected a whole number in \[0, 100\] .* received 101/);
    sim.dispose();
  });
});
