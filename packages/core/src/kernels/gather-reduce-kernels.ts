/**
 * The gather-reduce (CSR message passing) kernels on cpu and wasm: forward,
 * the transposed scatter for d values, the per-edge product for d weights,
 * and their backend-independent gradient.
 */
import * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { PopulaceError } from '../errors.js';
import { execute, type Backends, type Info } from './backend-io.js';
import { rowBounds, transposeCsr, type TransposedCsr } from './csr-transpose.js';
import { GATHER_REDUCE_PROGRAM, type GatherReduceJob } from './gather-reduce-worker.js';
import {
  GATHER_REDUCE,
  GATHER_REDUCE_GRAD_VALUES,
  GATHER_REDUCE_GRAD_WEIGHTS,
  GATHER_REDUCE_UNWEIGHTED,
} from './kernel-names.js';
import { isShared, poolThreads, runParallel, sharedFloat32, sharedInt32 } from './worker-pool.js';

// ---------------------------------------------------------------- tuning

/**
 * Thresholds of the gather-reduce kernels (internal; tests and benchmarks
 * change them). No choice made here changes a result's bits: every path sums
 * a row's terms in CSR edge order in float64 and rounds once.
 */
export const gatherReduceTuning = {
  /**
   * Calls over at least this many edges run on the worker pool, and use the
   * cached transposed graph for the backward pass and the sparse forward.
   * Below it a call is a plain single-threaded loop over the backend's arrays.
   * Measured on 2 cores (random graph, 10 contacts): 2 threads lose at 50k
   * edges (0.16 vs 0.12 ms), win from 100k (0.28 vs 0.37 ms) and 200k (0.50 vs 0.74 ms).
   */
  minEdges: 100_000,
  /**
   * The sparse forward (and backward) runs when at most this fraction of the
   * senders is non-zero (one O(N) scan decides, stopping early); <= 0 never.
   * Measured at 1M x 10 (1 and 2 threads): sparse wins at 2% (26 vs 48 ms,
   * 16 vs 24 ms), loses at 5% (53 vs 43 ms, 30 vs 24 ms).
   */
  sparseMaxDensity: 0.03,
  /**
   * The transposed graph is built on this use of a graph (forward or backward
   * calls): 2 spares graphs used once (rebuilt every step) its O(E) cost.
   */
  transposeAfterUses: 2,
  /** The sparse path (several features) marks rows on the pool when the non-zero senders have at least this many edges. */
  parallelMarkMinEdges: 50_000,
  /**
   * Chunks per thread of a parallel loop: threads claim chunks as they go, so
   * a thread the OS deschedules holds the call up by one chunk, not its share.
   */
  chunksPerThread: 4,
};

/** Chunks for a loop on `threads` threads. */
const chunksFor = (threads: number): number => (threads === 1 ? 1 : threads * gatherReduceTuning.chunksPerThread);

/**
 * How often each path ran (internal; tests check that the path they mean ran):
 * `small` (below `minEdges`), `dense` and `sparse` pulls, `scatter` (a
 * backward before the transpose exists).
 */
export const gatherReducePaths = { small: 0, dense: 0, sparse: 0, scatter: 0 };

// ---------------------------------------------------------------- graph cache
// tfjs data is immutable, so everything derived from a graph (its validity,
// shared copies, transpose, row split) is cached on the data ids of
// (rowPtr, colIdx), and what depends on the weights on their data id: a
// static contact graph reused every step is checked and copied once.

interface WeightsEntry {
  shared: Float32Array | null;
  transposed: Float32Array | null;
  finite: boolean | null;
}

interface GraphEntry {
  readonly rowPtrId: object;
  readonly n: number;
  readonly e: number;
  uses: number;
  shared: { rp: Int32Array; ci: Int32Array } | null;
  transposed: TransposedCsr | null;
  readonly bounds: Map<number, Int32Array>;
  readonly tBounds: Map<number, Int32Array>;
  readonly weights: WeakMap<object, WeightsEntry>;
}

const graphs = new WeakMap<object, GraphEntry>();

/**
 * Graphs holding cached arrays (copies, transposes: as large as the graph),
 * so they can be released once the graph's tensors are disposed even while
 * the tensor objects (and so the WeakMap keys) are still referenced.
 */
const cachedGraphs: { key: WeakRef<object>; entry: GraphEntry; alive: (dataId: object) => boolean }[] = [];

