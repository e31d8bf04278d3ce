/**
 * epi/covid interventions: exact accounting (tests, results after the
 * turnaround, isolation days, doses within budget, queue order), metamorphic
 * relations, and effects in the right direction by a meaningful amount.
 */
import { createRuntime, tf } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { plugin } from '../plugin.js';
import { testPopulations } from '../populations.fixture.js';
import { R_WEEKS } from './parameters.js';
import { TEST_PRESETS, VACCINE_PRESETS } from './presets.js';

const runtime = createRuntime({ plugins: [plugin, testPopulations], backend: 'cpu' });
const weekly = (r: number) => Array.from({ length: R_WEEKS }, () => r);
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
/** No disease at all: only the interventions act. */
const QUIET = { R: weekly(0), seedInfections: 0 };

async function simulate(params: Record<string, unknown>, options: { agents: number; steps: number; seed: number; population?: 'test/aged' | 'test/layered' }, inspect?: (read: (p: string) => number[]) => void) {
  const sim = runtime.createSimulation({ model: 'epi/covid', params, agents: options.agents, seed: options.seed, ...(options.population ? { population: options.population } : {}) });
  try {
    const { metrics } = await sim.run({ steps: options.steps });
    inspect?.((p) => {
      const t = sim.state(p as `agents/people/${string}`);
      const values = Array.from(t.dataSync());
      tf.dispose(t);
      return values;
    });
    return metrics;
  } finally {
    sim.dispose();
  }
}

describe('testing and isolation', () => {
  it('accounting: results arrive exactly testTurnaround days after the test, and positives isolate for isolationDays days', async () => {
    // everyone tests positive (false-positive rate 1) and isolates: positives[t] = testsUsed[t - 3]
    const m = await simulate({ ...QUIET, testsPerDay: 40, testFalsePositiveRate: 1, testTurnaround: 3, isolationDays: 5 }, { agents: 2000, steps: 20, seed: 1 });
    for (let t = 0; t < 20; t++) {
      expect(m.positives![t]).toBe(t < 3 ? 0 : m.testsUsed![t - 3]);
      expect(m.isolated![t]).toBe(sum(m.positives!.slice(Math.max(0, t - 4), t + 1)));
    }
    // tests go to the untested: each person is tested positive once, so the 2000 are used up within ~50 days
    expect(sum(m.testsUsed!) / 20).toBeGreaterThan(36);
    expect(sum(m.testsUsed!) / 20).toBeLessThan(44);
    // a same-day test isolates the same day
    const now = await simulate({ ...QUIET, testsPerDay: 40, testFalsePositiveRate: 1, testTurnaround: 0, isolationDays: 2 }, { agents: 2000, steps: 5, seed: 1 });
    expect(now.positives).toEqual(now.testsUsed);
  });

  it('specificity: healthy people test positive at the false-positive rate; compliance 0 means nobody isolates', async () => {
    const m = await simulate({ ...QUIET, testsPerDay: 500, testFalsePositiveRate: 0.1, testTurnaround: 0, isolationCompliance: 0 }, { agents: 20_000, steps: 10, seed: 2 });
    const rate = sum(m.positives!) / sum(m.testsUsed!);
    expect(Math.abs(rate - 0.1)).toBeLessThan(0.015);
    expect(m.isolated!.every((v) => v === 0)).toBe(true);
  });

  it('testing without isolation does not change the epidemic (draws are separate streams); with isolation it shrinks it', async () => {
    const options = { agents: 10_000, steps: 60, seed: 3, population: 'test/aged' as const };
    const base = await simulate({ R: weekly(2.5), seedInfections: 30 }, options);
    const ignored = await simulate({ R: weekly(2.5), seedInfections: 30, testsPerDay: 300, isolationCompliance: 0 }, options);
    expect(ignored.newInfections).toEqual(base.newInfections);
    expect(sum(ignored.testsUsed!)).toBeGreaterThan(0);
    const isolating = await simulate({ R: weekly(2.5), seedInfections: 30, testsPerDay: 300 }, options);
    // 0.70-0.735 of the infections over seeds 3-6 (durations with continuous stage counts, 2026-12-05)
    expect(sum(isolating.newInfections!)).toBeLessThan(0.78 * sum(base.newInfections!));
  });

  it('faster results cut transmission more: turnaround 0 < 2 < 6 days in infections, and different curves for the test presets', async () => {
    const options = { agents: 10_000, steps: 60, seed: 4, population: 'test/layered' as const };
    const total = async (extra: Record<string, unknown>) => sum((await simulate({ R: weekly(1.5), seedInfections: 30, testsPerDay: 200, ...extra }, options)).newInfections!);
    const [fast, medium, slow] = [await total({ testTurnaround: 0 }), await total({ testTurnaround: 2 }), await total({ testTurnaround: 6 })];
    expect(fast).toBeLessThan(0.9 * medium);
    expect(medium).toBeLessThan(0.9 * slow);
    const rapid = await simulate({ R: weekly(1.5), seedInfections: 30, testsPerDay: 200, ...TEST_PRESETS.rapidAntigen }, options);
    const pcr = await simulate({ R: weekly(1.5), seedInfections: 30, testsPerDay: 200, ...TEST_PRESETS.pcr }, options);
    expect(rapid.newInfections).not.toEqual(pcr.newInfections);
    expect(Math.abs(sum(rapid.newInfections!) - sum(pcr.newInfections!)) / sum(pcr.newInfections!)).toBeGreaterThan(0.1);
  });
});

