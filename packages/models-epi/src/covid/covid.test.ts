/**
 * epi/covid: metamorphic relations, the meaning of R (well-mixed final size
 * against the rank-one theory), age-stratified severity, layers, bad input.
 */
import { createRuntime, PopulaceError, tf, type UndeclaredPaths } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { plugin } from '../plugin.js';
import { spreadAges, testPopulations } from '../populations.fixture.js';
import { rankOneAttack } from '../theory.js';
import { ageBand, P_DEATH_PER_INFECTION, P_SYMPTOMATIC, RELATIVE_SUSCEPTIBILITY } from './age-tables.js';
import { R_WEEKS } from './parameters.js';
import { covid } from './model.js';
import * as paths from './paths.js';

const runtime = createRuntime({ plugins: [plugin, examplePlugin, testPopulations], backend: 'cpu' });
const weekly = (...values: number[]) => Array.from({ length: R_WEEKS }, (_, k) => values[Math.min(k, values.length - 1)]!);
type Population = 'random-graph' | 'test/aged' | 'test/elderly' | 'test/layered';

async function run(params: Record<string, unknown>, options: { agents: number; steps: number; seed: number; population?: Population }) {
  const sim = runtime.createSimulation({ model: 'epi/covid', params, agents: options.agents, seed: options.seed, ...(options.population ? { population: options.population } : {}) });
  try {
    return (await sim.run({ steps: options.steps })).metrics;
  } finally {
    sim.dispose();
  }
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const INTERVENTIONS = { testsPerDay: 60, testTurnaround: 1, dosesPerDay: 40, vaccineBudget: 2000 };

describe('epi/covid: metamorphic relations', () => {
  for (const population of [undefined, 'random-graph', 'test/layered'] as const) {
    it(`${population ?? 'no population'}: S + E + I + R + M = N every day, R = 0 infects nobody, same seed same series`, async () => {
      const options = { agents: 3000, steps: 50, seed: 3, ...(population ? { population } : {}) };
      const none = await run({ R: weekly(0), ...INTERVENTIONS }, options);
      expect(none.newInfections!.every((v) => v === 0)).toBe(true);
      const a = await run({ R: weekly(3), ...INTERVENTIONS }, options);
      expect(await run({ R: weekly(3), ...INTERVENTIONS }, options)).toEqual(a);
      for (let t = 0; t < 50; t++) {
        expect(a.S![t]! + a.E![t]! + a.I![t]! + a.R![t]! + a.M![t]!).toBe(3000);
        expect(a.H![t]!).toBeLessThanOrEqual(a.I![t]!);
        expect((t === 0 ? 3000 - 50 : a.S![t - 1]!) - a.S![t]!).toBe(a.newInfections![t]);
        expect(a.M![t]! - (t === 0 ? 0 : a.M![t - 1]!)).toBe(a.deaths![t]);
      }
      expect(sum(a.newInfections!)).toBeGreaterThan(100);
      expect(sum(a.testsUsed!)).toBeGreaterThan(0);
      expect(sum(a.dosesGiven!)).toBe(a.vaccinated!.at(-1)! * 2);
    });
  }

  it('a larger R never lowers the mean attack rate (3 seeds each, well-mixed and on layers)', async () => {
    for (const population of [undefined, 'test/layered'] as const) {
      const means: number[] = [];
      for (const r of [0.8, 1.5, 2.5, 4]) {
        let total = 0;
        for (const seed of [1, 2, 3]) {
          const m = await run({ R: weekly(r), seedInfections: 10 }, { agents: 1500, steps: 60, seed, ...(population ? { population } : {}) });
          total += (1500 - m.S!.at(-1)!) / 1500 / 3;
        }
        means.push(total);
      }
      for (let k = 1; k < means.length; k++) expect(means[k]!).toBeGreaterThanOrEqual(means[k - 1]!);
      expect(means.at(-1)! - means[0]!).toBeGreaterThan(0.3);
    }
  });

  it('on layers, scaling every layer weight by 2 changes nothing (beta is normalised by the mean weighted degree)', async () => {
    const options = { agents: 2000, steps: 40, seed: 8, population: 'test/layered' as const };
    const base = await run({ R: weekly(2.5) }, options);
    const scaled = await run({ R: weekly(2.5), householdWeight: 6, schoolWeight: 1.2, workWeight: 1.2, communityWeight: 0.6 }, options);
    expect(scaled).toEqual(base);
    const householdHeavy = await run({ R: weekly(2.5), householdWeight: 30 }, options);
    expect(householdHeavy).not.toEqual(base);
  });
});

describe('epi/covid: R, age and severity', () => {
  it('well-mixed: the final size is the rank-one theory for R (within 2 points), deaths follow the age IFRs', async () => {
    const agents = 40_000;
    const seeds = 40;
    const r = 2.5;
    const m = await run({ R: weekly(r), seedInfections: seeds }, { agents, steps: 200, seed: 2, population: 'test/aged' });
    expect(m.E!.at(-1)! + m.I!.at(-1)! - m.H!.at(-1)!).toBeLessThan(20);
    const ages = Array.from(spreadAges(agents));
    const s = ages.map((a) => RELATIVE_SUSCEPTIBILITY[ageBand(a)]!);
    const c = ages.map((a) => P_SYMPTOMATIC[ageBand(a)]! + 0.33 * (1 - P_SYMPTOMATIC[ageBand(a)]!));
    const attack = rankOneAttack(r, s, c, seeds / agents);
    const theory = sum(attack) / agents;
    expect(Math.abs((agents - m.S!.at(-1)!) / agents - theory)).toBeLessThan(0.02);
    // expected deaths: sum_i P(i infected) * IFR(age_i)
    const expectedDeaths = sum(attack.map((z, i) => z * P_DEATH_PER_INFECTION[ageBand(ages[i]!)]!));
    expect(m.H!.at(-1)).toBeLessThan(20);
    expect(Math.abs(m.M!.at(-1)! - expectedDeaths) / expectedDeaths).toBeLessThan(0.15);
  });

  it('the infection fatality ratio of an elderly population is the table value for ages 80-89', async () => {
    const agents = 20_000;
    const m = await run({ R: weekly(2.5), seedInfections: 40 }, { agents, steps: 200, seed: 4, population: 'test/elderly' });
    const infected = agents - m.S!.at(-1)!;
    expect(m.I!.at(-1)).toBeLessThan(20);
    const ifr = m.M!.at(-1)! / infected;
    expect(Math.abs(ifr - P_DEATH_PER_INFECTION[8]!) / P_DEATH_PER_INFECTION[8]!).toBeLessThan(0.12);
    expect(Math.max(...m.H!)).toBeGreaterThan(100);
  });

  it('weekly R: dropping R from 3 to 0.5 in week 3 turns the epidemic down', async () => {
    const m = await run({ R: weekly(3, 3, 0.5), seedInfections: 100 }, { agents: 20_000, steps: 42, seed: 6 });
    const week = (k: number) => sum(m.newInfections!.slice(7 * k, 7 * k + 7));
    expect(week(1)).toBeGreaterThan(week(0));
    expect(week(3)).toBeLessThan(0.6 * week(1));
    expect(week(5)).toBeLessThan(week(3));
  });

  it('derives per-agent probabilities from the age attribute, and uses age 40 without one', async () => {
    const sim = runtime.createSimulation({ model: 'epi/covid', population: 'test/aged', agents: 200, seed: 1 });
    await sim.ready();
    const read = (p: string) => {
      const t = sim.state(p as `agents/people/${string}`);
      const v = Array.from(t.dataSync());
      t.dispose();
      return v;
    };
    const ages = read('agents/people/age');
    expect(ages).toEqual(Array.from(spreadAges(200)));
    const sus = read('agents/people/susceptibility');
    const [death, severe, symptomatic] = [read('agents/people/pDeath'), read('agents/people/pSevere'), read('agents/people/pSymptomatic')];
    ages.forEach((a, i) => {
      expect(sus[i]).toBeCloseTo(RELATIVE_SUSCEPTIBILITY[ageBand(a)]!, 6);
      expect(symptomatic[i]).toBeCloseTo(P_SYMPTOMATIC[ageBand(a)]!, 6);
      expect(death[i]! * severe[i]! * symptomatic[i]!).toBeCloseTo(P_DEATH_PER_INFECTION[ageBand(a)]!, 6);
    });
    sim.dispose();
    const bare = runtime.createSimulation({ model: 'epi/covid', agents: 50, seed: 1 });
    await bare.ready();
    const age = bare.state('agents/people/age');
    expect(new Set(age.dataSync())).toEqual(new Set([40]));
    tf.dispose(age);
    bare.dispose();
  });
});

describe('epi/covid: bad input', () => {
  it('rejects out-of-bounds intervention settings and malformed R, naming the parameter and the bounds', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ testTurnaround: -1 }, 'param-out-of-bounds', /parameter 'testTurnaround': expected a value within \[0, 60\], received -1/],
      [{ testTurnaround: 1.5 }, 'invalid-param', /'testTurnaround': expected a whole number, received 1.5/],
      [{ testSensitivity: 1.2 }, 'param-out-of-bounds', /'testSensitivity'.*\[0, 1\]/],
      [{ testsPerDay: -5 }, 'param-out-of-bounds', /'testsPerDay'/],
      [{ vaccinePriority: 3 }, 'param-out-of-bounds', /'vaccinePriority'.*\[0, 2\]/],
      [{ vaccineEfficacy: -0.1 }, 'param-out-of-bounds', /'vaccineEfficacy'/],
      [{ R: [2, 2] }, 'invalid-param', new RegExp(`'R': expected an array of ${R_WEEKS} numbers`)],
      [{ R: 2 }, 'invalid-param', /'R': expected an array/],
      [{ latentDays: 0.5 }, 'param-out-of-bounds', /'latentDays'.*\[1, 60\]/],
    ];
    for (const [params, code, message] of cases) {
      const error = (() => {
        try {
          runtime.createSimulation({ model: 'epi/covid', params });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(PopulaceError.isInstance(error) && error.code).toBe(code);
      expect(String(error)).toMatch(message);
    }
    const sim = runtime.createSimulation({ model: 'epi/covid', agents: 30, params: { seedInfections: 31 } });
    await expect(sim.run({ steps: 1 })).rejects.toThrow(/'seedInfections': expected a whole number in \[0, 30\]/);
    sim.dispose();
  });
});

describe('epi/covid state paths', () => {
  it('are typed from the state spec: every path of paths.ts is declared, a misspelt one is not', () => {
    type Constants = Extract<(typeof paths)[keyof typeof paths], string>;
    type Stages = ReturnType<typeof paths.latentStagePath | typeof paths.asymptomaticStagePath | typeof paths.symptomaticStagePath>;
    expectTypeOf<UndeclaredPaths<Constants | Stages, typeof covid.state>>().toBeNever();
    expectTypeOf<UndeclaredPaths<'agents/people/susceptable' | 'env/newInfection', typeof covid.state>>().toEqualTypeOf<'agents/people/susceptable' | 'env/newInfection'>();
    // and at run time: the model declares the same paths
    const declared = new Set([...Object.keys(covid.state.agents.people.properties).map((p) => `agents/people/${p}`), ...Object.keys(covid.state.environment).map((e) => `env/${e}`)]);
    for (const p of Object.values(paths)) if (typeof p === 'string') expect(declared.has(p), p).toBe(true);
    for (const j of [0, 3]) expect(declared.has(paths.latentStagePath(j))).toBe(true);
  });
});