function releaseDisposedGraphs(): void {
  for (let k = cachedGraphs.length - 1; k >= 0; k--) {
    const { key, entry, alive } = cachedGraphs[k];
    const id = key.deref();
    if (id !== undefined && alive(id)) continue;
    entry.shared = null;
    entry.transposed = null;
    cachedGraphs.splice(k, 1);
    if (id !== undefined) graphs.delete(id);
  }
}

/** Internal, for tests: how many graphs hold cached arrays. */
export const cachedGraphCount = (): number => cachedGraphs.length;

/** Whether `backend` still holds data for a data id. */
function holds(kind: Backends, backend: object): (dataId: object) => boolean {
  const store = kind === 'cpu' ? (backend as MathBackendCPU).data : (backend as BackendWasm).dataIdMap;
  return (dataId) => store.has(dataId);
}

function checkGraph(rp: Int32Array, ci: Int32Array): void {
  const n = rp.length - 1;
  const bad = (what: string, details: Record<string, unknown>): never => {
    throw new PopulaceError('invalid-argument', `gatherReduce: invalid CSR graph: ${what}.`, { details });
  };
  if (rp[0] !== 0) bad(`expected rowPtr[0] = 0, received ${rp[0]}`, { rowPtr0: rp[0] });
  for (let i = 0; i < n; i++) {
    if (rp[i + 1] < rp[i]) bad(`expected rowPtr non-decreasing, received rowPtr[${i + 1}] = ${rp[i + 1]} < rowPtr[${i}] = ${rp[i]}`, { row: i });
  }
  if (rp[n] !== ci.length) bad(`expected rowPtr[N] = E = ${ci.length}, received ${rp[n]}`, { rowPtrLast: rp[n], edges: ci.length });
  for (let e = 0; e < ci.length; e++) {
    const c = ci[e];
    if (c < 0 || c >= n) bad(`expected colIdx in [0, ${n}), received colIdx[${e}] = ${c}`, { edge: e, colIdx: c });
  }
}

/** The cache entry of a graph, checking the graph on first sight; counts one use. */
function useGraph(kind: Backends, backend: object, rowPtr: Info, colIdx: Info, rp: Int32Array, ci: Int32Array): GraphEntry {
  let entry = graphs.get(colIdx.dataId);
  if (entry === undefined || entry.rowPtrId !== rowPtr.dataId) {
    checkGraph(rp, ci);
    releaseDisposedGraphs();
    entry = {
      rowPtrId: rowPtr.dataId,
      n: rp.length - 1,
      e: ci.length,
      uses: 0,
      shared: null,
      transposed: null,
      bounds: new Map(),
      tBounds: new Map(),
      weights: new WeakMap(),
    };
    graphs.set(colIdx.dataId, entry);
    if (entry.e >= gatherReduceTuning.minEdges) cachedGraphs.push({ key: new WeakRef(colIdx.dataId), entry, alive: holds(kind, backend) });
  }
  entry.uses++;
  return entry;
}

function copyShared<T extends Int32Array | Float32Array>(kind: Backends, a: T, make: (n: number) => T): T {
  // cpu data already on shared memory (e.g. a graph built on SharedArrayBuffers) is used as is.
  if (kind === 'cpu' && isShared(a)) return a;
  const s = make(a.length);
  s.set(a);
  return s;
}

function sharedGraph(kind: Backends, g: GraphEntry, rp: Int32Array, ci: Int32Array): { rp: Int32Array; ci: Int32Array } {
  g.shared ??= { rp: copyShared(kind, rp, sharedInt32), ci: copyShared(kind, ci, sharedInt32) };
  return g.shared;
}

function weightsEntry(g: GraphEntry, weights: Info): WeightsEntry {
  let entry = g.weights.get(weights.dataId);
  if (entry === undefined) {
    entry = { shared: null, transposed: null, finite: null };
    g.weights.set(weights.dataId, entry);
  }
  return entry;
}

function sharedWeights(kind: Backends, we: WeightsEntry, w: Float32Array): Float32Array {
  we.shared ??= copyShared(kind, w, sharedFloat32);
  return we.shared;
}

