/**
 * Whole models on webgpu with every network and agent array that Populace's
 * message-passing kernels bind split into blocks: POPULACE_WEBGPU_BLOCK_BYTES
 * lowers the block to 64 KiB (16,384 float32), read when this file's webgpu
 * backend comes up, so 100,000 agents span 7 blocks and their contact
 * networks dozens. The same seed gives cpu's compartment counts every day,
 * and the reverse pass cpu's loss and gradients (float32 tolerance).
 * Skips with the reason where Dawn finds no adapter, unless
 * POPULACE_REQUIRE_WEBGPU=1 (CI), where that fails.
 * Needs the builds of @populace/core, @populace/models-epi and @populace/populations.
 */
process.env['POPULACE_WEBGPU_BLOCK_BYTES'] = String(64 * 1024);

import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime, rolloutGradientsAsync, tf, type Runtime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import epi from '@populace/models-epi';
import populations from '@populace/populations';

const REQUIRE = process.env['POPULACE_REQUIRE_WEBGPU'] === '1';
const runtime = (backend: 'cpu' | 'webgpu'): Runtime => createRuntime({ plugins: [examplePlugin, populations, epi], backend });

let reason: string | null = null;
try {
  await runtime('webgpu').ready();
} catch (error) {
  reason = (error as Error).message;
}
if (reason !== null && !REQUIRE) console.warn(`webgpu block tests skipped: ${reason}`);
const suite = reason === null || REQUIRE ? describe : describe.skip;

afterAll(async () => {
  await tf.setBackend('cpu');
});

async function metrics(backend: 'cpu' | 'webgpu', model: string, population: string, agents: number, steps: number): Promise<Record<string, number[]>> {
  const sim = runtime(backend).createSimulation({ model, population, agents, seed: 1 });
  await sim.ready();
  await sim.run({ steps });
  const out = sim.metrics();
  sim.dispose();
  return out;
}

suite('models on webgpu with arrays in 64 KiB blocks, against cpu', () => {
  it('has an adapter (required in CI)', () => {
    expect(reason).toBeNull();
  });

  it('epi/seir on a 100,000-agent contact network: the same compartment counts every day', async () => {
    const cpu = await metrics('cpu', 'epi/seir', 'synthetic', 100_000, 12);
    const gpu = await metrics('webgpu', 'epi/seir', 'synthetic', 100_000, 12);
    expect(cpu['I']!.some((v) => v > 0)).toBe(true);
    expect(gpu).toEqual(cpu);
  });

  it('network SIR over 100,000 hashed contacts: the same counts every day', async () => {
    const cpu = await metrics('cpu', 'example/network-sir', 'hashed-random-graph', 100_000, 12);
    const gpu = await metrics('webgpu', 'example/network-sir', 'hashed-random-graph', 100_000, 12);
    expect(cpu['newInfections']!.some((v) => v > 0)).toBe(true);
    expect(gpu).toEqual(cpu);
  });

  it('network SIR on a stored 100,000-agent graph: the same trajectory, and cpu loss and gradients in reverse', async () => {
    const grads = async (backend: 'cpu' | 'webgpu') => {
      const r = runtime(backend);
      const sim = r.createSimulation({ model: 'example/network-sir', population: 'random-graph', agents: 100_000, seed: 2, params: { seedFraction: 0.01 } });
      await sim.ready();
      const index = Object.keys(r.models.get(sim.model).definition.metrics).indexOf('newInfections');
      const params = { beta: tf.scalar(sim.params['beta'] as number), gamma: tf.scalar(sim.params['gamma'] as number) };
      const result = await rolloutGradientsAsync(sim, { steps: 8, params, checkpointEvery: 4, loss: () => (_t: number, m: readonly tf.Scalar[]) => m[index] });
      const out = { value: result.value, metrics: result.metrics, beta: (await result.grads['beta']!.data())[0]!, gamma: (await result.grads['gamma']!.data())[0]! };
      tf.dispose([...Object.values(params), ...Object.values(result.grads)]);
      sim.dispose();
      return out;
    };
    const cpu = await grads('cpu');
    const gpu = await grads('webgpu');
    expect(cpu.beta).toBeGreaterThan(0);
    expect(gpu.metrics).toEqual(cpu.metrics);
    expect(gpu.value).toBe(cpu.value);
    expect(Math.abs(gpu.beta - cpu.beta) / Math.abs(cpu.beta)).toBeLessThan(1e-3);
    expect(Math.abs(gpu.gamma - cpu.gamma) / Math.abs(cpu.gamma)).toBeLessThan(1e-3);
  });
});
