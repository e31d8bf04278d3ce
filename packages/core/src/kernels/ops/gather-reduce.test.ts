import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PopulaceError } from '../../errors.js';
import { gatherReduce, type CsrTensors } from './gather-reduce.js';
import { gatherReduceReference } from './gather-reduce-reference.js';
import { GATHER_REDUCE, POPULACE_KERNEL_NAMES } from '../kernel-names.js';
import { registerPopulaceKernels } from '../register-kernels.js';
import { mulberry32 } from './gather-reduce.fixture.js';

tf.env().set('PROD', true);
const PLAIN = 'populace-test-plain'; // a cpu backend without Populace kernels

/** A graph as plain arrays, so it can be rebuilt on any backend. */
interface Graph { name: string; n: number; rowPtr: number[]; colIdx: number[]; weights: number[] }


/** Random CSR graph with empty rows, self-loops, duplicate edges and one isolated agent. */
function randomGraph(seed: number, n: number, maxDeg: number): Graph {
  const rng = mulberry32(seed);
  const isolated = n > 2 ? n - 1 : -1;
  const rowPtr = [0];
  const colIdx: number[] = [];
  for (let i = 0; i < n; i++) {
    const deg = i === isolated || rng() < 0.25 ? 0 : 1 + Math.floor(rng() * maxDeg);
    for (let d = 0; d < deg; d++) {
      const r = rng();
      let c = r < 0.15 ? i : r < 0.3 && d > 0 ? colIdx[colIdx.length - 1] : Math.floor(rng() * n);
      if (c === isolated) c = i === isolated ? 0 : i;
      colIdx.push(c);
    }
    rowPtr.push(colIdx.length);
  }
  return { name: `random(seed=${seed}, n=${n})`, n, rowPtr, colIdx, weights: colIdx.map(() => rng() * 2 - 0.5) };
}

const GRAPHS: Graph[] = [
  randomGraph(1, 6, 3),
  randomGraph(2, 17, 5),
  randomGraph(3, 40, 8),
  randomGraph(4, 9, 1),
  { name: 'N=0', n: 0, rowPtr: [0], colIdx: [], weights: [] },
  { name: 'N=1, E=0', n: 1, rowPtr: [0, 0], colIdx: [], weights: [] },
  { name: 'N=1 self-loop twice', n: 1, rowPtr: [0, 2], colIdx: [0, 0], weights: [0.5, 2] },
  { name: 'N=5, E=0', n: 5, rowPtr: [0, 0, 0, 0, 0, 0], colIdx: [], weights: [] },
  { name: 'hub', n: 4, rowPtr: [0, 0, 3, 3, 4], colIdx: [0, 0, 3, 1], weights: [1, -1, 3, 0.25] },
];

function randomArray(seed: number, size: number): number[] {
  const rng = mulberry32(seed);
  return Array.from({ length: size }, () => rng() * 2 - 1);
}

function csr(g: Graph, weighted: boolean): CsrTensors {
  const t: CsrTensors = { rowPtr: tf.tensor1d(g.rowPtr, 'int32'), colIdx: tf.tensor1d(g.colIdx, 'int32') };
  if (weighted) t.weights = tf.tensor1d(g.weights);
  return t;
}

function valuesShape(g: Graph, f: number): number[] {
  return f === 0 ? [g.n] : [g.n, f];
}

interface Result { out: number[]; dValues: number[]; dWeights: number[] | null }