/** Whether all weights are finite (else w * 0 is NaN and skipping zero senders would change results). */
function finiteWeights(we: WeightsEntry | null, w: Float32Array | null): boolean {
  if (we === null || w === null) return true;
  if (we.finite === null) {
    let ok = true;
    for (let e = 0; e < w.length; e++) {
      const x = w[e];
      if (x - x !== 0) { ok = false; break; }
    }
    we.finite = ok;
  }
  return we.finite;
}

/** Whether the graph has (or may now build) its transpose: from its `transposeAfterUses`-th use on. */
const transposable = (g: GraphEntry): boolean => g.transposed !== null || g.uses >= gatherReduceTuning.transposeAfterUses;

/** The graph's arrays for `threads` jobs: its shared copies when there are workers. */
function graphArrays(kind: Backends, g: GraphEntry, rp: Int32Array, ci: Int32Array, threads: number): { rp: Int32Array; ci: Int32Array } {
  return threads > 1 ? sharedGraph(kind, g, rp, ci) : { rp, ci };
}

/**
 * The transposed graph (built on first need, on `threads` threads) and, with
 * `weights`, the transposed weights too (in the same pass when both are new).
 */
function transposed(
  kind: Backends,
  g: GraphEntry,
  rp: Int32Array,
  ci: Int32Array,
  threads: number,
  weights: { we: WeightsEntry; w: Float32Array } | null,
): TransposedCsr {
  const needW = weights !== null && weights.we.transposed === null;
  if (g.transposed === null || needW) {
    const a = graphArrays(kind, g, rp, ci, threads);
    const w = !needW ? null : threads > 1 ? sharedWeights(kind, weights.we, weights.w) : weights.w;
    const input = { n: g.n, rp: a.rp, ci: a.ci, w, bounds: boundsOf(g.bounds, a.rp, chunksFor(threads)) };
    const { t, tw } = transposeCsr(input, g.transposed);
    g.transposed = t;
    if (needW) weights.we.transposed = tw;
  }
  return g.transposed;
}

function boundsOf(cache: Map<number, Int32Array>, rp: Int32Array, parts: number): Int32Array {
  let b = cache.get(parts);
  if (b === undefined) {
    b = rowBounds(rp, parts);
    cache.set(parts, b);
  }
  return b;
}

// ---------------------------------------------------------------- scratch
// Grow-only shared buffers for per-call copies (kernels are synchronous and
// run on one thread, so one set suffices). `mark` is all zeros between calls.

const scratch: (Float32Array | null)[] = [null, null, null];
let markScratch: Uint8Array | null = null;
let nzScratch: Int32Array | null = null;

function scratchF32(slot: number, n: number): Float32Array {
  let s = scratch[slot];
  if (s === null || s.length < n) {
    s = sharedFloat32(n);
    scratch[slot] = s;
  }
  return s.subarray(0, n);
}

function marks(n: number): Uint8Array {
  if (markScratch === null || markScratch.length < n) markScratch = new Uint8Array(new SharedArrayBuffer(n));
  return markScratch;
}

/** The most non-zero senders the sparse path takes for `n` agents. */
const sparseCap = (n: number): number => Math.floor(n * Math.min(gatherReduceTuning.sparseMaxDensity, 1));

function nzList(n: number): Int32Array {
  if (nzScratch === null || nzScratch.length < n) nzScratch = sharedInt32(n);
  return nzScratch;
}

/** `a` itself when workers can see it, else a copy in scratch slot `slot`. */
function sharedInput(kind: Backends, a: Float32Array, slot: number): Float32Array {
  if (kind === 'cpu' && isShared(a)) return a;
  const s = scratchF32(slot, a.length);
  s.set(a);
  return s;
}

// ---------------------------------------------------------------- loops

/** Runs `job` as one chunk on the calling thread (its `bounds` cover everything). */
function runLocal(job: GatherReduceJob): void {
  runParallel(GATHER_REDUCE_PROGRAM, job, 1);
}

/**
 * Lists the rows of `v` (`[n, f]`) with a non-zero entry into `nz`; returns
 * their count, or -1 as soon as there are more than `cap`.
 */
function nonZeroRows(v: Float32Array, n: number, f: number, nz: Int32Array, cap: number): number {
  let c = 0;
  if (f === 1) {
    for (let i = 0; i < n; i++) {
      if (v[i] !== 0) {
        if (c === cap) return -1;
        nz[c++] = i;
      }
    }
    return c;
  }
  for (let i = 0; i < n; i++) {
    for (let k = i * f, end = k + f; k < end; k++) {
      if (v[k] !== 0) {
        if (c === cap) return -1;
        nz[c++] = i;
        break;
      }
    }
  }
  return c;
}

