import { createRuntime, definePlugin, definePopulation, rolloutGradients, tf, type Behavior, type BehaviorContext, type Simulation } from '@populace/core';
import { checkPluginConformance } from '@populace/core/testing';
import { describe, expect, it } from 'vitest';
import { INDUSTRY_CLOSURE, NYC_AREAS, stayAtHomeSeries } from './labor-data.js';
import { labor } from './labor.js';

/** 60 people: industry = i % 14 (0: not employed), area = i % 5, employed unless industry 0. */
const town = definePopulation({
  id: 'town',
  description: 'people with employed, industry and area codes as the nyc population has them',
  defaultAgents: 60,
  build: ({ agents }) => {
    const n = agents ?? 60;
    const industry = Int32Array.from({ length: n }, (_, i) => i % 14);
    return { agents: { people: { count: n, attributes: { industry, employed: industry.map((k) => (k > 0 ? 1 : 0)), area: Int32Array.from({ length: n }, (_, i) => i % 5) } } } };
  },
});
const plugin = definePlugin({ name: 'supplychain', version: '0.0.0', models: [labor] });
const runtime = createRuntime({ plugins: [plugin, definePlugin({ name: 'test', version: '0.0.0', populations: [town] })], backend: 'cpu' });
type Inputs = Record<string, number | number[]>;
const sim = (o: { params?: Record<string, number>; inputs?: Inputs; agents?: number; population?: 'test/town' } = {}): Simulation =>
  runtime.createSimulation({ model: 'supplychain/labor', agents: o.agents ?? 50, seed: 1, ...(o.population ? { population: o.population } : {}), ...(o.params ? { params: o.params } : {}), ...(o.inputs ? { inputs: o.inputs } : {}) });

async function run(s: Simulation, steps: number, behavior?: Behavior): Promise<Record<string, number[]>> {
  try {
    await s.ready();
    if (behavior) s.useBehavior('work', behavior);
    return (await s.run({ steps })).metrics;
  } finally {
    s.dispose();
  }
}

const logistic = (base: number, fear: number, per1000: number) => 1 / (1 + Math.exp(-(Math.log(base / (1 - base)) - fear * per1000)));

