/**
 * The stochastic derivative on a model with epi/covid's features, against the exact derivative by
 * enumeration (./tiny-seir.fixture.ts: 5 agents, 12 days): a latent stage E, course draws keyed
 * by the days since infection (clock), infection as a first passage on the hazard scale, and a
 * time-varying beta (one entry per 4 days) differentiated entry by entry, beta[0] acting on the
 * later days only through the hazard it left behind (carried along the replays as `continuous`).
 *
 * Measured over 12,000 seeds (runs of seeds 1-1500, 1501-3000, 3001-6000 and 6001-12000 with
 * `SD_SEEDS`, `SD_FIRST_SEED` and `SD_REPORT=1`, pooled): beta[0] 1.855 +/- 0.033 against exact
 * 1.820, beta[1] 0.490 +/- 0.012 (0.493), beta[2] 0.314 +/- 0.009 (0.321), sigma 0.445 +/- 0.029
 * (0.492), gamma -2.842 +/- 0.048 (-2.910); total infections 2.523 +/- 0.013 (2.528). No sign of
 * the bias seen on epi/covid's R[0] (an estimate about half of finite differences): these features
 * do not cause it. `SD_VARIANTS=all` checks every combination of the features (each switched off in
 * turn; about 140 s), `SD_SEEDS` sets the seeds (default 500: about 15 s).
 */
import { describe, expect, it } from 'vitest';
import { stochasticDerivatives } from './stochastic-derivative.js';
import { meanAndSE } from './tiny-network.fixture.js';
import { COVID_LIKE, defaultParams, exactSeirDerivative, expectedSeirInfections, SEIR_STEPS, seirModelId, seirRuntime, VARIANTS, variantId, type SeirEntry, type SeirVariant } from './tiny-seir.fixture.js';

const total = (series: Readonly<Record<string, readonly number[]>>) => series.newInfections!.reduce((a, b) => a + b, 0);
const SEEDS = Number(process.env.SD_SEEDS ?? 500);
const FIRST = Number(process.env.SD_FIRST_SEED ?? 1);
const chosen: SeirVariant[] = process.env.SD_VARIANTS === 'all' ? VARIANTS : [COVID_LIKE];

/** The entries of a variant: every entry of beta (or beta), sigma where there is a latent stage, gamma. */
const entriesOf = (v: SeirVariant): SeirEntry[] => [...(v.timeVarying ? [0, 1, 2].map((index) => ({ param: 'beta' as const, index })) : [{ param: 'beta' as const }]), ...(v.latent ? [{ param: 'sigma' as const }] : []), { param: 'gamma' as const }];
const label = (e: SeirEntry) => (e.param === 'beta' && e.index !== undefined ? `beta[${e.index}]` : e.param);

describe.each(chosen.map((v) => [variantId(v), v] as const))('stochastic derivative with covid-like features (exact expectation by enumeration): %s', (_, variant) => {
  it('has the law of the enumeration and is unbiased for every entry of a time-varying beta, sigma and gamma', async () => {
    const entries = entriesOf(variant);
    const params = defaultParams(variant);
    const estimates: number[][] = entries.map(() => []);
    const totals: number[] = [];
    let steps = 0;
    for (let seed = FIRST; seed < FIRST + SEEDS; seed++) {
      const sim = seirRuntime.createSimulation({ model: seirModelId(variant), seed });
      await sim.ready();
      const r = stochasticDerivatives(sim, { steps: SEIR_STEPS, entries, objective: total, replicates: 1 });
      r.gradients.forEach((g, k) => estimates[k]!.push(g));
      // the primal is a draw of the model: its totals check the enumeration's law
      totals.push(total(r.metrics));
      steps += r.stepsComputed;
      sim.dispose();
    }
    const [mean, se] = meanAndSE(totals);
    const expected = expectedSeirInfections(params, variant);
    if (process.env.SD_REPORT) console.log(variantId(variant), `seeds ${FIRST}-${FIRST + SEEDS - 1}`, 'total infections', mean, '+/-', se, 'exact', expected, 'steps per seed', steps / SEEDS);
    expect(Math.abs(mean - expected)).toBeLessThan(4 * se);
    entries.forEach((entry, k) => {
      const exact = exactSeirDerivative(entry, variant, params);
      const [m, s] = meanAndSE(estimates[k]!);
      if (process.env.SD_REPORT) console.log(variantId(variant), label(entry), 'exact', exact, 'sd', m, '+/-', s, 'z', (m - exact) / s);
      expect(Math.abs(m - exact)).toBeLessThan(4 * s);
    });
    // precise enough to see a bias of the size seen on epi/covid (estimate about half of finite differences)
    const [, beta0SE] = meanAndSE(estimates[0]!);
    expect(beta0SE).toBeLessThan(0.15 * Math.abs(exactSeirDerivative(entries[0]!, variant, params)));
  });
});
