/**
 * Whole models on the webgpu backend (WGSL kernels; Mesa's llvmpipe where
 * there is no GPU) against cpu with the same seed: a network SEIR of 100,000
 * agents gives the same compartment counts every day, and the checkpointed
 * reverse pass the same loss and gradients (within float32 tolerance).
 * epi/covid, whose substeps read parameters and environment entries as
 * numbers (host copies made before each substep, replayed on the tape), gives
 * cpu's run, sensitivities and calibration.
 * Skips with the reason where Dawn finds no adapter, unless
 * POPULACE_REQUIRE_WEBGPU=1 (CI), where that fails.
 * Needs the builds of @populace/core, @populace/models-epi and @populace/populations.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { calibrate, createRuntime, rolloutGradients, rolloutGradientsAsync, sensitivity, tf, type Runtime } from '@populace/core';
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
if (reason !== null && !REQUIRE) console.warn(`webgpu model tests skipped: ${reason}`);
const suite = reason === null || REQUIRE ? describe : describe.skip;

afterAll(async () => {
  await tf.setBackend('cpu');
});

async function metrics(backend: 'cpu' | 'webgpu', model: string, population: string, agents: number, steps: number): Promise<Record<string, number[]>> {
  const sim = runtime(backend).createSimulation({ model, population, agents, seed: 1 });
  await sim.ready();
  await sim.run({ steps });
  expect(tf.getBackend()).toBe(backend);
  const out = sim.metrics();
  sim.dispose();
  return out;
}

suite('models on webgpu against cpu', () => {
  it('has an adapter (required in CI)', () => {
    expect(reason).toBeNull();
  });

  it('epi/seir on a 100,000-agent contact network: the same compartment counts every day for the same seed', async () => {
    const cpu = await metrics('cpu', 'epi/seir', 'synthetic', 100_000, 20);
    const gpu = await metrics('webgpu', 'epi/seir', 'synthetic', 100_000, 20);
    expect(cpu['I']!.some((v) => v > 0)).toBe(true);
    expect(gpu).toEqual(cpu);
  });

  it('network SIR: the same trajectory, and rolloutGradientsAsync gives the cpu loss and gradients', async () => {
    const steps = 16;
    const grads = async (backend: 'cpu' | 'webgpu', asynchronous: boolean) => {
      const r = runtime(backend);
      const sim = r.createSimulation({ model: 'example/network-sir', population: 'random-graph', agents: 20_000, seed: 2, params: { seedFraction: 0.01 } });
      await sim.ready();
      const index = Object.keys(r.models.get(sim.model).definition.metrics).indexOf('newInfections');
      const params = { beta: tf.scalar(sim.params['beta'] as number), gamma: tf.scalar(sim.params['gamma'] as number) };
      const options = { steps, params, checkpointEvery: 4, loss: () => (_t: number, m: readonly tf.Scalar[]) => m[index] };
      const result = asynchronous ? await rolloutGradientsAsync(sim, options) : rolloutGradients(sim, options);
      const out = { value: result.value, metrics: result.metrics, beta: (await result.grads['beta']!.data())[0]!, gamma: (await result.grads['gamma']!.data())[0]! };
      tf.dispose([...Object.values(params), ...Object.values(result.grads)]);
      sim.dispose();
      return out;
    };
    const cpu = await grads('cpu', false);
    const cpuAsync = await grads('cpu', true);
    const gpu = await grads('webgpu', true);
    expect(cpuAsync).toEqual(cpu);
    expect(cpu.beta).toBeGreaterThan(0);
    expect(gpu.metrics).toEqual(cpu.metrics);
    expect(gpu.value).toBe(cpu.value);
    expect(Math.abs(gpu.beta - cpu.beta) / Math.abs(cpu.beta)).toBeLessThan(1e-3);
    expect(Math.abs(gpu.gamma - cpu.gamma) / Math.abs(cpu.gamma)).toBeLessThan(1e-3);
  });

  it('the synchronous rolloutGradients on webgpu is a clear error that names the asynchronous one', async () => {
    const sim = runtime('webgpu').createSimulation({ model: 'example/network-sir', population: 'random-graph', agents: 1000, seed: 1 });
    await sim.ready();
    expect(() => rolloutGradients(sim, { steps: 2, params: {}, loss: () => () => undefined })).toThrow(/rolloutGradientsAsync/);
    sim.dispose();
  });

  it('epi/covid (numbers read inside its substeps): the same run, and sensitivity and calibrate within float32 tolerance', async () => {
    const steps = 6;
    const one = async (backend: 'cpu' | 'webgpu') => {
      const run = await metrics(backend, 'epi/covid', 'synthetic', 3000, 10);
      const sim = runtime(backend).createSimulation({ model: 'epi/covid', population: 'synthetic', agents: 1500, seed: 1 });
      await sim.ready();
      const sens = await sensitivity(sim, { output: 'newInfections:sum', steps, estimator: 'straight-through', params: ['R', 'infectiousDays', 'householdWeight'] });
      const fit = await calibrate(sim, { observed: { newInfections: [5, 6, 7, 8, 9, 10] }, params: ['infectiousDays'], epochs: 2 });
      expect(tf.getBackend()).toBe(backend);
      sim.dispose();
      return { run, sens, fit };
    };
    const cpu = await one('cpu');
    const gpu = await one('webgpu');
    expect(cpu.run['newInfections']!.some((v) => v > 0)).toBe(true);
    // the counts are the same; workInfections (each infection weighted by the work share of its hazard) within float32 rounding
    const { workInfections: gpuWork, ...gpuCounts } = gpu.run;
    const { workInfections: cpuWork, ...cpuCounts } = cpu.run;
    expect(gpuCounts).toEqual(cpuCounts);
    gpuWork!.forEach((v, t) => expect(Math.abs(v - cpuWork![t]!), `workInfections day ${t}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(cpuWork![t]!))));
    expect(gpu.sens.output).toEqual(cpu.sens.output);
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(b)));
    expect(cpu.sens.entries.some((e) => e.gradient !== 0)).toBe(true);
    for (const e of gpu.sens.entries) close(e.gradient, cpu.sens.entries.find((c) => c.param === e.param && c.index === e.index)!.gradient);
    gpu.fit.history.forEach((l, i) => close(l, cpu.fit.history[i]!));
    close(gpu.fit.params['infectiousDays'] as number, cpu.fit.params['infectiousDays'] as number);
  });
});
