import { describe, expect, it } from 'vitest';
import { examplePlugin } from '../examples/plugin.js';
import { createRuntime } from '../runtime.js';
import { tf } from '../tf.js';
import { gradientFixtures } from './models.fixture.js';
import { pathwiseGradients, pathwiseGradientsAsync } from './pathwise.js';
import { rolloutGradients, rolloutGradientsAsync, type RolloutGradientOptions } from './rollout-gradients.js';

const runtime = createRuntime({ plugins: [examplePlugin, gradientFixtures], backend: 'cpu' });

function gradsOf(sim: ReturnType<typeof runtime.createSimulation>, steps: number, checkpointEvery: number, metric = 'newInfections') {
  const names = ['beta', 'gamma'];
  const theta = Object.fromEntries(names.map((n) => [n, tf.scalar(sim.params[n] as number)]));
  const index = Object.keys(runtime.models.get(sim.model).definition.metrics).indexOf(metric);
  const result = rolloutGradients(sim, { steps, params: theta, checkpointEvery, loss: () => (_t, m) => m[index] });
  const out = { value: result.value, beta: result.grads.beta!.dataSync()[0]!, gamma: result.grads.gamma!.dataSync()[0]!, metrics: result.metrics };
  tf.dispose([...Object.values(theta), ...Object.values(result.grads)]);
  return out;
}

describe('rolloutGradients (checkpointed reverse pass)', () => {
  it('gives the same loss and gradients for every checkpoint interval, and the same as the plain tape', async () => {
    const sim = runtime.createSimulation({ model: 'example/network-sir', population: 'random-graph', agents: 3000, seed: 4, params: { seedFraction: 0.01 } });
    await sim.ready();
    const steps = 24;
    const reference = gradsOf(sim, steps, 1);
    expect(reference.beta).toBeGreaterThan(0);
    for (const k of [5, 24]) {
      const other = gradsOf(sim, steps, k);
      expect(other.value).toBe(reference.value);
      expect(other.beta).toBeCloseTo(reference.beta, 1);
      expect(Math.abs(other.gamma - reference.gamma) / Math.abs(reference.gamma)).toBeLessThan(1e-4);
    }
    // the plain tape over a whole trace: no checkpoints at all
    const vars = sim.variables();
    const { value, grads } = tf.variableGrads(() => tf.sum(sim.trace(steps).newInfections!) as tf.Scalar, [vars.beta!, vars.gamma!]);
    expect(value.dataSync()[0]).toBe(reference.value);
    expect(Math.abs(grads[vars.beta!.name]!.dataSync()[0]! - reference.beta) / reference.beta).toBeLessThan(1e-4);
    tf.dispose([value, ...Object.values(grads)]);
    sim.dispose();
  });

  it('matches central finite differences on a smooth model', async () => {
    const sim = runtime.createSimulation({ model: 'mean-field-sir', population: 'random-graph', agents: 2000, seed: 3 });
    await sim.ready();
    const at = (beta: number) => {
      sim.setParams({ beta });
      return gradsOf(sim, 30, 6, 'I').value;
    };
    const h = 1e-3;
    const fd = (at(0.04 + h) - at(0.04 - h)) / (2 * h);
    sim.setParams({ beta: 0.04 });
    const { beta } = gradsOf(sim, 30, 6, 'I');
    expect(Math.abs(beta - fd) / Math.abs(fd)).toBeLessThan(1e-2);
    sim.dispose();
  });

  it('leaks no tensors', async () => {
    const sim = runtime.createSimulation({ model: 'example/network-sir', population: 'random-graph', agents: 500, seed: 1 });
    await sim.ready();
    gradsOf(sim, 5, 2);
    const before = tf.memory().numTensors;
    gradsOf(sim, 9, 4);
    expect(tf.memory().numTensors).toBe(before);
    sim.dispose();
  });

  it('keeps a 60-step gradient at 100,000 agents under 2 GB of RSS (checkpoints every 8 steps)', async () => {
    const sim = runtime.createSimulation({ model: 'example/network-sir', population: 'random-graph', agents: 100_000, seed: 2 });
    await sim.ready();
    const { beta, metrics } = gradsOf(sim, 60, 8);
    expect(metrics.newInfections).toHaveLength(60);
    expect(Number.isFinite(beta)).toBe(true);
    const rssMb = process.memoryUsage().rss / 2 ** 20;
    expect(rssMb).toBeLessThan(2048);
    sim.dispose();
  });

  it('asynchronously: the same loss and gradients, turns for the event loop between the backward segments, and a signal that stops it with nothing kept', async () => {
    const sim = runtime.createSimulation({ model: 'example/network-sir', population: 'random-graph', agents: 20_000, seed: 5, params: { seedFraction: 0.01 } });
    await sim.ready();
    const index = Object.keys(runtime.models.get(sim.model).definition.metrics).indexOf('newInfections');
    const theta = { beta: tf.scalar(sim.params.beta as number), gamma: tf.scalar(sim.params.gamma as number) };
    const options = (extra: Partial<RolloutGradientOptions> = {}): RolloutGradientOptions => ({ steps: 24, params: theta, checkpointEvery: 3, loss: () => (_t, m) => m[index], ...extra });
    const read = (r: { value: number; grads: Record<string, tf.Tensor> }) => {
      const out = { value: r.value, beta: r.grads.beta!.dataSync()[0]!, gamma: r.grads.gamma!.dataSync()[0]! };
      tf.dispose(Object.values(r.grads));
      return out;
    };
    const sync = read(rolloutGradients(sim, options()));
    expect(sync.beta).toBeGreaterThan(0);
    // timers that fire during the backward segments: the loss is built once the forward run is over
    let ticks = 0;
    let atBackward = -1;
    const timer = setInterval(() => (ticks += 1), 1);
    const asynchronous = read(await rolloutGradientsAsync(sim, options({ loss: () => ((atBackward = ticks), (_t, m) => m[index]) })).finally(() => clearInterval(timer)));
    expect(asynchronous).toEqual(sync);
    expect(ticks - atBackward).toBeGreaterThanOrEqual(3);
    expect(read(await pathwiseGradientsAsync(sim, options()))).toEqual(read(pathwiseGradients(sim, options())));
    // aborted once the forward run is over: stopped between two backward segments, no tensors kept
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const stopped = rolloutGradientsAsync(sim, options({ signal: controller.signal, loss: () => (controller.abort(new Error('enough')), (_t, m) => m[index]) }));
    await expect(stopped).rejects.toMatchObject({ code: 'aborted', message: expect.stringMatching(/aborted before the reverse pass was complete/) });
    expect(tf.memory().numTensors).toBe(before);
    // the synchronous driver honours it between steps too
    expect(() => rolloutGradients(sim, options({ signal: AbortSignal.abort() }))).toThrow(/aborted before the reverse pass was complete/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(theta));
    sim.dispose();
  });
});
