/**
 * The covid hazard with isolation against the formula of exposure.ts,
 * computed by hand on a small population, in network and well-mixed mode,
 * with the work layer scaled by the workActivity input (outside the degree
 * normalisation) and its part of the hazard.
 */
import { createRuntime, defineModel, definePlugin, definePopulation, defineSubstep, tf } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { LAYER_DEGREES, LAYER_PATHS, layerDegreesSpec, layerNetworks, layerWeightParams } from '../layers.js';
import { covidHazard } from './exposure.js';

const N = 5;
const house = [[1], [0], [3, 4], [2, 4], [2, 3]]; // symmetric, weight 1
const work = [[2, 3], [3], [0], [0, 1], []]; // weight 0.5
const csr = (lists: number[][], w: number) => ({
  agents: 'people',
  rowPtr: Int32Array.from(lists.reduce<number[]>((acc, l) => [...acc, acc.at(-1)! + l.length], [0])),
  colIdx: Int32Array.from(lists.flat()),
  weights: new Float32Array(lists.flat().length).fill(w),
});
const small = definePopulation({ id: 'small', description: 'five people, household and work layers', defaultAgents: N, networks: ['household', 'work'], build: () => ({ agents: { people: { count: N } }, networks: { household: csr(house, 1), work: csr(work, 0.5) } }) });
const well = definePopulation({ id: 'well', description: 'five people, no layers', defaultAgents: N, build: () => ({ agents: { people: { count: N } } }) });

const inf = [1, 0.33, 0, 1, 0];
const sus = [0.5, 1, 1.5, 1, 0.34];
const iso = [1, 0, 0, 1, 0];
const [fH, fO, beta] = [0.3, 0.1, 0.8];
const workActivity = 0.4;
const fill = (values: number[]) => () => Float32Array.from(values);
const P = (p: string) => `agents/people/${p}` as const;

const probe = defineModel({
  id: 'probe',
  description: 'writes rate * exposure of the covid hazard',
  state: {
    agents: { people: { properties: { inf: { dtype: 'float32', init: fill(inf) }, sus: { dtype: 'float32', init: fill(sus) }, iso: { dtype: 'float32', init: fill(iso) }, hazard: { dtype: 'float32', init: 0 }, workHazard: { dtype: 'float32', init: 0 } } } },
    environment: { layerDegrees: layerDegreesSpec },
    networks: layerNetworks(),
  },
  parameters: layerWeightParams({ household: 3, school: 1, work: 0.6, community: 1, contacts: 1 }, 'test'),
  inputs: { workActivity: { description: 'share of work contacts', default: workActivity } },
  substeps: [defineSubstep({
    name: 'probe', reads: [P('inf'), P('sus'), P('iso'), LAYER_DEGREES, ...LAYER_PATHS], writes: [P('hazard'), P('workHazard')],
    transition: (ctx) => {
      const { rate, exposure, work } = covidHazard(ctx, tf.scalar(beta), ctx.get(P('sus')), ctx.get(P('inf')), { isolated: ctx.get(P('iso')), household: fH, other: fO });
      return { [P('hazard')]: tf.mul(rate, exposure), [P('workHazard')]: work ? tf.mul(rate, work) : tf.fill([N], -1) };
    },
  })],
  metrics: {},
});

const runtime = createRuntime({ plugins: [definePlugin({ name: 'exp', version: '1.0.0', models: [probe], populations: [small, well] })], backend: 'cpu' });

async function hazard(population: 'small' | 'well', path: 'hazard' | 'workHazard' = 'hazard'): Promise<number[]> {
  const sim = runtime.createSimulation({ model: 'probe', population, seed: 1 });
  await sim.step();
  const t = sim.state(P(path));
  const values = Array.from(t.dataSync());
  t.dispose();
  sim.dispose();
  return values;
}

describe('covid hazard with isolation', () => {
  it('network mode: beta s_i sum_l (w_l / D) (1 - (1 - f_l) iso_i) sum_c a_ic inf_c (1 - (1 - f_l) iso_c)', async () => {
    const keep = (f: number, i: number) => 1 - (1 - f) * iso[i]!;
    const d = 3 * (house.flat().length / N) + 0.6 * ((0.5 * work.flat().length) / N);
    const expected = sus.map((s, i) => {
      const h = house[i]!.reduce((acc, c) => acc + 3 * 1 * inf[c]! * keep(fH, c), 0) * keep(fH, i);
      const w = workActivity * work[i]!.reduce((acc, c) => acc + 0.6 * 0.5 * inf[c]! * keep(fO, c), 0) * keep(fO, i);
      return [(beta * s * (h + w)) / d, (beta * s * w) / d] as const;
    });
    (await hazard('small')).forEach((v, i) => expect(v).toBeCloseTo(expected[i]![0], 5));
    (await hazard('small', 'workHazard')).forEach((v, i) => expect(v).toBeCloseTo(expected[i]![1], 5));
    expect(expected.some(([, w]) => w > 1e-3)).toBe(true);
  });

  it('well-mixed: beta s_i (1 - (1 - f) iso_i) sum_c inf_c (1 - (1 - f) iso_c) / N', async () => {
    const sent = inf.reduce((acc, x, c) => acc + x * (1 - (1 - fO) * iso[c]!), 0) / N;
    const expected = sus.map((s, i) => beta * s * (1 - (1 - fO) * iso[i]!) * sent);
    (await hazard('well')).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    // no work layer, no work part
    (await hazard('well', 'workHazard')).forEach((v) => expect(v).toBe(-1));
  });
});
