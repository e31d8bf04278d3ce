/**
 * Staged durations: stage counts, the exact generation interval of the day-step chain against a
 * direct simulation of the chain, and the COVID defaults' generation interval.
 */
import { describe, expect, it } from 'vitest';
import { uniformStream } from './branching.js';
import { eulerLotkaRate, generationInterval, stagedSd, stagesFor, stageWeights } from './durations.js';
import { COVID_PARAMETERS } from './parameters.js';

const defaults = Object.fromEntries(['latentDays', 'latentSd', 'infectiousDays', 'infectiousSd', 'infectiousnessDecay'].map((k) => [k, Number(COVID_PARAMETERS[k]!.default)])) as unknown as Parameters<typeof generationInterval>[0];

describe('staged durations', () => {
  it('stage counts match mean and SD (k = m^2 / (sd^2 + m)), within [1, m]', () => {
    expect(stagesFor(8, 2)).toBe(5);
    expect(stagesFor(4.5, 1.5)).toBe(3);
    expect(stagedSd(8, 5)).toBeCloseTo(Math.sqrt(5 * (1 - 5 / 8)) / (5 / 8), 12);
    expect(stagesFor(3, 0)).toBe(3);
    expect(stagesFor(8, 100)).toBe(1);
    expect(stageWeights(4, 0.5).reduce((a, b) => a + b, 0)).toBeCloseTo(4, 12);
    expect(stageWeights(3, 1)).toEqual([1, 1, 1]);
  });

  it('the exact generation-interval pmf agrees with a simulation of the chain (mean within 0.05 day)', () => {
    const settings = { latentDays: 4, latentSd: 2, infectiousDays: 6, infectiousSd: 2, infectiousnessDecay: 0.6 };
    const gi = generationInterval(settings);
    const kE = stagesFor(4, 2);
    const kI = stagesFor(6, 2);
    const w = stageWeights(kI, 0.6);
    const rand = uniformStream(5);
    let num = 0;
    let den = 0;
    for (let n = 0; n < 100_000; n++) {
      // infected on day 0, latent from day 1: each day in a stage ends with a move with probability k / mean
      let t = 1;
      for (let j = 0; j < kE; j++) {
        do t++;
        while (rand() >= kE / 4);
      }
      // infectious from day t, exerting w_j on each day in stage j
      for (let j = 0; j < kI; j++) {
        do {
          num += w[j]! * t;
          den += w[j]!;
          t++;
        } while (rand() >= kI / 6);
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
