/**
 * supplychain/labor on nyc, alone and composed with epi/covid (covid.I -> labor.infected,
 * covid.isolated -> labor.isolated):
 * - the composed members equal their runs alone (labor fed covid's series as data);
 * - the gradient of a labour metric with respect to a covid parameter crosses the link: it equals
 *   the chain rule of labor's central finite differences in its input and covid's own gradient;
 * - the llm-archetypes/labor-work archetype fills the work slot (its offline prior reproduces the
 *   empty slot; a scripted chat model's answers become the willingness);
 * - against the published NYC unemployment rates of March-June 2020 (LABOR_FACTS).
 * Needs the builds of core, populations, models-epi, models-supplychain and llm-archetypes.
 */
import { createRuntime, rolloutGradients, tf, type Simulation } from '@populace/core';
import epi from '@populace/models-epi';
import archetypes, { laborWork } from '@populace/llm-archetypes';
import populations, { nycMarginals, peopleAttributes, peopleLabels } from '@populace/populations';
import supplychain, { INDUSTRY_CLOSURE, LABOR_WORK_ATTRIBUTES, NYC_AREAS, OBSERVED_UNEMPLOYMENT } from '@populace/models-supplychain';
import { describe, expect, it } from 'vitest';
import { ScriptedChatModel } from '../packages/llm-archetypes/src/chat-models.fixture.js';

const runtime = createRuntime({ plugins: [populations, epi, supplychain, archetypes], backend: 'cpu' });
const LINKS = ['epi/covid.I=supplychain/labor.infected', 'epi/covid.isolated=supplychain/labor.isolated'];
const AGENTS = 1500;
const compose = () =>
  runtime.compose({ models: ['epi/covid', 'supplychain/labor'], links: LINKS, populations: { 'epi/covid': 'nyc', 'supplychain/labor': 'nyc' }, agents: { 'epi/covid': AGENTS, 'supplychain/labor': AGENTS } });
const laborAlone = async (inputs: Record<string, number[]>, steps: number): Promise<Record<string, number[]>> => {
  const sim = runtime.createSimulation({ model: 'supplychain/labor', population: 'nyc', agents: AGENTS, seed: 3, inputs });
  try {
    return (await sim.run({ steps })).metrics;
  } finally {
    sim.dispose();
  }
};

describe('supplychain/labor declarations match the nyc population and the labor-work archetype', () => {
  it('names its breakdowns after the nyc labels; the archetype groups by the nyc attributes', () => {
    const labels = peopleLabels(nycMarginals());
    expect(labels.area).toEqual([...NYC_AREAS]);
    expect(labels.industry).toEqual(['not employed', ...INDUSTRY_CLOSURE.map((c) => c.industry)]);
    const nyc = peopleAttributes(nycMarginals());
    for (const [name, info] of Object.entries(LABOR_WORK_ATTRIBUTES)) expect(info).toEqual(nyc[name]);
    expect(runtime.archetypes.get('labor-work')).toMatchObject({ id: 'llm-archetypes/labor-work', definition: laborWork });
  });
});

