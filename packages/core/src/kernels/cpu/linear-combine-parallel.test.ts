import { afterAll, afterEach, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../tf.js';
import { applyFlows, linearCombine } from '../ops/linear-combine.js';
import { linearCombineTuning } from './linear-combine.js';
import { registerPopulaceKernels } from '../register-kernels.js';
import { kernelPoolStats, setKernelThreads, shutdownKernelThreads } from '../pool/worker-pool.js';

tf.env().set('PROD', true);
const DEFAULT_TUNING = { ...linearCombineTuning };
// Not a multiple of the 4096-element block.
const N = 3 * 4096 + 1234;
const arr = (t: tf.Tensor) => Float32Array.from(t.dataSync() as Float32Array);

afterEach(() => {
  setKernelThreads(undefined);
  Object.assign(linearCombineTuning, DEFAULT_TUNING);
});
afterAll(async () => {
  await shutdownKernelThreads();
});

describe.each(['cpu', 'wasm'] as const)('linearCombine on the worker pool (%s)', (backend) => {
  it('gives the same bits on 1, 2 and 3 threads as stock ops, values and gradients', async () => {
    await tf.setBackend(backend);
    registerPopulaceKernels(backend);
    linearCombineTuning.parallelMin = 1000;
    const run = () =>
      tf.tidy(() => {
        const [s, i, r, f1, f2] = [1, 2, 3, 4, 5].map((seed) => tf.randomUniform([N], 0, 1, 'float32', seed));
        const flows = (a: tf.Tensor, b: tf.Tensor) => applyFlows({ s: s!, i: i!, r: r! }, [['s', 'i', a], ['i', 'r', b]]);
        const next = flows(f1!, f2!);
        const [o] = linearCombine([s!, i!, r!], [[0.5, -2.25, 1]]);
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => { const x = flows(a, b); return tf.sum(tf.add(tf.mul(x.s, 3), tf.mul(x.i, -1))); })([f1!, f2!]);
        return { s: arr(next.s), i: arr(next.i), r: arr(next.r), o: arr(o!), g: g.map(arr), ref: arr(tf.add(tf.sub(tf.mul(s!, 0.5), tf.mul(i!, 2.25)), r!)), refS: arr(tf.sub(s!, f1!)) };
      });
    let first: ReturnType<typeof run> | null = null;
    for (const threads of [1, 2, 3]) {
      setKernelThreads(threads);
      const runs = kernelPoolStats().parallelRuns;
      const got = run();
      if (threads > 1) expect(kernelPoolStats().parallelRuns).toBeGreaterThan(runs);
      if (first === null) first = got;
      else expect(got, `${threads} threads`).toEqual(first);
    }
    expect(first!.s).toEqual(first!.refS);
    first!.o.forEach((v, k) => expect(v).toBeCloseTo(first!.ref[k]!, 5));
    // d/d f1 of 3 (s - f1) - (i + f1 - f2) = -4; d/d f2 = 1
    expect(first!.g[0]!.every((v) => v === -4)).toBe(true);
    expect(first!.g[1]!.every((v) => v === 1)).toBe(true);
  });
});
