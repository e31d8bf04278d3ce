/**
 * What the gather-reduce kernels derive from a graph, cached on the data ids of
 * its tensors (validity, shared copies, the transpose, row splits), and the
 * tuning thresholds of the kernels.
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { PopulaceError } from '../../errors.js';
import type { Backends, Info } from './backend-io.js';
import { rowBounds, selfTranspose, transposeCsr, type TransposedCsr } from './csr-transpose.js';
import { isShared, sharedFloat32, sharedInt32 } from '../pool/worker-pool.js';

// ---------------------------------------------------------------- tuning

/**
 * Thresholds of the gather-reduce kernels (internal; tests and benchmarks
 * change them). No choice made here changes a result's bits: every path sums
 * a row's terms in CSR edge order in float64 and rounds once (or, for a row
 * with a single non-zero term, computes `0 + term`, which is that sum).
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
  /**
   * The sparse path runs on the pool when the non-zero senders have at least
   * this many edges (1M x 10, 2 threads vs 1: 0.1% non-zero, 10k edges: cpu
   * 4.4 vs 4.7 ms, wasm 10.5 vs 6.9 ms; 1%, 100k edges: cpu 9.8 vs 14.9 ms).
   */
  sparseParallelMinEdges: 50_000,
  /**
   * The dense forward over one feature packs values that are all 0 or 1 into
   * bits first (one O(N) pass), so its random reads hit 1/32 of the memory.
   * Measured at 8.4M x 10, 2 threads: see bench/README.md. false: never.
   */
  packBinary: true,
  /** The sparse path (several features) marks rows on the pool when the non-zero senders have at least this many edges. */
  parallelMarkMinEdges: 50_000,
  /**
   * Chunks per thread of a parallel loop: threads claim chunks as they go, so
   * a thread the OS deschedules holds the call up by one chunk, not its share.
   */
  chunksPerThread: 4,
};

/** Chunks for a loop on `threads` threads. */
export const chunksFor = (threads: number): number => (threads === 1 ? 1 : threads * gatherReduceTuning.chunksPerThread);

/**
 * How often each path ran (internal; tests check that the path they mean ran):
 * `small` (below `minEdges`), `dense` and `sparse` pulls, `scatter` (a
 * backward before the transpose exists).
 */
export const gatherReducePaths = { small: 0, dense: 0, packed: 0, sparse: 0, scatter: 0 };

// ---------------------------------------------------------------- graph cache
// tfjs data is immutable, so everything derived from a graph (its validity,
// shared copies, transpose, row split) is cached on the data ids of
// (rowPtr, colIdx), and what depends on the weights on their data id: a
// static contact graph reused every step is checked and copied once.

export interface WeightsEntry {
  shared: Float32Array | null;
  transposed: Float32Array | null;
  finite: boolean | null;
}

