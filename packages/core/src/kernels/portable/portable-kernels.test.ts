/**
 * The portable kernel set (stock tfjs ops) against the native cpu kernels:
 * registered under a second backend, `portable-test` (a fresh MathBackendCPU
 * with tfjs's stock cpu kernels and Populace's portable ones), so every
 * Populace op runs through the portable code path exactly as on `tensorflow`
 * or `webgl`. Forward values, gradients (tf.grads) and the counter-based
 * draws (bit for bit) are compared on random inputs.
 */
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexAt, uniformAt } from '../../random.js';
import { tf } from '../../tf.js';
import { bernoulliEvent } from '../ops/bernoulli-event.js';
import { gatherReduce } from '../ops/gather-reduce.js';
import { mulberry32, randomGraph, type Graph } from '../ops/gather-reduce.fixture.js';
import { hashedGather } from '../ops/hashed-gather.js';
import { POPULACE_KERNEL_NAMES, SUM_ALL } from '../kernel-names.js';
import { applyFlows, linearCombine } from '../ops/linear-combine.js';
import { registerKernelSet, registerPopulaceKernels } from '../register-kernels.js';
import { sumAll } from '../ops/sum-all.js';
import { counters, indexAtTensor, uniformsAt, xorTableTensor } from './counter-hash.js';
import { PORTABLE_KERNELS } from './index.js';

tf.env().set('PROD', true);
const PORTABLE = 'portable-test';
const POPULACE = new Set([...POPULACE_KERNEL_NAMES, SUM_ALL]);

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerPopulaceKernels('cpu');
  tf.registerBackend(PORTABLE, () => new MathBackendCPU());
  for (const k of tf.getKernelsForBackend('cpu')) {
    if (!POPULACE.has(k.kernelName)) tf.registerKernel({ ...k, backendName: PORTABLE });
  }
  registerKernelSet(PORTABLE, PORTABLE_KERNELS);
});

/** Runs `f` on `backend` and returns every output as plain arrays. */
async function on(backend: string, f: () => tf.Tensor[]): Promise<number[][]> {
  await tf.setBackend(backend);
  return tf.tidy(f).map((t) => {
    const a = Array.from(t.dataSync());
    t.dispose();
    return a;
  });
}

/** Runs `f` on cpu (native kernels) and on the portable set. */
async function both(f: () => tf.Tensor[]): Promise<[number[][], number[][]]> {
  return [await on('cpu', f), await on(PORTABLE, f)];
}

function expectClose(actual: number[][], expected: number[][], tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, k) => {
    const e = expected[k]!;
    expect(a.length).toBe(e.length);
    let worst = 0;
    a.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - e[i]!) / Math.max(1, Math.abs(e[i]!)))));
    expect(worst, `output ${k}`).toBeLessThanOrEqual(tol);
  });
}

const kernelsRun = async (f: () => unknown): Promise<string[]> => (await tf.profile(() => (f(), []) as never)).kernelNames;