/**
 * The single-threaded backward for graphs without a transpose: a scatter into
 * float64 accumulators in edge order, then one rounding. Column j receives
 * exactly the terms, in exactly the order, that the pull over the transposed
 * graph adds for row j, so both give the same bits.
 */
function scatter64(rp: Int32Array, ci: Int32Array, w: Float32Array | null, dy: Float32Array, f: number, out: Float32Array): void {
  const n = rp.length - 1;
  const acc = new Float64Array(out.length);
  if (f === 1) {
    for (let i = 0; i < n; i++) {
      const end = rp[i + 1];
      const g = dy[i];
      if (w === null) for (let e = rp[i]; e < end; e++) acc[ci[e]] += g;
      else for (let e = rp[i]; e < end; e++) acc[ci[e]] += w[e] * g;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const end = rp[i + 1];
      const o = i * f;
      for (let e = rp[i]; e < end; e++) {
        const we = w === null ? 1 : w[e];
        const s = ci[e] * f;
        for (let k = 0; k < f; k++) acc[s + k] += we * dy[o + k];
      }
    }
  }
  out.set(acc);
}

/** A pull over a graph, and what the sparse variant needs: the mirror graph that maps senders to rows. */
interface PullPlan {
  threads: number;
  n: number;
  f: number;
  rp: Int32Array;
  ci: Int32Array;
  w: Float32Array | null;
  /** The rows split into `parts` chunks of about equal edge counts (cached). */
  split: (parts: number) => Int32Array;
  v: Float32Array;
  out: Float32Array;
}

function densePull(p: PullPlan): void {
  gatherReducePaths.dense++;
  const { rp, ci, w, v, f, out } = p;
  const chunks = chunksFor(p.threads);
  runParallel(GATHER_REDUCE_PROGRAM, { op: 'pull', rp, ci, w, v, f, out, bounds: p.split(chunks) }, chunks);
}

/** A graph as seen from the senders: for each sender, the rows it reaches, with the weights in that order. */
interface Mirror {
  rp: Int32Array;
  ci: Int32Array;
  w: Float32Array | null;
}

/**
 * The pull restricted to the rows that have a non-zero sender (the `nnz`
 * senders listed in `nz`), found by pushing from them over `mirror`. Gives
 * the dense pull's bits: see the `push` and `pullMarked` jobs. `zero`: `out`
 * is not known to be zeros already.
 */
function sparsePull(p: PullPlan, mirror: Mirror, nz: Int32Array, nnz: number, zero: boolean): void {
  gatherReducePaths.sparse++;
  const { rp, ci, w, v, f, out, n } = p;
  const mark = marks(n);
  try {
    if (f === 1) {
      // One chunk per thread: each scans all the pushes and keeps those into its rows.
      const job: GatherReduceJob = { op: 'push', rp, ci, w, qrp: mirror.rp, qci: mirror.ci, qw: mirror.w, v, nz, nnz, count: mark, out, zero, bounds: p.split(p.threads) };
      runParallel(GATHER_REDUCE_PROGRAM, job, p.threads);
      return;
    }
    // Several features: mark the reached rows, then pull them in full.
    const markEdges = nnz === 0 ? 0 : (nnz * ci.length) / Math.max(n, 1);
    const parts = markEdges >= gatherReduceTuning.parallelMarkMinEdges ? chunksFor(p.threads) : 1;
    const nzBounds = Int32Array.from({ length: parts + 1 }, (_, t) => Math.floor((nnz * t) / parts));
    runParallel(GATHER_REDUCE_PROGRAM, { op: 'mark', rp: mirror.rp, ci: mirror.ci, nz, mark, bounds: nzBounds }, parts);
    const chunks = chunksFor(p.threads);
    runParallel(GATHER_REDUCE_PROGRAM, { op: 'pullMarked', rp, ci, w, v, f, out, mark, bounds: p.split(chunks) }, chunks);
  } catch (err) {
    mark.fill(0, 0, n);
    throw err;
  }
}