describe('supplychain/labor', () => {
  it('stays at its base unemployment without an order or an epidemic', async () => {
    const m = await run(sim({ inputs: { stayAtHome: 0 } }), 30);
    for (const v of m.unemploymentRate!) expect(v).toBeCloseTo(0.042, 6);
    for (const v of m.newClaims!) expect(v).toBe(0);
    for (const v of m.atWork!) expect(v).toBeCloseTo(50 * 0.98, 4);
    for (const v of m.willingness!) expect(v).toBeCloseTo(0.98, 6);
  });

  it('loses the closed jobs at layoffRate under a full order (analytic, by industry and borough)', async () => {
    const steps = 20;
    const m = await run(sim({ population: 'test/town', agents: 140, inputs: { stayAtHome: 1 }, params: { rehireRate: 0, layoffRate: 0.05 } }), steps);
    INDUSTRY_CLOSURE.forEach(({ industry, closed }) => {
      // 140 people, industry = i % 14: 10 workers per industry
      m[`employed_${industry}`]!.forEach((v, t) => expect(v).toBeCloseTo(10 * (1 - 0.05 * closed) ** (t + 1), 4));
      const rate = m[`unemploymentRate_${industry}`]![steps - 1]!;
      const force = 10 / (1 - 0.042);
      expect(rate).toBeCloseTo((force - 10 * (1 - 0.05 * closed) ** steps) / force, 5);
    });
    // each borough holds 28 people, of whom 2 per industry code; claims = jobs lost
    for (const area of NYC_AREAS) expect(m[`employed_${area}`]![0]).toBeCloseTo(INDUSTRY_CLOSURE.reduce((a, { closed }) => a + 2 * (1 - 0.05 * closed), 0), 4);
    m.newClaims!.forEach((c, t) => expect(c).toBeCloseTo((t === 0 ? 130 : m.employed![t - 1]!) - m.employed![t]!, 3));
    const byArea = NYC_AREAS.reduce((a, area) => a + m[`newClaims_${area}`]![5]!, 0);
    expect(byArea).toBeCloseTo(m.newClaims![5]!, 4);
  });

  it('decides weekly: willingness falls with prevalence by the logistic default and holds within the week', async () => {
    const infected = Array.from({ length: 21 }, (_, t) => 10 * t); // per 1,000 of 1,000 people: t / 100 x 1000
    const m = await run(sim({ agents: 1000, inputs: { stayAtHome: 0, infected } }), 21);
    m.willingness!.forEach((w, t) => expect(w).toBeCloseTo(logistic(0.98, 0.05, infected[t - (t % 7)]! / 1000 * 1000), 5));
    // the ill stay home: atWork = jobs x willingness x (1 - sickAbsence x infected / n)
    m.atWork!.forEach((a, t) => expect(a / (m.employed![t]! * m.willingness![t]!)).toBeCloseTo(1 - (0.6 * infected[t]!) / 1000, 4));
  });

  it('takes its weekly decision from a filled work slot; the default values there reproduce the empty slot', async () => {
    const contexts: BehaviorContext[] = [];
    const infected = Array.from({ length: 15 }, (_, t) => 3 * t);
    const same: Behavior = {
      id: 'logistic in JS', agentType: 'people', differentiable: false,
      sample: (c) => (contexts.push(c), tf.fill([200], logistic(0.98, 0.05, (Number(c.infectedPer100k) / 1e5) * 1000))),
    };
    const inputs = { stayAtHome: stayAtHomeSeries().slice(15, 30), infected };
    const viaSlot = await run(sim({ agents: 200, inputs }), 15, same);
    const alone = await run(sim({ agents: 200, inputs }), 15);
    expect(contexts.map((c) => c.week)).toEqual([1, 2, 3]);
    expect(contexts[1]).toMatchObject({ day: 7, infectedPer100k: Math.round((21 / 200) * 1e5), stayAtHome: 1 });
    for (const name of ['unemploymentRate', 'atWork', 'newClaims']) viaSlot[name]!.forEach((v, t) => expect(v).toBeCloseTo(alone[name]![t]!, 4));
    const unwilling: Behavior = { id: 'no one', agentType: 'people', differentiable: false, sample: () => tf.zeros([200]) };
    const m = await run(sim({ agents: 200, inputs: { stayAtHome: 0 } }), 8, unwilling);
    expect(m.atWork![0]).toBe(0);
    expect(m.newClaims![0]).toBeCloseTo(200 * 0.01, 4); // quitRate x (1 - 0 / willingBase)
  });

  it('has gradients that match central finite differences for the learnable parameters', async () => {
    const steps = 40;
    const inputs = { stayAtHome: stayAtHomeSeries().slice(10, 10 + steps), infected: Array.from({ length: steps }, (_, t) => 0.5 * t), isolated: 5 };
    const s = sim({ agents: 200, population: 'test/town', inputs });
    await s.ready();
    const names = ['layoffRate', 'rehireRate', 'quitRate', 'willingBase', 'fearPerThousand', 'sickAbsence', 'claimShare'] as const;
    const metricNames = Object.keys(runtime.describeModel('supplychain/labor').metrics);
    const at = ['unemploymentRate', 'atWork', 'newClaims'].map((n) => metricNames.indexOf(n));
    const loss = () => (_t: number, metrics: readonly tf.Scalar[]) => tf.addN([tf.mul(metrics[at[0]!]!, 100), metrics[at[1]!]!, metrics[at[2]!]!]) as tf.Scalar;
    const base = s.params;
    const params = Object.fromEntries(names.map((n) => [n, tf.scalar(base[n] as number)]));
    const result = rolloutGradients(s, { steps, params, loss });
    for (const n of names) {
      const v = base[n] as number;
      const h = n === 'willingBase' ? 5e-3 : Math.abs(v) * 5e-2;
      const total = async (x: number) => {
        s.setParams({ [n]: x });
        await s.reset();
        const m = (await s.run({ steps })).metrics;
        s.setParams({ [n]: v });
        return m.unemploymentRate!.reduce((a, b, t) => a + 100 * b + m.atWork![t]! + m.newClaims![t]!, 0);
      };
      const fd = ((await total(v + h)) - (await total(v - h))) / (2 * h);
      const g = result.grads[n]!.dataSync()[0]!;
      expect(fd, n).not.toBe(0);
      expect(Math.abs(g - fd), `${n}: autodiff ${g}, finite difference ${fd}`).toBeLessThan(0.03 * Math.abs(fd));
    }
    tf.dispose([...Object.values(params), ...Object.values(result.grads)]);
    s.dispose();
  });

  // the default inputs have no epidemic, so nothing is ill or less willing (the test above covers these)
  const INERT = ['quitRate', 'fearPerThousand', 'sickAbsence'];
  it('passes the plugin conformance suite', async () => {
    const report = await checkPluginConformance(plugin, { steps: 5, gradients: { 'supplychain/labor': { steps: 30, inert: INERT } } });
    expect(report.failures, JSON.stringify(report.failures)).toEqual([]);
  });

  it('refuses a run past its default stay-at-home series, and a bad input', async () => {
    const s = sim();
    await expect(s.run({ steps: 123 })).rejects.toThrow(/input 'stayAtHome' of model 'supplychain\/labor' has 122 values/);
    s.dispose();
    expect(() => sim({ inputs: { infected: [1, Number.NaN] } })).toThrow(/input 'infected' of model 'supplychain\/labor': value 1 \(step 1\) expected a finite number/);
  });
});