describe('vaccination', () => {
  it('never spends more than the budget; doses per day and per course as set; cost = doses * costPerDose + tests * costPerTest', async () => {
    const m = await simulate({ ...QUIET, dosesPerDay: 100, vaccineBudget: 10_000, costPerDose: 19.5, dosesPerCourse: 2, testsPerDay: 10, costPerTest: 5 }, { agents: 3000, steps: 10, seed: 5 });
    // 10,000 / (19.5 * 2) = 256.4: 256 courses, 50 a day
    expect(m.dosesGiven).toEqual([100, 100, 100, 100, 100, 12, 0, 0, 0, 0]);
    expect(m.vaccinated!.at(-1)).toBe(256);
    expect(sum(m.dosesGiven!) * 19.5).toBeLessThanOrEqual(10_000);
    m.cost!.forEach((c, t) => expect(c).toBeCloseTo(m.dosesGiven![t]! * 19.5 + m.testsUsed![t]! * 5, 3));
    // 31 doses a day in courses of 3: 10 1/3 courses a day, whole courses of the doses so far
    const unlimited = await simulate({ ...QUIET, dosesPerDay: 31, dosesPerCourse: 3 }, { agents: 3000, steps: 6, seed: 5 });
    expect(unlimited.dosesGiven).toEqual([30, 30, 33, 30, 30, 33]);
  });

  it('follows the queue: oldest first, or youngest first from vaccineMinAge', async () => {
    const options = { agents: 2000, steps: 3, seed: 6, population: 'test/aged' as const };
    const check = async (preset: Record<string, number>, expectOrder: (vaccinated: number[], others: number[]) => void) => {
      await simulate({ ...QUIET, dosesPerDay: 400, ...preset }, options, (read) => {
        const [age, vaccinated] = [read('agents/people/age'), read('agents/people/vaccinated')];
        const v = age.filter((_, i) => vaccinated[i] === 1);
        expect(v).toHaveLength(600);
        expectOrder(v, age.filter((_, i) => vaccinated[i] === 0));
      });
    };
    await check(VACCINE_PRESETS.oldestFirst, (v, others) => expect(Math.min(...v)).toBeGreaterThanOrEqual(Math.max(...others)));
    await check(VACCINE_PRESETS.youngestAdultsFirst, (v, others) => {
      expect(Math.min(...v)).toBe(18);
      expect(Math.max(...v)).toBeLessThanOrEqual(Math.min(...others.filter((a) => a >= 18)));
    });
    await check(VACCINE_PRESETS.random, (v) => expect(Math.max(...v) - Math.min(...v)).toBeGreaterThan(80));
  });

  it('a perfect vaccine given to everyone on day 0 stops all transmission; a budget cuts infections, and oldest-first saves the most lives', async () => {
    const all = await simulate({ R: weekly(3), seedInfections: 50, dosesPerDay: 1e6, vaccineEfficacy: 1 }, { agents: 5000, steps: 30, seed: 7 });
    expect(all.newInfections!.every((v) => v === 0)).toBe(true);
    const options = { agents: 20_000, steps: 90, seed: 8, population: 'test/aged' as const };
    const scenario = { R: weekly(2.5), seedInfections: 20, dosesPerDay: 2000, vaccineBudget: 5000 * 2 * 19.5 };
    const none = await simulate({ R: weekly(2.5), seedInfections: 20 }, options);
    const oldest = await simulate({ ...scenario, ...VACCINE_PRESETS.oldestFirst }, options);
    const youngest = await simulate({ ...scenario, ...VACCINE_PRESETS.youngestAdultsFirst }, options);
    expect(oldest.vaccinated!.at(-1)).toBe(5000);
    expect(sum(oldest.cost!)).toBeLessThanOrEqual(scenario.vaccineBudget);
    expect(sum(oldest.newInfections!)).toBeLessThan(0.9 * sum(none.newInfections!));
    expect(oldest.M!.at(-1)!).toBeLessThan(0.7 * none.M!.at(-1)!);
    expect(oldest.M!.at(-1)!).toBeLessThan(0.8 * youngest.M!.at(-1)!);
  });
});
