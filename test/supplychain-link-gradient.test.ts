/**
 * The gradient of an egg price with respect to H5N1 parameters, through the link of the composed
 * epi/h5n1 + supplychain/eggs model, checked by the chain rule against independent pieces:
 * d price / d culls on day t by central finite differences of supplychain/eggs alone (it is
 * deterministic given its input), and d culls / d parameter from epi/h5n1 alone. The composed
 * reverse pass must equal sum_t (d price / d culls_t) x (d culls_t / d parameter).
 * Needs the builds of core, models-epi and models-supplychain.
 */
import { createRuntime, rolloutGradients, tf, type Simulation } from '@populace/core';
import epi from '@populace/models-epi';
import supplychain from '@populace/models-supplychain';
import { describe, expect, it } from 'vitest';

const STEPS = 40;
const SEED = 2;
const H5N1 = { startDay: 60, seedFarms: 6, farmToFarmRate: 0.05, detectionDelay: 4 };
const PARAMS = ['farmToFarmRate', 'wildBirdRate'] as const;

describe('gradients across the h5n1 -> eggs link', () => {
  it('equal the chain rule of eggs finite differences and h5n1 gradients', async () => {
    const runtime = createRuntime({ plugins: [epi, supplychain], backend: 'cpu' });
    const composition = runtime.compose({ models: ['epi/h5n1', 'supplychain/eggs'], links: ['epi/h5n1.birdsCulled=supplychain/eggs.layersLost'], populations: { 'epi/h5n1': 'epi/us-layer-farms' }, agents: { 'epi/h5n1': 60 } });
    const both = composition.createSimulation({ seed: SEED, params: Object.fromEntries(Object.entries(H5N1).map(([k, v]) => [`h5n1.${k}`, v])) });
    await both.ready();
    const retailIndex = Object.keys(composition.definition.metrics).indexOf('eggs.retailPrice');
    const composed = rolloutGradients(both, {
      steps: STEPS,
      params: Object.fromEntries(PARAMS.map((p) => [`h5n1.${p}`, tf.scalar(both.params[`h5n1.${p}`] as number)])),
      loss: () => (_t, metrics) => metrics[retailIndex],
    });
    const culls = composed.metrics['h5n1.birdsCulled']!;
    expect(culls.filter((c) => c > 0).length).toBeGreaterThan(2);

    // d (sum of retail prices) / d culls on day t, by central differences of eggs alone
    const total = async (input: number[]): Promise<number> => {
      const sim = runtime.createSimulation({ model: 'supplychain/eggs', seed: SEED, inputs: { layersLost: input } });
      const r = (await sim.run({ steps: STEPS })).metrics.retailPrice!;
      sim.dispose();
      return r.reduce((a, b) => a + b, 0);
    };
    expect(await total(culls)).toBeCloseTo(composed.value, 3);
    const h = 2e5;
    const weights: number[] = [];
    for (let t = 0; t < STEPS; t++) {
      const up = [...culls];
      const down = [...culls];
      up[t]! += h;
      down[t]! -= h;
      weights.push(((await total(up)) - (await total(down))) / (2 * h));
    }
    expect(weights[0]).toBeGreaterThan(0);

    // d (sum_t w_t culls_t) / d parameter from h5n1 alone
    const h5n1: Simulation = runtime.createSimulation({ model: 'epi/h5n1', population: 'epi/us-layer-farms', agents: 60, seed: SEED, params: H5N1 });
    await h5n1.ready();
    const culledIndex = Object.keys(runtime.describeModel('epi/h5n1').metrics).indexOf('birdsCulled');
    const alone = rolloutGradients(h5n1, {
      steps: STEPS,
      params: Object.fromEntries(PARAMS.map((p) => [p, tf.scalar(h5n1.params[p] as number)])),
      loss: () => (t, metrics) => tf.mul(weights[t]!, metrics[culledIndex]!) as tf.Scalar,
    });
    expect(alone.metrics.birdsCulled).toEqual(culls);
    for (const p of PARAMS) {
      const viaLink = composed.grads[`h5n1.${p}`]!.dataSync()[0]!;
      const chain = alone.grads[p]!.dataSync()[0]!;
      expect(chain, p).not.toBe(0);
      expect(Math.abs(viaLink - chain) / Math.abs(chain), `${p}: composed ${viaLink}, chain rule ${chain}`).toBeLessThan(0.02);
    }
    tf.dispose([...Object.values(composed.grads), ...Object.values(alone.grads)]);
    both.dispose();
    h5n1.dispose();
  }, 240_000);
});
