/**
 * Contact layers: mean weighted degrees and the network pressure
 * sum_l (scale * w_l / D) * sum_{c in N_l(i)} a_ic * x_c against a hand computation.
 */
import { createRuntime, defineModel, definePlugin, definePopulation, defineSubstep, tf } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { LAYER_DEGREES, LAYER_PATHS, layerDegreesSpec, layerNetworks, layerWeightParams, meanDegree, networkPressure, presentLayers } from './layers.js';

// 4 people; household: 0-1 (weight 2), 2-3 (weight 1); work: 0-2, 1-3 (unweighted); community: hashed, degree 3
const tiny = definePopulation({
  id: 'tiny',
  description: 'four people on a weighted household layer, an unweighted work layer and hashed community contacts',
  defaultAgents: 4,
  networks: ['household', 'work', 'community'],
  build: () => ({
    agents: { people: { count: 4 } },
    networks: {
      household: { agents: 'people', rowPtr: Int32Array.from([0, 1, 2, 3, 4]), colIdx: Int32Array.from([1, 0, 3, 2]), weights: Float32Array.from([2, 2, 1, 1]) },
      work: { agents: 'people', rowPtr: Int32Array.from([0, 1, 2, 3, 4]), colIdx: Int32Array.from([2, 3, 0, 1]) },
      community: { kind: 'hashed', agents: 'people', degree: 3, key: 7 },
    },
  }),
});

const X = 'agents/people/x';
const probe = defineModel({
  id: 'probe',
  description: 'writes the network pressure of x (x = [1, 0, 0, 1]) with scale 2',
  state: {
    agents: { people: { properties: { x: { dtype: 'float32', init: (ctx) => Float32Array.from({ length: ctx.count }, (_, i) => (i === 0 || i === 3 ? 1 : 0)) }, pressure: { dtype: 'float32', init: 0 } } } },
    environment: { layerDegrees: layerDegreesSpec },
    networks: layerNetworks(),
  },
  parameters: layerWeightParams({ household: 3, school: 1, work: 0.5, community: 0, contacts: 1 }, 'test'),
  substeps: [defineSubstep({ name: 'probe', reads: [X, LAYER_DEGREES, ...LAYER_PATHS], writes: ['agents/people/pressure'], transition: (ctx) => ({ 'agents/people/pressure': networkPressure(ctx, presentLayers(ctx), () => ctx.get(X), tf.scalar(2)) }) })],
  metrics: {},
});

const runtime = createRuntime({ plugins: [definePlugin({ name: 'layers', version: '1.0.0', models: [probe], populations: [tiny] })], backend: 'cpu' });

describe('contact layers', () => {
  it('mean weighted in-degree of CSR (weighted or not), hashed and absent layers', async () => {
    const data = await tiny.build({ seed: 1 });
    expect(meanDegree(data, 'household')).toBe(1.5);
    expect(meanDegree(data, 'work')).toBe(1);
    expect(meanDegree(data, 'community')).toBe(3);
    expect(meanDegree(data, 'school')).toBe(0);
    expect(meanDegree(undefined, 'household')).toBe(0);
  });

  it('network pressure: each contact counts scale * w_l * a / D, D = sum_l w_l d_l over the present layers', async () => {
    const sim = runtime.createSimulation({ model: 'probe', population: 'tiny', seed: 1 });
    await sim.step();
    const degrees = sim.state(LAYER_DEGREES);
    expect(Array.from(degrees.dataSync())).toEqual([1.5, 0, 1, 3, 0]);
    const pressure = sim.state('agents/people/pressure');
    // community weight 0: D = 3 * 1.5 + 0.5 * 1 = 5; x = [1, 0, 0, 1]
    // i=0: household from 1 (x=0), work from 2 (x=0) -> 0; i=1: household from 0: 3*2*1 = 6, work from 3: 0.5*1 = 0.5
    // i=2: household from 3: 3*1*1 = 3, work from 0: 0.5; i=3: household from 2 (0), work from 1 (0)
    const expected = [0, 6.5, 3.5, 0].map((v) => (2 * v) / 5);
    Array.from(pressure.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    tf.dispose([degrees, pressure]);
    sim.dispose();
  });
});