describe('portable counter-based generator', () => {
  it('draws the uniforms of uniformAt bit for bit, for small and large counters', async () => {
    await tf.setBackend(PORTABLE);
    for (const [key, start, n] of [[0, 0, 3000], [0xdeadbeef, 0, 3000], [12345, 2 ** 31 - 2000, 2000], [7, 2 ** 24 - 5, 10]] as const) {
      const got = tf.tidy(() => uniformsAt(key, counters(tf.range(start, start + n, 1, 'int32'))).dataSync());
      const want = Float32Array.from({ length: n }, (_, i) => uniformAt(key, start + i));
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });

  it('computes indexAt (uint32At % n) exactly, for n up to 2^27', async () => {
    await tf.setBackend(PORTABLE);
    for (const [key, n] of [[99, 1], [99, 7], [0xffffffff, 65537], [5, 1_000_003], [31, 2 ** 27]] as const) {
      const got = tf.tidy(() => indexAtTensor(xorTableTensor(), key, counters(tf.range(0, 4000, 1, 'int32')), n).dataSync());
      expect(Array.from(got)).toEqual(Array.from({ length: 4000 }, (_, i) => indexAt(key, i, n)));
    }
  });
});

describe('portable kernels against the cpu kernels', () => {
  const rnd = (seed: number, n: number, lo = 0, hi = 1): Float32Array => {
    const r = mulberry32(seed);
    return Float32Array.from({ length: n }, () => lo + r() * (hi - lo));
  };

  it('are what the ops run on a backend without native kernels', async () => {
    await tf.setBackend(PORTABLE);
    const names = await kernelsRun(() => gatherReduce(tf.ones([3]), { rowPtr: tf.tensor1d([0, 1, 2, 3], 'int32'), colIdx: tf.tensor1d([2, 0, 1], 'int32') }));
    expect(names).toContain('PopulaceGatherReduceUnweighted');
    expect(names).toContain('UnsortedSegmentSum');
  });

  it.each([1, 3])('gather-reduce (weighted and unweighted, F = %i): values and gradients', async (f) => {
    const g: Graph = randomGraph(11 + f, 700, 9, 60);
    const values = rnd(3, g.n * f, -1, 1);
    const dy = rnd(4, g.n * f, -1, 1);
    const shape = f === 1 ? [g.n] : [g.n, f];
    const run = (): tf.Tensor[] => {
      const rowPtr = tf.tensor1d(g.rowPtr, 'int32');
      const colIdx = tf.tensor1d(g.colIdx, 'int32');
      const v = tf.tensor(values, shape);
      const w = tf.tensor1d(g.weights);
      const up = tf.tensor(dy, shape);
      const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(gatherReduce(a, { rowPtr, colIdx, weights: b as tf.Tensor1D }), up));
      const [gv, gw] = tf.grads(loss)([v, w]);
      const unweighted = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(gatherReduce(a, { rowPtr, colIdx }), up)))(v);
      return [gatherReduce(v, { rowPtr, colIdx, weights: w }), gatherReduce(v, { rowPtr, colIdx }), gv!, gw!, unweighted];
    };
    const [cpu, portable] = await both(run);
    expectClose(portable, cpu);
  });

  it('Bernoulli events (probability and hazard, scalar and per-element inputs): the same draws and gradients', async () => {
    const n = 4000;
    const p = rnd(5, n);
    const x = Float32Array.from(rnd(6, n, 0, 3), (v, i) => (i % 5 === 0 ? 0 : v));
    const m = Float32Array.from(rnd(7, n), (v) => (v < 0.7 ? 1 : 0));
    const dy = rnd(8, n, -1, 1);
    // clocks up to 2^20: clock * n wraps past 2^32 for some elements
    const clocks = Float32Array.from(rnd(9, n, 0, 2 ** 20), Math.floor);
    for (const gradient of ['straight-through', 'jump-weighted'] as const) {
      const run = (): tf.Tensor[] => {
        const [pt, xt, mt, up, rate] = [tf.tensor1d(p), tf.tensor1d(x), tf.tensor1d(m), tf.tensor1d(dy), tf.scalar(0.4)];
        const prob = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(bernoulliEvent({ p: a, mask: b, key: 321, gradient }), up));
        const hazard = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(bernoulliEvent({ p: a, exposure: b, mask: c, key: 77, gradient }), up));
        return [
          bernoulliEvent({ p: pt, mask: mt, key: 321, gradient }),
          bernoulliEvent({ p: rate, exposure: xt, mask: mt, key: 77, gradient }),
          bernoulliEvent({ p: pt, exposure: xt, key: 78, gradient }),
          bernoulliEvent({ p: pt, mask: mt, clock: tf.tensor1d(clocks), key: 79, gradient }),
          bernoulliEvent({ p: pt, clock: 41, key: 80, gradient }),
          ...tf.grads(prob)([pt, mt]),
          ...tf.grads(hazard)([rate, xt, mt]),
          ...tf.grads(hazard)([pt, xt, tf.scalar(1)]),
        ];
      };
      const [cpu, portable] = await both(run);
      for (let k = 0; k < 5; k++) expect(portable[k], `draws ${k}`).toEqual(cpu[k]);
      expectClose(portable.slice(5), cpu.slice(5), 1e-4);
    }
  });

  it('hashed gather and its transpose: the same contacts', async () => {
    const n = 3000;
    const values = Float32Array.from(rnd(9, n), (v) => (v < 0.1 ? 1 : 0));
    const dense = rnd(10, n, -1, 1);
    const run = (): tf.Tensor[] => {
      const graph = { kind: 'hashed' as const, degree: 7, key: 0xabcdef };
      const up = tf.tensor1d(dense);
      return [hashedGather(tf.tensor1d(values), graph), hashedGather(up, graph), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(hashedGather(a, graph), up)))(tf.tensor1d(values))];
    };
    const [cpu, portable] = await both(run);
    expect(portable[0]).toEqual(cpu[0]); // 0/1 values: integer counts, exact
    expectClose(portable, cpu);
  });

  it('linear combinations, flows and sumAll: values and gradients', async () => {
    const n = 2500;
    const [a, b, c] = [rnd(12, n), rnd(13, n), rnd(14, n)];
    const run = (): tf.Tensor[] => {
      const [ta, tb, tc] = [tf.tensor1d(a), tf.tensor1d(b), tf.tensor1d(c)];
      const rows = [[1, -1, 0.25], [0, 0, 0], [2.5, 1, -3]];
      const out = linearCombine([ta, tb, tc], rows);
      const flows = applyFlows({ s: ta, i: tb, r: tc }, [['s', 'i', tf.mul(ta, 0.1)], ['i', 'r', tf.mul(tb, 0.2)]]);
      const grads = tf.grads((u: tf.Tensor, v: tf.Tensor, w: tf.Tensor) => tf.add(tf.sum(tf.mul(linearCombine([u, v, w], rows)[2]!, u)), sumAll(tf.mul(v, w))))([ta, tb, tc]);
      return [...out, flows.s, flows.i, flows.r, sumAll(ta), ...grads];
    };
    const [cpu, portable] = await both(run);
    expectClose(portable, cpu);
  });
});

describe('portable kernels and memory', () => {
  it('free every intermediate: forward and backward leave no tensor behind', async () => {
    await tf.setBackend(PORTABLE);
    const run = () =>
      tf.tidy(() => {
        const v = tf.tensor1d([0, 1, 1, 0, 1]);
        const graph = { rowPtr: tf.tensor1d([0, 2, 2, 3, 5, 6], 'int32'), colIdx: tf.tensor1d([1, 2, 2, 0, 4, 3], 'int32'), weights: tf.tensor1d([0.5, 1, 2, 1, 1, 3]) };
        const loss = (a: tf.Tensor, w: tf.Tensor) => {
          const pressure = tf.add(gatherReduce(a, { ...graph, weights: w as tf.Tensor1D }), hashedGather(a, { kind: 'hashed', degree: 3, key: 5 }));
          const infected = bernoulliEvent({ p: 0.3, exposure: pressure, mask: a, key: 9, gradient: 'jump-weighted' });
          const { s } = applyFlows({ s: a, i: infected }, [['s', 'i', infected]]);
          return sumAll(tf.mul(s, infected));
        };
        tf.grads(loss)([v, graph.weights]);
      });
    run();
    const tensors = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    run();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
  });
});
