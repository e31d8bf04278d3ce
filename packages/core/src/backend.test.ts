import { describe, expect, it } from 'vitest';
import { detectBackends, initBackend } from './backend.js';
import { examplePlugin } from './examples/plugin.js';
import { PopulaceError } from './errors.js';
import { createRuntime } from './runtime.js';
import { tf } from './tf.js';

describe('backends', () => {
  it('detects what is installed without loading it', () => {
    const found = detectBackends();
    expect(found.map((b) => b.name)).toEqual(['tensorflow', 'wasm', 'cpu', 'webgpu']);
    expect(found.find((b) => b.name === 'cpu')!.installed).toBe(true);
    expect(found.find((b) => b.name === 'wasm')!.installed).toBe(true);
  });

  it("'auto' picks the fastest present and says why", async () => {
    const info = await createRuntime({ plugins: [] }).ready();
    const native = detectBackends()[0]!.installed;
    expect(info.requested).toBe('auto');
    expect(info.name).toBe(native ? 'tensorflow' : 'cpu');
    expect(info.reason.length).toBeGreaterThan(10);
    expect(tf.getBackend()).toBe(info.name);
  });

  // Where the native backend is installed there is nothing to refuse.
  it.runIf(!detectBackends()[0]!.installed)("'tensorflow' without tfjs-node installed is a clear error with the fix", async () => {
    const error = await initBackend('tensorflow').catch((e: unknown) => e);
    expect(PopulaceError.isInstance(error)).toBe(true);
    expect((error as PopulaceError).code).toBe('backend-unavailable');
    expect((error as PopulaceError).message).toMatch(/npm install @tensorflow\/tfjs-node.*the cpu backend/);
  });

  it('rejects unknown backend names', async () => {
    await expect(initBackend('gpu' as never)).rejects.toThrow(/expected one of auto, cpu, wasm, tensorflow/);
  });

  it('runs the same model on wasm and on cpu with the same outcome', async () => {
    const run = async (backend: 'cpu' | 'wasm') => {
      const rt = createRuntime({ plugins: [examplePlugin], backend });
      const sim = rt.createSimulation({ model: 'network-sir', population: 'random-graph', agents: 2000, seed: 5, params: { beta: 0.1 } });
      const info = await sim.ready();
      const { metrics } = await sim.run({ steps: 10 });
      sim.dispose();
      return { info, metrics };
    };
    const wasm = await run('wasm');
    expect(wasm.info.backend).toMatchObject({ name: 'wasm', package: '@tensorflow/tfjs-backend-wasm' });
    const cpu = await run('cpu');
    expect(cpu.info.backend.name).toBe('cpu');
    for (let t = 0; t < 10; t++) expect(wasm.metrics.S![t]! + wasm.metrics.I![t]! + wasm.metrics.R![t]!).toBe(2000);
    // exp() may round differently in the last bit between backends, which can flip a rare
    // borderline Bernoulli draw; the trajectories must still agree closely.
    const diff = Math.max(...cpu.metrics.I!.map((v, t) => Math.abs(v - wasm.metrics.I![t]!)));
    expect(diff).toBeLessThanOrEqual(3);
  });
});
