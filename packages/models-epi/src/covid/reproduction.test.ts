/**
 * R is the realised reproduction number on the population the model runs on: infector tracking on
 * contact layers (the early-epidemic branching run, an independent random stream from the one that
 * calibrated), the generation interval by infector tracking, and the model's own early growth rate
 * on a well-mixed population against the Euler-Lotka rate of R and its generation interval.
 */
import { createRuntime, tf, type PopulationData } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { plugin } from '../plugin.js';
import { testPopulations } from '../populations.fixture.js';
import { runBranching } from './branching.js';
import { eulerLotkaRate, generationInterval, type DurationSettings } from './durations.js';
import { COVID_PARAMETERS, R_WEEKS } from './parameters.js';
import { betaOf, branchingInput, mixingReproduction, reproductionCurve, runSettings } from './reproduction.js';

const defaults = Object.fromEntries(Object.entries(COVID_PARAMETERS).map(([k, spec]) => [k, spec.default])) as Record<string, number>;
const layered = (agents: number): PopulationData => testPopulations.populations!.find((p) => p.id === 'layered')!.build({ agents, seed: 1 }) as PopulationData;

/** Secondary infections per case by infector tracking, at the beta the model uses for R. */
function trackedR(population: PopulationData, params: Record<string, number>, r: number, seed: number): number {
  const curve = reproductionCurve(population, params);
  const input = branchingInput(population, params)!;
  const rMix = mixingReproduction(tf.scalar(r), curve).dataSync()[0]!;
  return runBranching(input, betaOf(input, rMix, params.infectiousDays!), runSettings(input.count, seed, 8000)).reproduction;
}

describe('R on contact layers', () => {
  const population = layered(20_000);

  it('is the realised early reproduction number by infector tracking (within 10% at R = 1.2 and 2.5)', () => {
    for (const r of [1.2, 2.5]) expect(Math.abs(trackedR(population, defaults, r, 31) - r) / r).toBeLessThan(0.1);
  });

  it('differs from the homogeneous-mixing conversion, which the model used before (household saturation)', () => {
    const input = branchingInput(population, defaults)!;
    const homogeneous = runBranching(input, betaOf(input, 2.5, defaults.infectiousDays!), runSettings(input.count, 31, 8000)).reproduction;
    expect(homogeneous).toBeLessThan(0.9 * 2.5);
  });

  it('runs at nearby transmission rates share their draws: R moves smoothly with beta, far below the sampling noise of independent runs', () => {
    const input = branchingInput(population, defaults)!;
    const beta = betaOf(input, 3, defaults.infectiousDays!);
    const scales = [0.96, 0.98, 1, 1.02, 1.04];
    /** Scatter of R about its least-squares line in the scale, relative to its mean. */
    const scatter = (seedOf: (k: number) => number) => {
      const ys = scales.map((x, k) => runBranching(input, beta * x, runSettings(input.count, seedOf(k), 4000)).reproduction);
      const mx = scales.reduce((a, b) => a + b) / 5;
      const my = ys.reduce((a, b) => a + b) / 5;
      const slope = scales.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / scales.reduce((a, x) => a + (x - mx) ** 2, 0);
      return { slope, relative: Math.sqrt(ys.reduce((a, y, i) => a + (y - my - slope * (scales[i]! - mx)) ** 2, 0) / 3) / my };
    };
    // three base seeds (one scatter has 3 degrees of freedom); measured 0.34-0.47% shared, 0.65-2.4% independent
    const shared = [5, 11, 17].map((b) => scatter(() => b));
    const independent = [5, 11, 17].map((b) => scatter((k) => b + 100 + k));
    const mean = (xs: { relative: number }[]) => xs.reduce((a, x) => a + x.relative, 0) / xs.length;
    for (const s of shared) expect(s.slope).toBeGreaterThan(0);
    expect(mean(shared)).toBeLessThan(0.5 * mean(independent));
  });

  it('holds when the layer weights change (the curve is measured for the weights in use) and is cached per population and parameters', () => {
    const householdHeavy = { ...defaults, householdWeight: 10 };
    expect(Math.abs(trackedR(population, householdHeavy, 2, 37) - 2) / 2).toBeLessThan(0.1);
    expect(reproductionCurve(population, householdHeavy)).toEqual(reproductionCurve(population, householdHeavy));
    expect(reproductionCurve(undefined, defaults)).toEqual([0, 0, 1, 1, 2.5, 2.5, 4.5, 4.5, 7, 7]);
  });

  it('the piecewise-linear inverse is differentiable in R, with the segment slope', () => {
    const curve = [0, 0, 1, 2, 2, 5, 3, 7, 4, 9];
    const g = tf.grad((r: tf.Tensor) => mixingReproduction(r, curve))(tf.scalar(1.5));
    expect(g.dataSync()[0]).toBeCloseTo(3, 6);
    expect(mixingReproduction(tf.scalar(1.5), curve).dataSync()[0]).toBeCloseTo(3.5, 6);
    // past the last point: the last ratio, through the origin
    expect(mixingReproduction(tf.scalar(8), curve).dataSync()[0]).toBeCloseTo(18, 5);
  });
});

describe('generation interval', () => {
  it('COVID defaults: 5-6.5 days by infector tracking, as the exact chain says (within 0.2 day)', () => {
    // random contacts only: no household competition, so the tracked interval is the intrinsic one
    const population = layered(20_000);
    const params: Record<string, number> = { ...defaults, householdWeight: 0, schoolWeight: 0, workWeight: 0 };
    const input = branchingInput(population, params)!;
    const measured = runBranching(input, betaOf(input, 2, params.infectiousDays!), runSettings(input.count, 41, 8000)).generationInterval;
    const exact = generationInterval(defaults as unknown as DurationSettings).mean;
    expect(Math.abs(measured - exact)).toBeLessThan(0.2);
    expect(measured).toBeGreaterThan(5);
    expect(measured).toBeLessThan(6.5);
  });

  it('well-mixed: the model grows at the Euler-Lotka rate of R and its generation interval (within 10%)', async () => {
    const runtime = createRuntime({ plugins: [plugin], backend: 'cpu' });
    const agents = 100_000;
    const sim = runtime.createSimulation({ model: 'epi/covid', agents, seed: 5, params: { R: Array.from({ length: R_WEEKS }, () => 2), seedInfections: 20 } });
    const series = (await sim.run({ steps: 40 })).metrics.newInfections!;
    sim.dispose();
    // log-linear fit from day 10 (past the seeds' transient) until 5% are infected
    const xs: number[] = [];
    const ys: number[] = [];
    let cumulative = 0;
    series.forEach((v, t) => {
      cumulative += v;
      if (t >= 10 && cumulative < 0.05 * agents && v > 0) xs.push(t), ys.push(Math.log(v));
    });
    expect(xs.length).toBeGreaterThan(8);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const rate = xs.reduce((a, x, k) => a + (x - mx) * (ys[k]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    const theory = eulerLotkaRate(2, generationInterval(defaults as unknown as DurationSettings).pmf);
    expect(Math.abs(rate - theory) / theory).toBeLessThan(0.1);
  }, 240_000);
});
