import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { examplePlugin } from '../../examples/plugin.js';
import { createRuntime } from '../../runtime.js';
import { tf } from '../../tf.js';
import { gatherReduce } from './gather-reduce.js';
import { hashedContactsCsr, hashedGather } from './hashed-gather.js';
import { gatherReduceTuning } from '../cpu/gather-reduce-graphs.js';
import { registerPopulaceKernels } from '../register-kernels.js';
import { kernelPoolStats, setKernelThreads, shutdownKernelThreads } from '../pool/worker-pool.js';

tf.env().set('PROD', true);
const arr = (t: tf.Tensor) => Array.from(t.dataSync());

describe.each(['cpu', 'wasm'] as const)('hashed contacts on %s', (backend) => {
  it('equal message passing over the stored CSR of the same hash, values and gradients', async () => {
    await tf.setBackend(backend);
    registerPopulaceKernels(backend);
    const n = 3000;
    const graph = { kind: 'hashed' as const, degree: 7, key: 12345 };
    const csr = hashedContactsCsr(n, graph.degree, graph.key);
    const stored = { rowPtr: tf.tensor1d(csr.rowPtr, 'int32'), colIdx: tf.tensor1d(csr.colIdx, 'int32') };
    const v = tf.randomUniform([n], 0, 1, 'float32', 1);
    expect(arr(hashedGather(v, graph))).toEqual(arr(gatherReduce(v, stored)));
    const dy = tf.randomNormal([n], 0, 1, 'float32', 2);
    const g1 = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(hashedGather(x, graph), dy)))(v);
    const g2 = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(gatherReduce(x, stored), dy)))(v);
    arr(g1).forEach((value, i) => expect(value).toBeCloseTo(arr(g2)[i]!, 4));
    expect(() => hashedGather(tf.zeros([3], 'int32'), graph)).toThrow(/float32 values/);
    expect(() => hashedGather(v, { ...graph, degree: -1 })).toThrow(/degree/);
  });
});

describe('hashed contacts on the worker pool', () => {
  it('give the stored graph\'s bits on 1 and 2 threads, for float and bit-packed 0/1 values', async () => {
    await tf.setBackend('cpu');
    registerPopulaceKernels('cpu');
    const n = 40_000;
    const graph = { kind: 'hashed' as const, degree: 6, key: 777 };
    expect(n * graph.degree).toBeGreaterThanOrEqual(gatherReduceTuning.minEdges);
    const csr = hashedContactsCsr(n, graph.degree, graph.key);
    const stored = { rowPtr: tf.tensor1d(csr.rowPtr, 'int32'), colIdx: tf.tensor1d(csr.colIdx, 'int32') };
    const floats = tf.randomUniform([n], 0, 1, 'float32', 3);
    const binary = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([n], 0, 1, 'float32', 4), 0.2), 'float32'));
    try {
      const expected = [arr(gatherReduce(floats, stored)), arr(gatherReduce(binary, stored))];
      for (const threads of [1, 2]) {
        setKernelThreads(threads);
        const runs = kernelPoolStats().parallelRuns;
        expect(arr(hashedGather(floats, graph)), `${threads} threads, floats`).toEqual(expected[0]);
        expect(arr(hashedGather(binary, graph)), `${threads} threads, 0/1`).toEqual(expected[1]);
        if (threads === 2) expect(kernelPoolStats().parallelRuns).toBeGreaterThan(runs);
      }
    } finally {
      setKernelThreads(undefined);
      await shutdownKernelThreads();
      tf.dispose([floats, binary, stored.rowPtr, stored.colIdx]);
    }
  });
});

describe('example/hashed-random-graph', () => {
  it('runs network-sir exactly like the stored random graph of the same seed', async () => {
    const rt = createRuntime({ plugins: [examplePlugin], backend: 'cpu' });
    const run = async (population: 'random-graph' | 'hashed-random-graph') => {
      const sim = rt.createSimulation({ model: 'network-sir', population, agents: 4000, seed: 9, params: { seedFraction: 0.01 } });
      const { metrics } = await sim.run({ steps: 12 });
      sim.dispose();
      return metrics;
    };
    expect(await run('hashed-random-graph')).toEqual(await run('random-graph'));
  });
});
