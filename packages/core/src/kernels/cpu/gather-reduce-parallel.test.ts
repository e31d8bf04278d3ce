import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rowBounds, transposeCsr } from './csr-transpose.js';
import { gatherReduce, type CsrTensors } from '../ops/gather-reduce.js';
import { graphOf, randomGraph, sparseArray, type Graph } from '../ops/gather-reduce.fixture.js';
import { cachedGraphCount, gatherReducePaths, gatherReduceTuning } from './gather-reduce-graphs.js';
import { gatherReduceReference } from '../ops/gather-reduce-reference.js';
import { registerPopulaceKernels } from '../register-kernels.js';
import { kernelPoolStats, poolThreads, setKernelThreads, sharedFloat32, sharedInt32, shutdownKernelThreads } from '../pool/worker-pool.js';

tf.env().set('PROD', true);
const DEFAULT_TUNING = { ...gatherReduceTuning };

// Over the default parallel threshold (200k edges), with a 20k-edge hub row.
const BIG = randomGraph(7, 60_000, 14, 20_000);
const SMALL: Graph[] = [
  graphOf('N=0', [0], [], []),
  graphOf('N=1, E=0', [0, 0], [], []),
  graphOf('N=1 self-loop twice', [0, 2], [0, 0], [0.5, 2]),
  graphOf('N=5, E=0', [0, 0, 0, 0, 0, 0], [], []),
  graphOf('hub', [0, 0, 3, 3, 4], [0, 0, 3, 1], [1, -1, 3, 0.25]),
  randomGraph(1, 6, 3),
  randomGraph(3, 40, 8),
  randomGraph(5, 300, 6, 100),
];

interface Run { out: Float32Array; dValues: Float32Array; dWeights: Float32Array | null }

/** Graph tensors, kept across calls so the kernels' per-graph caches are used. */
function tensorsOf(g: Graph): Required<CsrTensors> {
  return {
    rowPtr: tf.tensor1d(g.rowPtr, 'int32'),
    colIdx: tf.tensor1d(g.colIdx, 'int32'),
    weights: tf.tensor1d(g.weights),
  };
}

/** out = gatherReduce(values), and the gradients of sum(out * cot) for values (and weights). */
function evaluate(graph: Required<CsrTensors>, values: Float32Array, cot: Float32Array, f: number, weighted: boolean): Run {
  const n = graph.rowPtr.size - 1;
  const shape = f === 0 ? [n] : [n, f];
  const result = tf.tidy(() => {
    const v = tf.tensor(values, shape);
    const c = tf.tensor(cot, shape);
    const { rowPtr, colIdx } = graph;
    const csr = (w: tf.Tensor): CsrTensors => (weighted ? { rowPtr, colIdx, weights: w as tf.Tensor1D } : { rowPtr, colIdx });
    const loss = (a: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(gatherReduce(a, csr(w)), c));
    const out = gatherReduce(v, csr(graph.weights));
    if (!weighted) return [out, tf.grad((a: tf.Tensor) => loss(a, graph.weights))(v)];
    return [out, ...tf.grads(loss)([v, graph.weights])];
  });
  const copy = (t: tf.Tensor | undefined) => (t === undefined ? null : Float32Array.from(t.dataSync() as Float32Array));
  const run = { out: copy(result[0])!, dValues: copy(result[1])!, dWeights: copy(result[2]) };
  tf.dispose(result);
  return run;
}

function expectSameBits(actual: Float32Array | null, expected: Float32Array | null, what: string): void {
  if (expected === null || actual === null) {
    expect(actual, what).toBe(expected);
    return;
  }
  expect(actual.length, what).toBe(expected.length);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const b = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      first = i;
      break;
    }
  }
  expect(first, `${what}: first difference at ${first}: ${actual[first]} vs ${expected[first]}`).toBe(-1);
}

