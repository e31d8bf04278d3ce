/**
 * Staged durations: continuous stage counts (mean exact, SD as derived, continuity in the
 * parameters), the exact generation interval of the day-step chain against a direct simulation of
 * the chain, and the COVID defaults' generation interval.
 */
import { describe, expect, it } from 'vitest';
import { uniformStream } from './branching.js';
import { eulerLotkaRate, generationInterval, stagedSd, stageShape, stageSlots, stageWeights, type StageShape } from './durations.js';
import { COVID_PARAMETERS } from './parameters.js';

const defaults = Object.fromEntries(['latentDays', 'latentSd', 'infectiousDays', 'infectiousSd', 'infectiousnessDecay'].map((k) => [k, Number(COVID_PARAMETERS[k]!.default)])) as unknown as Parameters<typeof generationInterval>[0];

describe('staged durations', () => {
  it('stage shapes: c = m^2 / (sd^2 + m) within [1, min(m, slots)], mean exact, SD sqrt(sd^2 + f (1 - f) / p^2)', () => {
    const s = stageShape(8, 2, 6);
    expect(s.stages).toBeCloseTo(64 / 12, 12);
    expect(s.whole).toBe(5);
    expect(s.extra).toBeCloseTo(64 / 12 - 5, 12);
    expect(s.exit).toBeCloseTo(64 / 12 / 8, 12);
    expect(stagedSd(s)).toBeCloseTo(Math.sqrt(4 + (s.extra * (1 - s.extra)) / s.exit ** 2), 12);
    expect(stageShape(3, 0, 6).stages).toBe(3); // a fixed length: c = m
    expect(stageShape(8, 100, 6).stages).toBe(1); // memoryless
    expect(stageShape(20, 1, 6)).toMatchObject({ stages: 6, whole: 5, extra: 1 }); // the last slot always taken
    expect(stageSlots(8, 2, 6)).toBe(6);
    expect(stageSlots(3, 1.5, 4)).toBe(3);
    const w = stageWeights(s, 0.5);
    // expected total infectiousness in stage units: whole stages, then the optional one with probability extra
    expect(w.slice(0, 5).reduce((a, b) => a + b, 0) + s.extra * w[5]!).toBeCloseTo(s.stages, 12);
    expect(stageWeights(stageShape(3, 0, 6), 1)).toEqual([1, 1, 1, 1]);
  });

  it('durations are continuous in the mean: no jump where the stage count crosses a whole number', () => {
    // c = 5.5 at m = 8.1926 (sd 2): just below and above, the generation interval barely moves
    const m = (5.5 + Math.sqrt(5.5 ** 2 + 4 * 5.5 * 4)) / 2;
    const gi = (mean: number) => generationInterval({ latentDays: 3, latentSd: 1.5, infectiousDays: mean, infectiousSd: 2, infectiousnessDecay: 0.5 }).mean;
    const c = (mean: number) => stageShape(mean, 2, 6).stages;
    expect(c(m)).toBeCloseTo(5.5, 9);
    expect(Math.abs(gi(m + 1e-6) - gi(m - 1e-6))).toBeLessThan(1e-5);
    // and across c = 5 (m = 7.4365...): the optional stage appears with probability 0 and is no jump either
    const m5 = (5 + Math.sqrt(25 + 80)) / 2;
    expect(Math.abs(gi(m5 + 1e-7) - gi(m5 - 1e-7))).toBeLessThan(1e-5);
    expect(Math.abs(stagedSd(stageShape(m5 + 1e-7, 2, 6)) - stagedSd(stageShape(m5 - 1e-7, 2, 6)))).toBeLessThan(1e-5);
  });

  it('the exact generation-interval pmf agrees with a simulation of the chain (mean within 0.05 day)', () => {
    const settings = { latentDays: 4, latentSd: 1.5, infectiousDays: 6, infectiousSd: 2, infectiousnessDecay: 0.6 };
    const gi = generationInterval(settings);
    const latent = stageShape(4, 1.5, 4);
    const infectious = stageShape(6, 2, 6);
    expect(latent.extra).toBeGreaterThan(0.1); // both chains have a real optional stage
    expect(infectious.extra).toBeGreaterThan(0.1);
    const w = stageWeights(infectious, 0.6);
    const rand = uniformStream(5);
    const length = (shape: StageShape) => shape.whole + (rand() < shape.extra ? 1 : 0);
    let num = 0;
    let den = 0;
    for (let n = 0; n < 100_000; n++) {
      // infected on day 0, latent from day 1: each day in a stage ends with a move with probability c / mean
      let t = 1;
      const kE = length(latent);
      for (let j = 0; j < kE; j++) {
        do t++;
        while (rand() >= latent.exit);
      }
      // infectious from day t, exerting w_j on each day in stage j
      const kI = length(infectious);
      for (let j = 0; j < kI; j++) {
        do {
          num += w[j]! * t;
          den += w[j]!;
          t++;
        } while (rand() >= infectious.exit);
      }
    }
    expect(Math.abs(num / den - gi.mean)).toBeLessThan(0.05);
    expect(gi.pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('COVID defaults: mean generation interval 5-6.5 days (ganyani2020 5.2, ferretti2020 5.0, openabm_baseline 5.5)', () => {
    const gi = generationInterval(defaults);
    expect(gi.mean).toBeGreaterThan(5);
    expect(gi.mean).toBeLessThan(6.5);
    // the old memoryless, constant-infectiousness setting was 12.5 days
    expect(generationInterval({ latentDays: 4.5, latentSd: 100, infectiousDays: 8, infectiousSd: 100, infectiousnessDecay: 1 }).mean).toBeGreaterThan(12);
    expect(eulerLotkaRate(1, gi.pmf)).toBeCloseTo(0, 6);
    expect(eulerLotkaRate(2.5, gi.pmf)).toBeGreaterThan(0.1);
  });
});