const features = (shape: number[]): number => (shape.length === 2 ? shape[1] : 1);
const edgesOf = (colIdx: Info): number => colIdx.shape[0] ?? 0;
/** Threads for a call over `edges` edges (starts the pool the first time it is worth it). */
const threadsFor = (edges: number): number => (edges >= gatherReduceTuning.minEdges ? poolThreads() : 1);

/** The gather-reduce kernel functions of one backend. */
export function gatherReduceKernels(kind: Backends): Record<string, tf.KernelFunc> {
  /** Where a parallel call writes: `out` itself when workers can write it, else a scratch buffer copied out after. */
  const target = (threads: number, out: Float32Array): Float32Array => (threads > 1 && !isShared(out) ? scratchF32(2, out.length) : out);

  const fwd: tf.KernelFunc = ({ inputs, backend }) => {
    const { values, rowPtr, colIdx, weights } = inputs as Record<string, Info>;
    const threads = threadsFor(edgesOf(colIdx));
    const opts = { sharedOutputs: threads > 1 };
    return execute(kind, backend, [values, rowPtr, colIdx, weights], [values.shape.slice()], (ins, [out]) => {
      const [v, rp, ci, w] = ins as [Float32Array, Int32Array, Int32Array, Float32Array | null];
      const g = useGraph(kind, backend, rowPtr, colIdx, rp, ci);
      const f = features(values.shape);
      if (g.e < gatherReduceTuning.minEdges) {
        gatherReducePaths.small++;
        runLocal({ op: 'pull', rp, ci, w, v, f, out: out!, bounds: Int32Array.of(0, g.n) });
        return;
      }
      const we = weights === undefined ? null : weightsEntry(g, weights);
      const dst = target(threads, out!);
      const plan: PullPlan = { threads, n: g.n, f, rp, ci, w, v, out: dst, split: (parts) => boundsOf(g.bounds, rp, parts) };
      if (threads > 1) {
        Object.assign(plan, sharedGraph(kind, g, rp, ci));
        plan.w = w === null ? null : sharedWeights(kind, we!, w);
        plan.v = sharedInput(kind, v, 0);
      }
      // Sparse values: push from the non-zero senders over the transpose (built
      // on first need, so a graph used once never pays for it).
      const nnz = gatherReduceTuning.sparseMaxDensity > 0 && transposable(g) && finiteWeights(we, w)
        ? nonZeroRows(v, g.n, f, nzList(sparseCap(g.n)), sparseCap(g.n))
        : -1;
      if (nnz >= 0) {
        // The push needs the transposed weights for one feature only.
        const tWeights = we !== null && f === 1 ? { we, w: w! } : null;
        const t = transposed(kind, g, rp, ci, threads, tWeights);
        const mirror: Mirror = { rp: t.rp, ci: t.ci, w: tWeights === null ? null : we!.transposed };
        sparsePull(plan, mirror, nzList(sparseCap(g.n)), nnz, !(kind === 'cpu' && dst === out));
      } else {
        densePull(plan);
      }
      if (dst !== out) out!.set(dst);
    }, opts)[0]!;
  };

  const gradValues: tf.KernelFunc = ({ inputs, backend }) => {
    const { dy, rowPtr, colIdx, weights } = inputs as Record<string, Info>;
    const threads = threadsFor(edgesOf(colIdx));
    return execute(kind, backend, [dy, rowPtr, colIdx, weights], [dy.shape.slice()], (ins, [out]) => {
      const [g, rp, ci, w] = ins as [Float32Array, Int32Array, Int32Array, Float32Array | null];
      const graph = useGraph(kind, backend, rowPtr, colIdx, rp, ci);
      const f = features(dy.shape);
      if (graph.e < gatherReduceTuning.minEdges || !transposable(graph)) {
        gatherReducePaths[graph.e < gatherReduceTuning.minEdges ? 'small' : 'scatter']++;
        scatter64(rp, ci, w, g, f, out!);
        return;
      }
      const we = weights === undefined ? null : weightsEntry(graph, weights);
      const t = transposed(kind, graph, rp, ci, threads, we === null ? null : { we, w: w! });
      const tw = we === null ? null : we.transposed;
      const dst = target(threads, out!);
      const v = threads > 1 ? sharedInput(kind, g, 0) : g;
      const plan: PullPlan = { threads, n: graph.n, f, rp: t.rp, ci: t.ci, w: tw, v, out: dst, split: (parts) => boundsOf(graph.tBounds, t.rp, parts) };
      const nnz = gatherReduceTuning.sparseMaxDensity > 0 && finiteWeights(we, w)
        ? nonZeroRows(g, graph.n, f, nzList(sparseCap(graph.n)), sparseCap(graph.n))
        : -1;
      if (nnz >= 0) {
        // Rows of the transpose touched by the non-zero dy[i] are the columns of row i.
        const a = graphArrays(kind, graph, rp, ci, threads);
        const mw = w === null ? null : threads > 1 ? sharedWeights(kind, we!, w) : w;
        sparsePull(plan, { rp: a.rp, ci: a.ci, w: mw }, nzList(sparseCap(graph.n)), nnz, !(kind === 'cpu' && dst === out));
      } else {
        densePull(plan);
      }
      if (dst !== out) out!.set(dst);
    }, { sharedOutputs: threads > 1 })[0]!;
  };

  const gradWeights: tf.KernelFunc = ({ inputs, backend }) => {
    const { dy, values, rowPtr, colIdx } = inputs as Record<string, Info>;
    const threads = threadsFor(edgesOf(colIdx));
    return execute(kind, backend, [dy, values, rowPtr, colIdx], [colIdx.shape.slice()], (ins, [out]) => {
      const [g, v, rp, ci] = ins as [Float32Array, Float32Array, Int32Array, Int32Array];
      const graph = useGraph(kind, backend, rowPtr, colIdx, rp, ci);
      const f = features(dy.shape);
      if (threads === 1 || graph.e < gatherReduceTuning.minEdges) {
        gatherReducePaths.small++;
        runLocal({ op: 'edgeGrad', rp, ci, dy: g, v, f, out: out!, bounds: Int32Array.of(0, graph.n) });
        return;
      }
      const s = sharedGraph(kind, graph, rp, ci);
      const sdy = sharedInput(kind, g, 0);
      const sv = sharedInput(kind, v, 1);
      const dst = target(threads, out!);
      const chunks = chunksFor(threads);
      const job: GatherReduceJob = { op: 'edgeGrad', rp: s.rp, ci: s.ci, dy: sdy, v: sv, f, out: dst, bounds: boundsOf(graph.bounds, rp, chunks) };
      runParallel(GATHER_REDUCE_PROGRAM, job, chunks);
      if (dst !== out) out!.set(dst);
    }, { sharedOutputs: threads > 1 })[0]!;
  };

  return {
    [GATHER_REDUCE]: fwd,
    [GATHER_REDUCE_UNWEIGHTED]: fwd,
    [GATHER_REDUCE_GRAD_VALUES]: gradValues,
    [GATHER_REDUCE_GRAD_WEIGHTS]: gradWeights,
  };
}

