import { afterAll, afterEach, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../tf.js';
import { registerPopulaceKernels } from '../register-kernels.js';
import { sumAll } from '../ops/sum-all.js';
import { sumAllTuning } from './sum-all.js';
import { kernelPoolStats, setKernelThreads, shutdownKernelThreads } from '../pool/worker-pool.js';

tf.env().set('PROD', true);
const DEFAULT_TUNING = { ...sumAllTuning };

afterEach(() => {
  setKernelThreads(undefined);
  Object.assign(sumAllTuning, DEFAULT_TUNING);
});
afterAll(async () => {
  await shutdownKernelThreads();
});

describe.each(['cpu', 'wasm'] as const)('sumAll (%s)', (backend) => {
  it('equals a float64 sum, exactly for counts, with the same bits on 1, 2 and 3 threads', async () => {
    await tf.setBackend(backend);
    registerPopulaceKernels(backend);
    Object.assign(sumAllTuning, { chunk: 1000, parallelMin: 4000 });
    const n = 12_345;
    const values = tf.randomNormal([n], 0, 1, 'float32', 1);
    const counts = tf.cast(tf.less(tf.randomUniform([n], 0, 1, 'float32', 2), 0.3), 'float32');
    const exact = (t: tf.Tensor) => Array.from(t.dataSync()).reduce((a, b) => a + b, 0);
    let first: number[] | null = null;
    for (const threads of [1, 2, 3]) {
      setKernelThreads(threads);
      const runs = kernelPoolStats().parallelRuns;
      const got = [sumAll(values).dataSync()[0]!, sumAll(counts).dataSync()[0]!, sumAll(tf.reshape(values, [5, n / 5])).dataSync()[0]!];
      if (threads > 1 && backend === 'cpu') expect(kernelPoolStats().parallelRuns).toBeGreaterThan(runs);
      if (first === null) first = got;
      else expect(got, `${threads} threads`).toEqual(first);
    }
    expect(first![0]).toBeCloseTo(exact(values), 3);
    expect(first![1]).toBe(exact(counts));
    expect(first![2]).toBe(first![0]);
    // ints are cast; scalars and empty tensors work
    expect(sumAll(tf.tensor1d([1, 2, 3], 'int32')).dataSync()[0]).toBe(6);
    expect(sumAll(tf.scalar(2.5)).dataSync()[0]).toBe(2.5);
    expect(sumAll(tf.zeros([0])).dataSync()[0]).toBe(0);
  });

  it('has the broadcast gradient', async () => {
    await tf.setBackend(backend);
    registerPopulaceKernels(backend);
    const x = tf.randomNormal([3, 7], 0, 1, 'float32', 3);
    const g = tf.grad((a: tf.Tensor) => tf.mul(sumAll(a), 2.5))(x);
    expect(g.shape).toEqual([3, 7]);
    expect(Array.from(g.dataSync()).every((v) => v === 2.5)).toBe(true);
  });
});