describe('epi/covid + supplychain/labor', () => {
  it('composes on nyc; each member equals its run alone', async () => {
    const steps = 21;
    const both = compose().createSimulation({ seed: 3, params: { 'covid.testsPerDay': 100, 'covid.seedInfections': 40 } });
    const m = (await both.run({ steps })).metrics;
    both.dispose();
    const infected = m['covid.I']!;
    const isolated = m['covid.isolated']!;
    expect(Math.max(...infected)).toBeGreaterThan(40);
    expect(Math.max(...isolated)).toBeGreaterThan(0);
    const alone = await laborAlone({ infected, isolated }, steps);
    for (const name of ['unemploymentRate', 'atWork', 'willingness', 'newClaims', 'unemploymentRate_bronx']) {
      alone[name]!.forEach((v, t) => expect(Math.abs(m[`labor.${name}`]![t]! - v), `${name} day ${t}`).toBeLessThan(1e-5 * Math.abs(v) + 1e-6));
    }
    // the epidemic keeps people from work: fewer at work than without it
    const calm = await laborAlone({ infected: new Array(steps).fill(0), isolated: new Array(steps).fill(0) }, steps);
    expect(m['labor.atWork']![steps - 1]!).toBeLessThan(calm.atWork![steps - 1]!);
  }, 120_000);

  it('has gradients across the link equal to the chain rule of labor finite differences and covid gradients', async () => {
    const steps = 15;
    const params = ['infectiousDays', 'asymptomaticInfectiousness'] as const;
    const composition = compose();
    const both = composition.createSimulation({ seed: 3, params: { 'covid.seedInfections': 40 } });
    await both.ready();
    const atWork = Object.keys(composition.definition.metrics).indexOf('labor.atWork');
    const composed = rolloutGradients(both, {
      steps,
      params: Object.fromEntries(params.map((p) => [`covid.${p}`, tf.scalar(both.params[`covid.${p}`] as number)])),
      loss: () => (_t, metrics) => metrics[atWork],
    });
    const infected = composed.metrics['covid.I']!;
    expect(composed.metrics['covid.isolated']!.every((v) => v === 0)).toBe(true); // no testing: only the I link acts
    const zeros = new Array(steps).fill(0);
    const total = async (series: number[]) => (await laborAlone({ infected: series, isolated: zeros }, steps)).atWork!.reduce((a, b) => a + b, 0);
    expect(await total(infected)).toBeCloseTo(composed.value, 1);
    const h = 5;
    const weights: number[] = [];
    for (let t = 0; t < steps; t++) {
      const up = [...infected];
      const down = [...infected];
      up[t]! += h;
      down[t]! -= h;
      weights.push(((await total(up)) - (await total(down))) / (2 * h));
    }
    expect(weights[3]).toBeLessThan(0); // the ill stay home

    const covid: Simulation = runtime.createSimulation({ model: 'epi/covid', population: 'nyc', agents: AGENTS, seed: 3, params: { seedInfections: 40 } });
    await covid.ready();
    const iIndex = Object.keys(runtime.describeModel('epi/covid').metrics).indexOf('I');
    const alone = rolloutGradients(covid, {
      steps,
      params: Object.fromEntries(params.map((p) => [p, tf.scalar(covid.params[p] as number)])),
      loss: () => (t, metrics) => tf.mul(weights[t]!, metrics[iIndex]!) as tf.Scalar,
    });
    expect(alone.metrics.I).toEqual(infected);
    for (const p of params) {
      const viaLink = composed.grads[`covid.${p}`]!.dataSync()[0]!;
      const chain = alone.grads[p]!.dataSync()[0]!;
      expect(chain, p).not.toBe(0);
      expect(Math.abs(viaLink - chain) / Math.abs(chain), `${p}: composed ${viaLink}, chain rule ${chain}`).toBeLessThan(0.02);
    }
    tf.dispose([...Object.values(composed.grads), ...Object.values(alone.grads)]);
    both.dispose();
    covid.dispose();
  }, 300_000);
});

describe('llm-archetypes/labor-work in the work slot', () => {
  const run = async (fill: 'prior' | 'model' | 'none') => {
    const sim = runtime.createSimulation({ model: 'supplychain/labor', population: 'nyc', agents: 800, seed: 1, inputs: { infected: Array.from({ length: 15 }, (_, t) => 4 * t) } });
    try {
      await sim.ready();
      const model = fill === 'model' ? new ScriptedChatModel({ script: ({ human }) => JSON.stringify({ willWork: /in artsEntertainmentAccommodationFood/.test(human) ? 0.2 : 0.9 }) }) : undefined;
      if (fill !== 'none') sim.useBehavior('work', laborWork.behavior(sim, { model }));
      return { metrics: (await sim.run({ steps: 15 })).metrics, model };
    } finally {
      sim.dispose();
    }
  };

  it('runs offline on its prior, which reproduces the empty slot; a chat model answers per industry and age band', async () => {
    const prior = await run('prior');
    const none = await run('none');
    for (const name of ['willingness', 'atWork', 'unemploymentRate']) none.metrics[name]!.forEach((v, t) => expect(Math.abs(prior.metrics[name]![t]! - v)).toBeLessThan(1e-5 * Math.abs(v) + 1e-6));
    const asked = await run('model');
    // three weekly decisions, each asked once per (industry, age band) group present x nArch 3
    expect(asked.model!.prompts.length % 9).toBe(0);
    const w = asked.metrics.willingness!;
    expect(w[0]).toBeGreaterThan(0.2);
    expect(w[0]).toBeLessThan(0.9);
  }, 120_000);
});

describe('supplychain/labor against NYC, March-June 2020', () => {
  it('follows the published unemployment rates within 2.5 points at each survey week', async () => {
    const sim = runtime.createSimulation({ model: 'supplychain/labor', population: 'nyc', agents: 20_000, seed: 1 });
    const rate = (await sim.run({ steps: 122 })).metrics.unemploymentRate!;
    sim.dispose();
    for (const o of OBSERVED_UNEMPLOYMENT) expect(Math.abs(rate[o.day]! - o.rate), `${o.month}: model ${rate[o.day]}, observed ${o.rate}`).toBeLessThan(0.025);
  }, 120_000);
});