function expectSameRun(actual: Run, expected: Run, what: string): void {
  expectSameBits(actual.out, expected.out, `${what}: out`);
  expectSameBits(actual.dValues, expected.dValues, `${what}: d values`);
  expectSameBits(actual.dWeights, expected.dWeights, `${what}: d weights`);
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = 1e-5): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= tol * (1 + Math.abs(expected[i])))) expect.fail(`${what}: index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

const size = (g: Graph, f: number) => g.n * Math.max(f, 1);
const LAYOUTS = [false, true].flatMap((weighted) =>
  [0, 3].map((f) => ({ weighted, f, label: `${weighted ? 'weighted' : 'unweighted'}, ${f === 0 ? '[N]' : `[N, ${f}]`}` })),
);

beforeAll(async () => {
  registerPopulaceKernels('cpu');
  registerPopulaceKernels('wasm');
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(await tf.setBackend('cpu')).toBe(true);
});
afterEach(async () => {
  Object.assign(gatherReduceTuning, DEFAULT_TUNING);
  setKernelThreads(undefined);
  await tf.setBackend('cpu');
});
afterAll(async () => {
  await shutdownKernelThreads();
});

describe('the parallel transposition', () => {
  it.each([1, 2, 3])('is the stable counting-sort transpose on %i threads', (threads) => {
    setKernelThreads(threads);
    for (const g of [...SMALL, BIG]) {
      const naive = { rp: new Int32Array(g.n + 1), ci: new Int32Array(g.colIdx.length), w: new Float32Array(g.colIdx.length) };
      for (const c of g.colIdx) naive.rp[c + 1]++;
      for (let j = 0; j < g.n; j++) naive.rp[j + 1] += naive.rp[j];
      const next = naive.rp.slice(0, g.n);
      for (let i = 0; i < g.n; i++) {
        for (let e = g.rowPtr[i]; e < g.rowPtr[i + 1]; e++) {
          const q = next[g.colIdx[e]]++;
          naive.ci[q] = i;
          naive.w[q] = g.weights[e];
        }
      }
      const share = <T extends Int32Array | Float32Array>(a: T, make: (n: number) => T): T => { const s = make(a.length); s.set(a); return s; };
      const rp = share(g.rowPtr, sharedInt32);
      const ci = share(g.colIdx, sharedInt32);
      const w = share(g.weights, sharedFloat32);
      const input = { n: g.n, rp, ci, bounds: rowBounds(rp, 4 * poolThreads()) };
      const both = transposeCsr({ ...input, w });
      const structure = transposeCsr({ ...input, w: null });
      const weightsOnly = transposeCsr({ ...input, w }, structure.t);
      for (const [name, got] of [['both', both], ['structure', structure], ['weights only', weightsOnly]] as const) {
        expect(Array.from(got.t.rp), `${g.name} ${name}: rowPtr`).toEqual(Array.from(naive.rp));
        expect(Array.from(got.t.ci), `${g.name} ${name}: colIdx`).toEqual(Array.from(naive.ci));
      }
      expect(Array.from(both.tw!)).toEqual(Array.from(naive.w));
      expect(structure.tw).toBeNull();
      expect(Array.from(weightsOnly.tw!)).toEqual(Array.from(naive.w));
    }
  });
});

describe('gatherReduce on the worker pool', () => {
  it.each(LAYOUTS)('gives the same bits on 1, 2 and 3 threads, dense and sparse values: $label', ({ weighted, f }) => {
    expect(BIG.colIdx.length).toBeGreaterThanOrEqual(DEFAULT_TUNING.minEdges);
    const inputs = [
      { values: sparseArray(11, size(BIG, f), 0.5), cot: sparseArray(12, size(BIG, f), 0.7) },
      { values: sparseArray(13, size(BIG, f), 0.004), cot: sparseArray(14, size(BIG, f), 0.004) },
      { values: sparseArray(15, size(BIG, f), 0.3), cot: sparseArray(16, size(BIG, f), 1) },
    ];
    let expected: Run[] | null = null;
    for (const threads of [1, 2, 3]) {
      setKernelThreads(threads);
      const graph = tensorsOf(BIG);
      const before = { ...gatherReducePaths };
      const runsBefore = kernelPoolStats().parallelRuns;
      const runs = inputs.map(({ values, cot }) => evaluate(graph, values, cot, f, weighted));
      tf.dispose(Object.values(graph));
      // The first backward built the transpose; the second call's sparse values took the sparse path.
      expect(gatherReducePaths.sparse - before.sparse).toBeGreaterThanOrEqual(1);
      expect(gatherReducePaths.dense - before.dense).toBeGreaterThanOrEqual(3);
      if (threads > 1) {
        expect(kernelPoolStats().workers).toBe(threads - 1);
        expect(kernelPoolStats().parallelRuns).toBeGreaterThan(runsBefore);
      }
      if (expected === null) expected = runs;
      else runs.forEach((run, k) => expectSameRun(run, expected![k], `${threads} threads, input ${k}`));
    }
  });

  it.each([false, true])('packs 0/1 values into bits with the same bits as the float pull (weighted: %s)', (weighted) => {
    // 0/1 values (30% ones, as a dense infectious indicator), and values that are 0/1 but one.
    const binary = sparseArray(31, BIG.n, 0.3).map((x) => (x === 0 ? 0 : 1));
    const almost = binary.slice();
    almost[BIG.n - 1] = 0.5;
    const cot = sparseArray(32, BIG.n, 1);
    for (const threads of [1, 2]) {
      setKernelThreads(threads);
      const graph = tensorsOf(BIG);
      const runs = [binary, almost].map((values) => {
        gatherReduceTuning.packBinary = false;
        const before = gatherReducePaths.packed;
        const plain = evaluate(graph, values, cot, 0, weighted);
        expect(gatherReducePaths.packed).toBe(before);
        gatherReduceTuning.packBinary = true;
        const packed = evaluate(graph, values, cot, 0, weighted);
        return { plain, packed, packedCalls: gatherReducePaths.packed - before };
      });
      tf.dispose(Object.values(graph));
      // evaluate() runs the forward twice (the output, and inside the gradient).
      expect(runs[0]!.packedCalls, 'the 0/1 values took the packed path').toBe(2);
      expect(runs[1]!.packedCalls, 'a 0.5 keeps the float path').toBe(0);
      runs.forEach(({ plain, packed }, k) => expectSameRun(packed, plain, `${threads} threads, input ${k}`));
      expect(runs[0]!.plain.out.some((x) => x > 1)).toBe(true);
    }
  });

  it.each(LAYOUTS)('matches a float64 loop on a big graph: $label', ({ weighted, f }) => {
    // (The stock-op reference is O(E x N) on cpu: far too slow at this size.)
    setKernelThreads(2);
    const graph = tensorsOf(BIG);
    const values = sparseArray(21, size(BIG, f), 0.3);
    const cot = sparseArray(22, size(BIG, f), 1);
    evaluate(graph, values, cot, f, weighted); // builds the transpose
    const fast = evaluate(graph, values, cot, f, weighted);
    tf.dispose(Object.values(graph));
    const fs = Math.max(f, 1);
    const out = new Float64Array(BIG.n * fs);
    const dv = new Float64Array(BIG.n * fs);
    const dw = new Float64Array(BIG.colIdx.length);
    for (let i = 0; i < BIG.n; i++) {
      for (let e = BIG.rowPtr[i]; e < BIG.rowPtr[i + 1]; e++) {
        const j = BIG.colIdx[e];
        const w = weighted ? BIG.weights[e] : 1;
        for (let k = 0; k < fs; k++) {
          out[i * fs + k] += w * values[j * fs + k];
          dv[j * fs + k] += w * cot[i * fs + k];
          dw[e] += cot[i * fs + k] * values[j * fs + k];
        }
      }
    }
    expectClose(fast.out, out, 'out', 1e-4);
    expectClose(fast.dValues, dv, 'd values', 1e-4);
    if (weighted) expectClose(fast.dWeights!, dw, 'd weights', 1e-4);
  });

  it.each([1, 2])('the sparse path equals the dense path bit for bit (%i threads)', (threads) => {
    setKernelThreads(threads);
    for (const { weighted, f, label } of LAYOUTS) {
      for (const density of [0, 0.001, 0.02]) {
        const values = sparseArray(31, size(BIG, f), density);
        const cot = sparseArray(32, size(BIG, f), density);
        values[0] = 1e30; // large terms make any change of summation order visible
        values[values.length - 1] = -3e-30;
        const graph = tensorsOf(BIG);
        Object.assign(gatherReduceTuning, { transposeAfterUses: 1, sparseMaxDensity: -1 });
        const dense = evaluate(graph, values, cot, f, weighted);
        const before = gatherReducePaths.sparse;
        Object.assign(gatherReduceTuning, { sparseMaxDensity: 1 });
        const sparse = evaluate(graph, values, cot, f, weighted);
        expect(gatherReducePaths.sparse - before, label).toBe(3); // two forwards (out, and on the tape), one backward
        Object.assign(gatherReduceTuning, { sparseMaxDensity: DEFAULT_TUNING.sparseMaxDensity });
        const auto = evaluate(graph, values, cot, f, weighted);
        tf.dispose(Object.values(graph));
        expectSameRun(sparse, dense, `${label}, density ${density}: sparse`);
        expectSameRun(auto, dense, `${label}, density ${density}: default threshold`);
      }
    }
  });

  it.each([1, 2])('the backward gives the same bits before and after the transpose exists (%i threads)', (threads) => {
    setKernelThreads(threads);
    for (const { weighted, f, label } of LAYOUTS) {
      const values = sparseArray(41, size(BIG, f), 0.5);
      const cot = sparseArray(42, size(BIG, f), 0.9);
      Object.assign(gatherReduceTuning, { transposeAfterUses: Number.MAX_SAFE_INTEGER });
      const graph = tensorsOf(BIG);
      const before = gatherReducePaths.scatter;
      const scatter = evaluate(graph, values, cot, f, weighted);
      expect(gatherReducePaths.scatter - before).toBe(1);
      tf.dispose(Object.values(graph));
      Object.assign(gatherReduceTuning, { transposeAfterUses: 1 });
      const graph2 = tensorsOf(BIG);
      const pull = evaluate(graph2, values, cot, f, weighted);
      tf.dispose(Object.values(graph2));
      expectSameRun(pull, scatter, label);
    }
  });

  it('the sparse path gives +0, as the dense sum does, for a single -0 term (zero weight, negative value)', () => {
    // Row 0: one term 0 * -2 = -0; row 1: -0 * 3 = -0 and a duplicate; row 2: -0 * -2 = +0, then 1 * 3.
    const g = graphOf('zero weights', [0, 1, 3, 5], [0, 1, 1, 0, 1], [0, -0, -0, -0, 1]);
    Object.assign(gatherReduceTuning, { minEdges: 0, transposeAfterUses: 1 });
    const runs = [-1, 1].map((density) => {
      gatherReduceTuning.sparseMaxDensity = density;
      const graph = tensorsOf(g);
      const run = evaluate(graph, Float32Array.from([-2, 3, 0]), Float32Array.from([-1, 0, 2]), 0, true);
      tf.dispose(Object.values(graph));
      return run;
    });
    expect(Array.from(runs[0].out).map((x) => Object.is(x, -0))).toEqual([false, false, false]);
    expectSameRun(runs[1], runs[0], 'sparse vs dense');
  });

  it('keeps the dense path when weights are not finite (w * 0 is NaN)', () => {
    const g = graphOf('inf', [0, 2, 3, 3], [1, 2, 0], [Infinity, 1, 2]);
    Object.assign(gatherReduceTuning, { minEdges: 0, transposeAfterUses: 1, sparseMaxDensity: 1 });
    const graph = tensorsOf(g);
    const run = evaluate(graph, Float32Array.from([1, 0, 0]), Float32Array.from([1, 1, 1]), 0, true);
    tf.dispose(Object.values(graph));
    expect(Array.from(run.out)).toEqual([NaN, 2, 0]);
  });

  it.each(SMALL.map((g) => ({ g, name: g.name })))('small graphs on the pool (thresholds at 0) match threads = 1 and the reference: $name', ({ g }) => {
    Object.assign(gatherReduceTuning, { minEdges: 0, transposeAfterUses: 1, parallelMarkMinEdges: 0 });
    for (const { weighted, f, label } of LAYOUTS) {
      const values = sparseArray(51 + g.n, size(g, f), 0.3);
      const cot = sparseArray(52 + g.n, size(g, f), 0.8);
      const runs: Run[] = [];
      for (const threads of [1, 2, 3]) {
        setKernelThreads(threads);
        for (const density of [-1, 1]) {
          gatherReduceTuning.sparseMaxDensity = density;
          const graph = tensorsOf(g);
          runs.push(evaluate(graph, values, cot, f, weighted));
          tf.dispose(Object.values(graph));
        }
      }
      runs.forEach((run, k) => expectSameRun(run, runs[0], `${label}, run ${k}`));
      const ref = tf.tidy(() => {
        const shape = f === 0 ? [g.n] : [g.n, f];
        const graph = tensorsOf(g);
        const csr: CsrTensors = weighted ? graph : { rowPtr: graph.rowPtr, colIdx: graph.colIdx };
        return Array.from(gatherReduceReference(tf.tensor(values, shape), csr).dataSync());
      });
      expectClose(runs[0].out, ref, `${label}: out vs reference`);
    }
  });

  it('gives the cpu bits on wasm, with and without threads', async () => {
    const values = sparseArray(61, BIG.n * 3, 0.4);
    const cot = sparseArray(62, BIG.n * 3, 1);
    const sparseValues = sparseArray(63, BIG.n, 0.002);
    const runAll = () => {
      const graph = tensorsOf(BIG);
      const runs = [
        evaluate(graph, values, cot, 3, true),
        evaluate(graph, sparseValues, sparseValues, 0, true),
        evaluate(graph, values.subarray(0, BIG.n), cot.subarray(0, BIG.n), 0, false),
      ];
      tf.dispose(Object.values(graph));
      return runs;
    };
    setKernelThreads(1);
    const expected = runAll();
    await tf.setBackend('wasm');
    for (const threads of [1, 2]) {
      setKernelThreads(threads);
      const sparseBefore = gatherReducePaths.sparse;
      runAll().forEach((run, k) => expectSameRun(run, expected[k], `wasm, ${threads} threads, run ${k}`));
      expect(gatherReducePaths.sparse).toBeGreaterThan(sparseBefore);
    }
  });

  it.each(['cpu', 'wasm'])('leaks no tensors or backend data on the pool (%s)', async (backend) => {
    await tf.setBackend(backend);
    setKernelThreads(2);
    const graph = tensorsOf(BIG);
    const values = sparseArray(71, BIG.n, 0.3);
    const sparse = sparseArray(72, BIG.n, 0.002);
    evaluate(graph, values, values, 0, true); // warm up: caches, transpose, pool
    const tensors = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    tf.tidy(() => {
      const csr = { rowPtr: graph.rowPtr, colIdx: graph.colIdx };
      for (const v of [values, sparse]) {
        tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(gatherReduce(a, { ...csr, weights: b as tf.Tensor1D })))([tf.tensor1d(v), graph.weights]);
        tf.grad((a: tf.Tensor) => tf.sum(gatherReduce(a, csr)))(tf.tensor1d(v));
      }
    });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    tf.dispose(Object.values(graph));
  });

  it('releases the cached copies of a graph once its tensors are disposed', () => {
    setKernelThreads(2);
    const values = sparseArray(91, BIG.n, 0.3);
    const kept: Required<CsrTensors>[] = [];
    for (let k = 0; k < 3; k++) {
      const graph = tensorsOf(BIG);
      kept.push(graph); // the tensor objects stay referenced: only disposal tells
      evaluate(graph, values, values, 0, true);
      tf.dispose(Object.values(graph));
    }
    expect(cachedGraphCount()).toBeLessThanOrEqual(1);
    expect(kept).toHaveLength(3);
  });

  it('keeps small calls on the calling thread (no pool is started)', async () => {
    await shutdownKernelThreads();
    setKernelThreads(2);
    const g = randomGraph(9, 2000, 8);
    const graph = tensorsOf(g);
    evaluate(graph, sparseArray(81, g.n, 0.5), sparseArray(82, g.n, 0.5), 0, true);
    tf.dispose(Object.values(graph));
    expect(kernelPoolStats().workers).toBe(0);
  });
});

// ---------------------------------------------------------------- process exit

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REPO_NODE_MODULES = path.resolve(SRC, '../../../node_modules');

/** Transpiles `entries` (paths under src/) and every module they import relatively into `outDir`. */
async function transpileClosure(entries: string[], outDir: string): Promise<void> {
  const seen = new Set<string>();
  const queue = entries.map((e) => path.join(SRC, e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = await readFile(file, 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: file,
    });
    const target = path.join(outDir, path.relative(SRC, file)).replace(/\.ts$/, '.js');
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, outputText);
    for (const m of outputText.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)\.js'/g)) {
      queue.push(path.resolve(path.dirname(file), `${m[1]}.ts`));
    }
  }
}

const CHILD = `
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's gradients and chained ops, as @populace/core registers them (it registers no kernel on import)
import '@populace/core';
import { gatherReduce } from './kernels/ops/gather-reduce.js';
import { gatherReduceKernels } from './kernels/cpu/gather-reduce.js';
import { GATHER_REDUCE_GRADIENTS } from './kernels/gradients/gather-reduce.js';
import { kernelPoolStats } from './kernels/pool/worker-pool.js';
await tf.setBackend('cpu');
for (const [kernelName, kernelFunc] of Object.entries(gatherReduceKernels('cpu'))) tf.registerKernel({ kernelName, backendName: 'cpu', kernelFunc });
for (const config of GATHER_REDUCE_GRADIENTS) tf.registerGradient(config);
const n = 100000, k = 4;
const rowPtr = new Int32Array(n + 1), colIdx = new Int32Array(n * k);
for (let i = 0; i < n; i++) { rowPtr[i + 1] = (i + 1) * k; for (let j = 0; j < k; j++) colIdx[i * k + j] = (i * 7919 + j * 104729) % n; }
const graph = { rowPtr: tf.tensor1d(rowPtr, 'int32'), colIdx: tf.tensor1d(colIdx, 'int32') };
const grad = tf.grad((v) => tf.sum(gatherReduce(v, graph)))(tf.ones([n]));
const sum = gatherReduce(tf.ones([n]), graph).sum().dataSync()[0];
console.log(JSON.stringify({ sum, grad: grad.sum().dataSync()[0], ...kernelPoolStats(), started: Date.now() }));
`;

describe('the worker pool and the process', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'populace-pool-'));
    await transpileClosure(['kernels/ops/gather-reduce.ts', 'kernels/cpu/gather-reduce.ts', 'kernels/gradients/gather-reduce.ts', 'kernels/pool/worker-pool.ts'], dir);
    if (existsSync(REPO_NODE_MODULES)) await symlink(REPO_NODE_MODULES, path.join(dir, 'node_modules'), 'dir');
    await writeFile(path.join(dir, 'child.mjs'), CHILD);
  });
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('does not keep the process alive: a child that used it exits by itself', async () => {
    const child = spawn(process.execPath, [path.join(dir, 'child.mjs')], {
      cwd: dir,
      env: { ...process.env, POPULACE_THREADS: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
      child.on('exit', (c, s) => resolve([c, s]));
    });
    const exited = Date.now();
    clearTimeout(killer);
    expect(signal, `killed: the process stayed alive\n${stderr}`).toBeNull();
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout.trim()) as { sum: number; grad: number; workers: number; parallelRuns: number; started: number };
    expect(report.sum).toBe(400_000);
    expect(report.grad).toBe(400_000);
    expect(report.workers).toBe(1); // POPULACE_THREADS=2: one worker beside the main thread
    expect(report.parallelRuns).toBeGreaterThan(0);
    expect(exited - report.started).toBeLessThan(5_000);
  });
});
