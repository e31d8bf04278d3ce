/**
 * A whole network-SIR run (example/network-sir over example/random-graph)
 * with the native cpu kernels, then with the portable set swapped in on cpu:
 * the same seed gives the same compartment counts every step, and the
 * rollout gradients agree within float32 rounding.
 */
import { describe, expect, it } from 'vitest';
import { examplePlugin } from '../../examples/plugin.js';
import { rolloutGradients } from '../../gradients/rollout-gradients.js';
import { createRuntime } from '../../runtime.js';
import { tf } from '../../tf.js';
import { kernelSetFor, registerKernelSet } from '../register-kernels.js';
import { PORTABLE_KERNELS } from './index.js';

const runtime = createRuntime({ plugins: [examplePlugin], backend: 'cpu' });

async function sirRun(): Promise<{ metrics: Record<string, number[]>; kernels: string[]; beta: number; gamma: number }> {
  const sim = runtime.createSimulation({ model: 'network-sir', population: 'random-graph', agents: 4000, seed: 7, params: { seedFraction: 0.01 } });
  try {
    let metrics: Record<string, number[]> = {};
    const profile = await tf.profile(async () => {
      metrics = (await sim.run({ steps: 25 })).metrics as Record<string, number[]>;
      return [];
    });
    await sim.reset();
    const theta = { beta: tf.scalar(sim.params.beta as number), gamma: tf.scalar(sim.params.gamma as number) };
    const index = Object.keys(runtime.models.get(sim.model).definition.metrics).indexOf('newInfections');
    const result = rolloutGradients(sim, { steps: 15, params: theta, loss: () => (_t, m) => m[index]! });
    const out = { metrics, kernels: profile.kernelNames, beta: result.grads.beta!.dataSync()[0]!, gamma: result.grads.gamma!.dataSync()[0]! };
    tf.dispose([...Object.values(theta), ...Object.values(result.grads)]);
    return out;
  } finally {
    sim.dispose();
  }
}

describe('network SIR on the portable kernels', () => {
  it('gives the native cpu run\'s metrics for the same seed, and its gradients', async () => {
    const native = await sirRun();
    expect(kernelSetFor('cpu').kind).toBe('native');
    registerKernelSet('cpu', PORTABLE_KERNELS, { replace: true });
    const portable = await sirRun();
    // the portable draws hash on the backend: their integer ops show in the profile
    expect(portable.kernels).toContain('FloorDiv');
    expect(native.kernels).not.toContain('FloorDiv');
    expect(native.metrics.I!.some((v) => v > 40)).toBe(true);
    expect(portable.metrics).toEqual(native.metrics);
    expect(native.beta).not.toBe(0);
    // float32 sums in another order: relative agreement
    expect(Math.abs(portable.beta - native.beta) / Math.abs(native.beta)).toBeLessThan(1e-5);
    expect(Math.abs(portable.gamma - native.gamma) / Math.max(1, Math.abs(native.gamma))).toBeLessThan(1e-5);
  });
});
