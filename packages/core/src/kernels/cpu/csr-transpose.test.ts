import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { selfTranspose } from './csr-transpose.js';
import { gatherReduce } from '../ops/gather-reduce.js';
import { gatherReduceTuning } from './gather-reduce-graphs.js';
import { registerPopulaceKernels } from '../register-kernels.js';
import { setKernelThreads, shutdownKernelThreads } from '../pool/worker-pool.js';

tf.env().set('PROD', true);

/** CSR of an edge list (rows sorted by column when `sorted`). */
function csr(n: number, edges: [number, number, number][], sorted = true) {
  const rows: [number, number][][] = Array.from({ length: n }, () => []);
  for (const [i, c, w] of edges) rows[i]!.push([c, w]);
  if (sorted) rows.forEach((r) => r.sort((a, b) => a[0] - b[0]));
  else rows.forEach((r) => r.sort((a, b) => b[0] - a[0]));
  const rp = new Int32Array(n + 1);
  rows.forEach((r, i) => (rp[i + 1] = rp[i]! + r.length));
  return { rp, ci: Int32Array.from(rows.flat().map((x) => x[0])), w: Float32Array.from(rows.flat().map((x) => x[1])) };
}

/** An undirected random graph stored both ways, with weight w(i, j) = w(j, i) (or not, when `asymmetric`). */
function undirected(n: number, pairs: number, seed: number, asymmetric = false): [number, number, number][] {
  let s = seed;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const edges: [number, number, number][] = [];
  const seen = new Set<string>();
  while (seen.size < pairs) {
    const a = Math.floor(rand() * n);
    const b = Math.floor(rand() * n);
    if (a === b || seen.has(`${Math.min(a, b)},${Math.max(a, b)}`)) continue;
    seen.add(`${Math.min(a, b)},${Math.max(a, b)}`);
    const w = 0.5 + rand();
    edges.push([a, b, w], [b, a, asymmetric ? w + 1 : w]);
  }
  return edges;
}

describe('selfTranspose', () => {
  it('recognises undirected layers stored both ways, and nothing else', () => {
    const sym = csr(50, undirected(50, 200, 1));
    expect(selfTranspose(sym.rp, sym.ci, null)).toBe('all');
    expect(selfTranspose(sym.rp, sym.ci, sym.w)).toBe('all');
    const asym = csr(50, undirected(50, 200, 1, true));
    expect(selfTranspose(asym.rp, asym.ci, asym.w)).toBe('structure');
    const unsorted = csr(50, undirected(50, 200, 1), false);
    expect(selfTranspose(unsorted.rp, unsorted.ci, null)).toBe('no');
    const directed = csr(3, [[0, 1, 1], [1, 2, 1], [2, 0, 1]]);
    expect(selfTranspose(directed.rp, directed.ci, null)).toBe('no');
    const loops = csr(3, [[0, 0, 1], [1, 1, 2], [0, 2, 1], [2, 0, 1]]);
    expect(selfTranspose(loops.rp, loops.ci, loops.w)).toBe('all');
    // a missing reverse edge at the very end
    const missing = csr(3, [[0, 1, 1], [1, 0, 1], [2, 1, 1]]);
    expect(selfTranspose(missing.rp, missing.ci, null)).toBe('no');
  });
});

describe('message passing over a self-transposed layer', () => {
  afterAll(async () => {
    setKernelThreads(undefined);
    await shutdownKernelThreads();
  });

  it.each([false, true])('equals the same layer with rows reversed (built transpose), values and gradients (asymmetric weights: %s)', async (asymmetric) => {
    await tf.setBackend('cpu');
    registerPopulaceKernels('cpu');
    setKernelThreads(2);
    const n = 20_000;
    const edges = undirected(n, 80_000, 7, asymmetric);
    expect(edges.length).toBeGreaterThanOrEqual(gatherReduceTuning.minEdges);
    const run = (g: ReturnType<typeof csr>, values: tf.Tensor) => {
      const graph = { rowPtr: tf.tensor1d(g.rp, 'int32'), colIdx: tf.tensor1d(g.ci, 'int32'), weights: tf.tensor1d(g.w) };
      const dy = tf.randomNormal([n], 0, 1, 'float32', 3);
      const loss = (v: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(gatherReduce(v, { ...graph, weights: w as tf.Tensor1D }), dy));
      // Three calls: the third uses the transpose (sparse values take the push path over it).
      const outs = [0, 1, 2].map(() => Array.from(gatherReduce(values, graph).dataSync()));
      const [gv, gw] = tf.grads(loss)([values, graph.weights]);
      return { out: outs[2]!, gv: Array.from(gv!.dataSync()), gwSum: gw!.sum().dataSync()[0]! };
    };
    for (const density of [0.5, 0.01]) {
      const values = tf.tidy(() => tf.mul(tf.randomUniform([n], 0, 1, 'float32', 4), tf.cast(tf.less(tf.randomUniform([n], 0, 1, 'float32', 5), density), 'float32')));
      const a = run(csr(n, edges, true), values);
      const b = run(csr(n, edges, false), values);
      a.out.forEach((v, i) => expect(v).toBeCloseTo(b.out[i]!, 4));
      // d values is the pull over the transpose; with rows reversed its terms come in another order
      a.gv.forEach((v, i) => expect(v).toBeCloseTo(b.gv[i]!, 3));
      expect(a.gwSum).toBeCloseTo(b.gwSum, 0);
    }
  });
});
