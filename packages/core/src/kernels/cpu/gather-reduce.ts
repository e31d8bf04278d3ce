/**
 * The gather-reduce (CSR message passing) kernels on cpu and wasm: forward,
 * d values (a pull over the transposed graph), d weights (a per-edge
 * product); their gradient is ../gradients/gather-reduce.ts.
 *
 * Small calls are plain loops on the calling thread. From `minEdges` edges,
 * the loops run on the kernel worker pool (../pool/worker-pool.ts) over shared
 * copies of the graph, cached per graph; the transposed graph is built (in
 * parallel, cached) on a graph's second use; and when few senders are
 * non-zero, only the rows they reach are computed (the sparse path). Every
 * path gives the bits of the one-thread dense loop: see ./gather-reduce-worker.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { execute, type Backends, type Info } from './backend-io.js';
import { packBinary } from './binary-bits.js';
import { GATHER_REDUCE_PROGRAM, type GatherReduceJob } from './gather-reduce-worker.js';
import {
  GATHER_REDUCE,
  GATHER_REDUCE_GRAD_VALUES,
  GATHER_REDUCE_GRAD_WEIGHTS,
  GATHER_REDUCE_UNWEIGHTED,
} from '../kernel-names.js';
import { isShared, poolThreads, runParallel, sharedFloat32, sharedInt32, workerReadable } from '../pool/worker-pool.js';
import { boundsOf, chunksFor, finiteWeights, gatherReducePaths, gatherReduceTuning, graphArrays, sharedGraph, sharedWeights, transposable, transposed, useGraph, weightsEntry, type GraphEntry } from './gather-reduce-graphs.js';

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

/** `binary`: the values may be bit-packed (one feature, finite weights) when they are all 0 or 1. */
function densePull(p: PullPlan, binary: boolean): void {
  gatherReducePaths.dense++;
  const { rp, ci, w, v, f, out } = p;
  const chunks = chunksFor(p.threads);
  const bits = binary && f === 1 && gatherReduceTuning.packBinary ? packBinary(v, p.n) : null;
  if (bits !== null) {
    gatherReducePaths.packed++;
    runParallel(GATHER_REDUCE_PROGRAM, { op: 'pullBits', rp, ci, w, bits, out, bounds: p.split(chunks) }, chunks);
    return;
  }
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

/**
 * Threads for a sparse pull from `nnz` senders: one below `sparseParallelMinEdges`
 * pushed edges, where copying the input and output for the workers costs more
 * than splitting the O(N) passes saves.
 */
const sparseThreads = (threads: number, nnz: number, g: GraphEntry): number =>
  (nnz * g.e) / Math.max(g.n, 1) >= gatherReduceTuning.sparseParallelMinEdges ? threads : 1;

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
    const opts = { sharedOutputs: threads > 1, sharedInputs: threads > 1 };
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
      // Sparse values: push from the non-zero senders over the transpose (built
      // on first need, so a graph used once never pays for it).
      const nnz = gatherReduceTuning.sparseMaxDensity > 0 && transposable(kind, g, rp, ci, threads) && finiteWeights(we, w)
        ? nonZeroRows(v, g.n, f, nzList(sparseCap(g.n)), sparseCap(g.n))
        : -1;
      const jobs = nnz >= 0 ? sparseThreads(threads, nnz, g) : threads;
      const dst = target(jobs, out!);
      const plan: PullPlan = { threads: jobs, n: g.n, f, rp, ci, w, v, out: dst, split: (parts) => boundsOf(g.bounds, rp, parts) };
      if (jobs > 1) {
        Object.assign(plan, sharedGraph(kind, g, rp, ci));
        plan.w = w === null ? null : sharedWeights(kind, we!, w);
        plan.v = workerReadable(v, 'gather-reduce/values');
      }
      if (nnz >= 0) {
        // The push needs the transposed weights for one feature only.
        const tWeights = we !== null && f === 1 ? { we, w: w! } : null;
        const t = transposed(kind, g, rp, ci, threads, tWeights);
        const mirror: Mirror = { rp: t.rp, ci: t.ci, w: tWeights === null ? null : we!.transposed };
        // Rows no sender reaches are zeroed by the job: outputs are not zero-initialised (see ../pool/shared-output-pool.ts).
        sparsePull(plan, mirror, nzList(sparseCap(g.n)), nnz, true);
      } else {
        densePull(plan, finiteWeights(we, w));
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
      if (graph.e < gatherReduceTuning.minEdges || !transposable(kind, graph, rp, ci, threads)) {
        gatherReducePaths[graph.e < gatherReduceTuning.minEdges ? 'small' : 'scatter']++;
        scatter64(rp, ci, w, g, f, out!);
        return;
      }
      const we = weights === undefined ? null : weightsEntry(graph, weights);
      const t = transposed(kind, graph, rp, ci, threads, we === null ? null : { we, w: w! });
      const tw = we === null ? null : we.transposed;
      const nnz = gatherReduceTuning.sparseMaxDensity > 0 && finiteWeights(we, w)
        ? nonZeroRows(g, graph.n, f, nzList(sparseCap(graph.n)), sparseCap(graph.n))
        : -1;
      const jobs = nnz >= 0 ? sparseThreads(threads, nnz, graph) : threads;
      const dst = target(jobs, out!);
      const v = jobs > 1 ? workerReadable(g, 'gather-reduce/values') : g;
      const plan: PullPlan = { threads: jobs, n: graph.n, f, rp: t.rp, ci: t.ci, w: tw, v, out: dst, split: (parts) => boundsOf(graph.tBounds, t.rp, parts) };
      if (nnz >= 0) {
        // Rows of the transpose touched by the non-zero dy[i] are the columns of row i.
        const a = graphArrays(kind, graph, rp, ci, jobs);
        const mw = w === null ? null : jobs > 1 ? sharedWeights(kind, we!, w) : w;
        sparsePull(plan, { rp: a.rp, ci: a.ci, w: mw }, nzList(sparseCap(graph.n)), nnz, true);
      } else {
        densePull(plan, false);
      }
      if (dst !== out) out!.set(dst);
    }, { sharedOutputs: threads > 1, sharedInputs: threads > 1 })[0]!;
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
      const sdy = workerReadable(g, 'gather-reduce/values');
      const sv = workerReadable(v, 'gather-reduce/values-2');
      const dst = target(threads, out!);
      const chunks = chunksFor(threads);
      const job: GatherReduceJob = { op: 'edgeGrad', rp: s.rp, ci: s.ci, dy: sdy, v: sv, f, out: dst, bounds: boundsOf(graph.bounds, rp, chunks) };
      runParallel(GATHER_REDUCE_PROGRAM, job, chunks);
      if (dst !== out) out!.set(dst);
    }, { sharedOutputs: threads > 1, sharedInputs: threads > 1 })[0]!;
  };

  return {
    [GATHER_REDUCE]: fwd,
    [GATHER_REDUCE_UNWEIGHTED]: fwd,
    [GATHER_REDUCE_GRAD_VALUES]: gradValues,
    [GATHER_REDUCE_GRAD_WEIGHTS]: gradWeights,
  };
}