// ---------------------------------------------------------------- gradients

/**
 * Saved tensors are `[values, rowPtr, colIdx, weights?]`. The integer graph
 * inputs get float32 zeros: tfjs checks that every gradient it computes is
 * float32, and asks for them only when an int input lies on the path from `x`.
 */
const gradFunc: tf.GradFunc = (dy, saved) => {
  const [values, rowPtr, colIdx, weights] = saved;
  const g = dy as tf.Tensor;
  const grads: ReturnType<tf.GradFunc> = {
    values: () => {
      const ins: tf.NamedTensorMap = weights === undefined ? { dy: g, rowPtr, colIdx } : { dy: g, rowPtr, colIdx, weights };
      return tf.engine().runKernel<tf.Tensor>(GATHER_REDUCE_GRAD_VALUES, ins, {});
    },
    rowPtr: () => tf.zeros(rowPtr.shape, 'float32'),
    colIdx: () => tf.zeros(colIdx.shape, 'float32'),
  };
  if (weights !== undefined) {
    grads.weights = () =>
      tf.engine().runKernel<tf.Tensor>(GATHER_REDUCE_GRAD_WEIGHTS, { dy: g, values, rowPtr, colIdx }, {});
  }
  return grads;
};

/** Gradients of the gather-reduce kernels. */
export const GATHER_REDUCE_GRADIENTS: tf.GradConfig[] = [
  { kernelName: GATHER_REDUCE, inputsToSave: ['values', 'rowPtr', 'colIdx', 'weights'], gradFunc },
  { kernelName: GATHER_REDUCE_UNWEIGHTED, inputsToSave: ['values', 'rowPtr', 'colIdx'], gradFunc },
];