/** Forward and gradients of sum(op(values) * cotangent) on the current backend. */
function evaluate(op: typeof gatherReduce, g: Graph, f: number, weighted: boolean): Result {
  const tensors = tf.tidy(() => {
    const shape = valuesShape(g, f);
    const size = shape.reduce((a, b) => a * b, 1);
    const values = tf.tensor(randomArray(10 + g.n, size), shape);
    const cot = tf.tensor(randomArray(20 + g.n, size), shape);
    const { rowPtr, colIdx } = csr(g, false);
    const w = tf.tensor1d(g.weights);
    const graph = (wt: tf.Tensor): CsrTensors => (weighted ? { rowPtr, colIdx, weights: wt as tf.Tensor1D } : { rowPtr, colIdx });
    const loss = (v: tf.Tensor, wt: tf.Tensor) => tf.sum(tf.mul(op(v, graph(wt)), cot));
    const out = op(values, graph(w));
    if (!weighted) return [out, tf.grad((v: tf.Tensor) => loss(v, w))(values)];
    return [out, ...tf.grads(loss)([values, w])];
  });
  const read = (t: tf.Tensor | undefined) => (t === undefined ? null : Array.from(t.dataSync()));
  const result = { out: read(tensors[0]) ?? [], dValues: read(tensors[1]) ?? [], dWeights: read(tensors[2]) };
  tf.dispose(tensors);
  return result;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `index ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(
      tol * (1 + Math.abs(expected[i])),
    );
  }
}

function expectResultsClose(actual: Result, expected: Result): void {
  expectClose(actual.out, expected.out);
  expectClose(actual.dValues, expected.dValues);
  if (expected.dWeights === null) expect(actual.dWeights).toBeNull();
  else expectClose(actual.dWeights ?? [], expected.dWeights);
}

const CASES = GRAPHS.flatMap((g) =>
  [false, true].flatMap((weighted) => [0, 3].map((f) => ({ g, weighted, f, label: `${g.name}, ${weighted ? 'weighted' : 'unweighted'}, ${f === 0 ? '[N]' : `[N, ${f}]`}` }))),
);

beforeAll(async () => {
  tf.registerBackend(PLAIN, () => new MathBackendCPU());
  tf.copyRegisteredKernels('cpu', PLAIN);
  for (const name of POPULACE_KERNEL_NAMES) if (tf.getKernel(name, PLAIN) != null) tf.unregisterKernel(name, PLAIN);
  registerPopulaceKernels('cpu');
  registerPopulaceKernels('wasm');
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(await tf.setBackend('cpu')).toBe(true);
});
afterEach(async () => { await tf.setBackend('cpu'); });
afterAll(() => { tf.removeBackend(PLAIN); });

describe('gatherReduce on cpu', () => {
  it.each(CASES)('matches the reference: $label', ({ g, weighted, f }) => {
    expectResultsClose(evaluate(gatherReduce, g, f, weighted), evaluate(gatherReduceReference, g, f, weighted));
  });

  it('computes a hand-checked example and runs as the custom kernel', async () => {
    const graph = csr({ name: '', n: 3, rowPtr: [0, 2, 2, 3], colIdx: [1, 2, 2], weights: [0.5, 1, 2] }, true);
    const values = tf.tensor1d([0, 1, 1]);
    const profile = await tf.profile(() => gatherReduce(values, graph));
    expect(profile.kernelNames).toContain(GATHER_REDUCE);
    expect(Array.from((profile.result as tf.Tensor).dataSync())).toEqual([1.5, 0, 2]);
    tf.dispose([values, graph.rowPtr, graph.colIdx, graph.weights!, profile.result as tf.Tensor]);
  });

  it('matches central finite differences on a tiny graph', () => {
    const g: Graph = { name: '', n: 3, rowPtr: [0, 2, 2, 5], colIdx: [1, 2, 2, 2, 0], weights: [0.5, -1, 2, 1.5, 0.3] };
    const v0 = [0.3, -0.7, 1.1, 0.2, 0.9, -0.4];
    const cot = tf.tensor2d([1, -2, 0.5, 3, -1, 0.25], [3, 2]);
    const { rowPtr, colIdx } = csr(g, false);
    const loss = (v: number[], w: number[]) =>
      tf.tidy(() => tf.sum(tf.mul(gatherReduce(tf.tensor2d(v, [3, 2]), { rowPtr, colIdx, weights: tf.tensor1d(w) }), cot)).dataSync()[0]);
    const fd = (xs: number[], at: (x: number[]) => number) =>
      xs.map((_, i) => {
        const h = 1e-2;
        const up = xs.slice(); up[i] += h;
        const dn = xs.slice(); dn[i] -= h;
        return (at(up) - at(dn)) / (2 * h);
      });
    const [dv, dw] = tf.grads((v: tf.Tensor, w: tf.Tensor) =>
      tf.sum(tf.mul(gatherReduce(v, { rowPtr, colIdx, weights: w as tf.Tensor1D }), cot)))([tf.tensor2d(v0, [3, 2]), tf.tensor1d(g.weights)]);
    expectClose(dv.dataSync(), fd(v0, (v) => loss(v, g.weights)), 1e-3);
    expectClose(dw.dataSync(), fd(g.weights, (w) => loss(v0, w)), 1e-3);
    tf.dispose([cot, rowPtr, colIdx, dv, dw]);
  });

  it('is recorded on the tape inside a larger expression', () => {
    const g = GRAPHS[1];
    const run = (op: typeof gatherReduce) =>
      tf.tidy(() => {
        const x = tf.tensor2d(randomArray(5, g.n * 2), [g.n, 2]);
        const graph = csr(g, true);
        const f = (v: tf.Tensor) => tf.sum(tf.square(tf.tanh(op(tf.sigmoid(v), graph))));
        return Array.from(tf.grad(f)(x).dataSync());
      });
    const fast = run(gatherReduce);
    expect(fast.some((d) => d !== 0)).toBe(true);
    expectClose(fast, run(gatherReduceReference));
  });

  it('gives float32 zero gradients to int graph inputs on the tape path', () => {
    // tfjs demands float32 gradients; stock GatherV2 returns int32 ones and throws here.
    const x = tf.tensor1d([0.2, 1.7]);
    const rowPtr = tf.tensor1d([0, 1, 2], 'int32');
    const f = (v: tf.Tensor) => tf.sum(gatherReduce(v, { rowPtr, colIdx: tf.cast(v, 'int32') as tf.Tensor1D }));
    const dx = tf.grad(f)(x);
    expect(Array.from(dx.dataSync())).toEqual([1, 1]);
    tf.dispose([x, rowPtr, dx]);
  });

  it('leaks no tensors or backend data in a tidy forward + backward', () => {
    const g = GRAPHS[2];
    evaluate(gatherReduce, g, 3, true); // warm up
    const tensors = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    tf.tidy(() => {
      const { rowPtr, colIdx, weights } = csr(g, true);
      const v = tf.ones([g.n, 3]);
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(gatherReduce(a, { rowPtr, colIdx, weights: b as tf.Tensor1D })))([v, weights!]);
      tf.grad((a: tf.Tensor) => tf.sum(gatherReduce(a, { rowPtr, colIdx })))(v);
    });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
  });
});

describe('gatherReduce on wasm', () => {
  it.each(CASES)('matches the cpu reference: $label', async ({ g, weighted, f }) => {
    const expected = evaluate(gatherReduceReference, g, f, weighted);
    await tf.setBackend('wasm');
    expectResultsClose(evaluate(gatherReduce, g, f, weighted), expected);
  });

  it('leaks no tensors or heap allocations in a tidy forward + backward', async () => {
    await tf.setBackend('wasm');
    const g = GRAPHS[2];
    evaluate(gatherReduce, g, 0, true);
    const tensors = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    tf.tidy(() => {
      const { rowPtr, colIdx, weights } = csr(g, true);
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(gatherReduce(a, { rowPtr, colIdx, weights: b as tf.Tensor1D })))([tf.ones([g.n]), weights!]);
    });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
  });
});

describe('fallback', () => {
  it('uses the stock-op reference on a backend without the kernels', async () => {
    // PLAIN never gets registerPopulaceKernels (which would give it the portable set, see ./portable/)
    for (const name of POPULACE_KERNEL_NAMES) expect(tf.getKernel(name, PLAIN)).toBeUndefined();
    const expected = evaluate(gatherReduceReference, GRAPHS[0], 3, true);
    await tf.setBackend(PLAIN);
    let actual: Result | undefined;
    const profile = await tf.profile(() => {
      actual = evaluate(gatherReduce, GRAPHS[0], 3, true);
      return [];
    });
    expect(profile.kernelNames).not.toContain(GATHER_REDUCE);
    expect(profile.kernelNames).toContain('UnsortedSegmentSum');
    expectResultsClose(actual!, expected);
  });
});

describe('validation', () => {
  const expectInvalid = (fn: () => unknown, pattern: RegExp) => {
    let caught: unknown;
    try { tf.tidy(() => { fn(); }); } catch (e) { caught = e; }
    expect(PopulaceError.isInstance(caught), String(caught)).toBe(true);
    expect((caught as PopulaceError).code).toBe('invalid-argument');
    expect((caught as PopulaceError).message).toMatch(pattern);
  };
  const g = () => csr({ name: '', n: 3, rowPtr: [0, 1, 2, 3], colIdx: [1, 2, 0], weights: [1, 1, 1] }, true);

  it.each(['cpu', 'wasm'])('rejects bad shapes and dtypes on %s', async (backend) => {
    await tf.setBackend(backend);
    expectInvalid(() => gatherReduce(tf.tensor1d([1, 2, 3], 'int32'), g()), /expected values float32 \[3\].*received int32 \[3\]/);
    expectInvalid(() => gatherReduce(tf.ones([4]), g()), /N = rowPtr.size - 1 = 3.*received float32 \[4\]/);
    expectInvalid(() => gatherReduce(tf.ones([3, 2, 1]), g()), /received float32 \[3, 2, 1\]/);
    expectInvalid(() => gatherReduce(tf.ones([3]), { ...g(), weights: tf.ones([2]) as tf.Tensor1D }), /expected weights float32 \[3\].*received float32 \[2\]/);
    expectInvalid(() => gatherReduce(tf.ones([3]), { ...g(), weights: tf.tensor1d([1, 1, 1], 'int32') }), /weights.*received int32/);
    expectInvalid(() => gatherReduce(tf.ones([3]), { ...g(), rowPtr: tf.tensor1d([0, 1, 2, 3]) }), /expected rowPtr int32.*received float32 \[4\]/);
    expectInvalid(() => gatherReduce(tf.ones([3]), { ...g(), colIdx: tf.tensor1d([1, 2, 0]) }), /expected colIdx int32.*received float32/);
  });

  it.each(['cpu', 'wasm'])('rejects malformed CSR contents on %s without leaking', async (backend) => {
    await tf.setBackend(backend);
    const dataIds = tf.engine().backend.numDataIds();
    const bad = (rowPtr: number[], colIdx: number[]) => () =>
      gatherReduce(tf.ones([rowPtr.length - 1]), { rowPtr: tf.tensor1d(rowPtr, 'int32'), colIdx: tf.tensor1d(colIdx, 'int32') });
    expectInvalid(bad([0, 2, 1, 3], [0, 1, 2]), /non-decreasing/);
    expectInvalid(bad([0, 1, 2, 3], [0, 3, 1]), /colIdx in \[0, 3\), received colIdx\[1\] = 3/);
    expectInvalid(bad([0, 1, 2, -1], [0, 1, 2]), /non-decreasing/);
    expectInvalid(bad([1, 1, 2, 3], [0, 1, 2]), /rowPtr\[0\] = 0/);
    expectInvalid(bad([0, 1, 2, 2], [0, 1, 2]), /rowPtr\[N\] = E = 3, received 2/);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
  });
});

describe('registerPopulaceKernels', () => {
  it('is idempotent and never warns', () => {
    const configs = () => [
      ...['cpu', 'wasm'].flatMap((b) => POPULACE_KERNEL_NAMES.map((n) => tf.getKernel(n, b))),
      tf.getGradient(GATHER_REDUCE),
    ];
    const before = configs();
    expect(before.every((c) => c != null)).toBe(true);
    const warn = vi.spyOn(console, 'warn');
    tf.env().set('PROD', false);
    try {
      for (let i = 0; i < 3; i++) for (const b of ['cpu', 'wasm', 'webgl', 'populace-test-other']) registerPopulaceKernels(b);
    } finally {
      tf.env().set('PROD', true);
    }
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    expect(configs()).toEqual(before);
    configs().forEach((c, i) => expect(c).toBe(before[i]));
  });
});