export interface GraphEntry {
  readonly rowPtrId: object;
  readonly n: number;
  readonly e: number;
  uses: number;
  shared: { rp: Int32Array; ci: Int32Array } | null;
  transposed: TransposedCsr | null;
  /** Whether the graph is its own transpose (see selfTranspose); null until checked. */
  self: 'all' | 'structure' | 'no' | null;
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
export const cachedGraphs: { key: WeakRef<object>; entry: GraphEntry; alive: (dataId: object) => boolean }[] = [];

export function releaseDisposedGraphs(): void {
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
export function holds(kind: Backends, backend: object): (dataId: object) => boolean {
  const store = kind === 'cpu' ? (backend as MathBackendCPU).data : (backend as BackendWasm).dataIdMap;
  return (dataId) => store.has(dataId);
}

export function checkGraph(rp: Int32Array, ci: Int32Array): void {
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
export function useGraph(kind: Backends, backend: object, rowPtr: Info, colIdx: Info, rp: Int32Array, ci: Int32Array): GraphEntry {
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
      self: null,
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

export function copyShared<T extends Int32Array | Float32Array>(kind: Backends, a: T, make: (n: number) => T): T {
  // cpu data already on shared memory (e.g. a graph built on SharedArrayBuffers) is used as is.
  if (kind === 'cpu' && isShared(a)) return a;
  const s = make(a.length);
  s.set(a);
  return s;
}

export function sharedGraph(kind: Backends, g: GraphEntry, rp: Int32Array, ci: Int32Array): { rp: Int32Array; ci: Int32Array } {
  g.shared ??= { rp: copyShared(kind, rp, sharedInt32), ci: copyShared(kind, ci, sharedInt32) };
  return g.shared;
}

export function weightsEntry(g: GraphEntry, weights: Info): WeightsEntry {
  let entry = g.weights.get(weights.dataId);
  if (entry === undefined) {
    entry = { shared: null, transposed: null, finite: null };
    g.weights.set(weights.dataId, entry);
  }
  return entry;
}

export function sharedWeights(kind: Backends, we: WeightsEntry, w: Float32Array): Float32Array {
  we.shared ??= copyShared(kind, w, sharedFloat32);
  return we.shared;
}

/** Whether all weights are finite (else w * 0 is NaN and skipping zero senders would change results). */
export function finiteWeights(we: WeightsEntry | null, w: Float32Array | null): boolean {
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

/**
 * Checks once whether the graph is its own transpose (an undirected layer stored both ways with
 * sorted rows: see selfTranspose), on `threads` threads; if so it becomes its transpose.
 */
function checkSelf(kind: Backends, g: GraphEntry, rp: Int32Array, ci: Int32Array, threads: number): void {
  if (g.self !== null) return;
  const a = graphArrays(kind, g, rp, ci, threads);
  g.self = selfTranspose(a.rp, a.ci, null, boundsOf(g.bounds, a.rp, chunksFor(threads)));
  if (g.self !== 'no') g.transposed = sharedGraph(kind, g, rp, ci);
}

/**
 * Whether the graph has (or may now build) its transpose: at once when it is its own transpose
 * (checked on first need), else from its `transposeAfterUses`-th use on.
 */
export function transposable(kind: Backends, g: GraphEntry, rp: Int32Array, ci: Int32Array, threads: number): boolean {
  if (g.transposed !== null) return true;
  checkSelf(kind, g, rp, ci, threads);
  return g.self !== 'no' || g.uses >= gatherReduceTuning.transposeAfterUses;
}

/** The graph's arrays for `threads` jobs: its shared copies when there are workers. */
export function graphArrays(kind: Backends, g: GraphEntry, rp: Int32Array, ci: Int32Array, threads: number): { rp: Int32Array; ci: Int32Array } {
  return threads > 1 ? sharedGraph(kind, g, rp, ci) : { rp, ci };
}

/**
 * The transposed graph (built on first need, on `threads` threads) and, with
 * `weights`, the transposed weights too (in the same pass when both are new).
 */
export function transposed(
  kind: Backends,
  g: GraphEntry,
  rp: Int32Array,
  ci: Int32Array,
  threads: number,
  weights: { we: WeightsEntry; w: Float32Array } | null,
): TransposedCsr {
  const needW = weights !== null && weights.we.transposed === null;
  // An undirected layer stored both ways is its own transpose: use it, build nothing.
  checkSelf(kind, g, rp, ci, threads);
  if (needW && g.self !== 'no') {
    const a = graphArrays(kind, g, rp, ci, threads);
    const w = threads > 1 ? sharedWeights(kind, weights.we, weights.w) : weights.w;
    if (selfTranspose(a.rp, a.ci, w, boundsOf(g.bounds, a.rp, chunksFor(threads))) === 'all') {
      weights.we.transposed = sharedWeights(kind, weights.we, weights.w);
      return g.transposed!;
    }
  }
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

export function boundsOf(cache: Map<number, Int32Array>, rp: Int32Array, parts: number): Int32Array {
  let b = cache.get(parts);
  if (b === undefined) {
    b = rowBounds(rp, parts);
    cache.set(parts, b);
  }
  return b;
}

