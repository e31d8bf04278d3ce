/**
 * Host reads on webgpu: a model whose substep reads an environment entry and a
 * time-varying parameter as numbers (dataSync) runs on webgpu with cpu's
 * results, and its gradients through the asynchronous rollout (whose tape
 * re-runs replay the host copies) are cpu's; an agent array is never copied,
 * so reading one synchronously stays a clear error. Skips where Dawn finds no
 * adapter, unless POPULACE_REQUIRE_WEBGPU=1 (CI).
 */
import { describe, expect, it } from 'vitest';
import { REQUIRE_WEBGPU, on, webgpuUnavailable } from './kernels/webgpu/webgpu.fixture.js';
import { defineModel } from './model.js';
import { definePlugin } from './plugin.js';
import { rolloutGradientsAsync } from './gradients/rollout-gradients.js';
import { createRuntime } from './runtime.js';
import { defineSubstep } from './substep.js';
import { tf } from './tf.js';

const reason = await webgpuUnavailable();
if (reason !== null && !REQUIRE_WEBGPU) console.warn(`host-reads tests skipped: ${reason}`);
const suite = reason === null || REQUIRE_WEBGPU ? describe : describe.skip;

const X = 'agents/cells/x';
const LEVEL = 'env/level';

/** x <- x * (1 + rate_t) + level, where both numbers are read on the host; level <- mean(x). */
const grow = (readAgents: boolean) =>
  defineSubstep({
    name: 'grow',
    reads: [X, LEVEL],
    writes: [X, LEVEL],
    transition: (ctx) => {
      const level = ctx.get(LEVEL).dataSync()[0]!;
      const rate = ctx.param('rate');
      const r = rate.dataSync()[0]!;
      if (readAgents) ctx.get(X).dataSync();
      // the numbers steer a branch and a coefficient; the tensor keeps the gradient in rate
      const x = r > 0.15 ? tf.add(tf.mul(ctx.get(X), tf.add(1, rate)), level) : tf.add(tf.mul(ctx.get(X), tf.add(1, rate)), 2 * level);
      return { [X]: x, [LEVEL]: tf.mean(x) };
    },
  });

const model = (readAgents: boolean) =>
  defineModel({
    id: readAgents ? 'grow-agents' : 'grow',
    description: 'growth steered by numbers read inside the step',
    state: {
      agents: { cells: { properties: { x: { dtype: 'float32', init: ({ count }) => Float32Array.from({ length: count }, (_, i) => i / count), description: 'size' } } } },
      environment: { level: { dtype: 'float32', init: 0.5, description: 'mean size' } },
    },
    parameters: { rate: { default: [0.1, 0.2, 0.05, 0.3], period: 2, bounds: [0, 1], learnable: true, description: 'growth per step' } },
    substeps: [grow(readAgents)],
    metrics: { total: { description: 'total size', reads: [X], compute: (ctx) => tf.sum(ctx.get(X)) } },
    defaultAgents: 1000,
  });

const plugin = definePlugin({ name: 'hosttest', version: '1.0.0', models: [model(false), model(true)] });

async function outcome(backend: 'cpu' | 'webgpu') {
  return on(backend, async () => {
    const runtime = createRuntime({ plugins: [plugin], backend });
    const sim = runtime.createSimulation({ model: 'hosttest/grow', agents: 1000, seed: 1 });
    await sim.ready();
    await sim.run({ steps: 8 });
    const series = sim.metrics()['total']!;
    const rate = tf.tensor1d([0.1, 0.2, 0.05, 0.3]);
    const g = await rolloutGradientsAsync(sim, { steps: 8, params: { rate }, checkpointEvery: 3, loss: () => (_t, [total]) => total });
    const grad = Array.from(await g.grads['rate']!.data());
    tf.dispose([rate, ...Object.values(g.grads)]);
    sim.dispose();
    return { series, value: g.value, grad };
  });
}

suite('host reads on webgpu', () => {
  it('a substep reading an environment entry and a time-varying parameter as numbers: cpu results, forward and gradients', async () => {
    const cpu = await outcome('cpu');
    const gpu = await outcome('webgpu');
    expect(gpu.series).toHaveLength(8);
    gpu.series.forEach((v, i) => expect(Math.abs(v - cpu.series[i]!)).toBeLessThanOrEqual(1e-5 * Math.abs(cpu.series[i]!)));
    expect(Math.abs(gpu.value - cpu.value)).toBeLessThanOrEqual(1e-5 * Math.abs(cpu.value));
    // every period's rate matters (the level feeds the later steps)
    expect(cpu.grad.every((v) => v > 0)).toBe(true);
    gpu.grad.forEach((v, i) => expect(Math.abs(v - cpu.grad[i]!)).toBeLessThanOrEqual(1e-4 * Math.abs(cpu.grad[i]!)));
  });

  it('an agent array is not copied: reading one synchronously on webgpu is the clear error', async () => {
    await on('webgpu', async () => {
      const sim = createRuntime({ plugins: [plugin], backend: 'webgpu' }).createSimulation({ model: 'hosttest/grow-agents', agents: 5000, seed: 1 });
      await sim.ready();
      await expect(sim.run({ steps: 2 })).rejects.toThrow(/synchronous read of a tensor on the GPU/);
      sim.dispose();
    });
  });
});
