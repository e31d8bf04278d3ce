/**
 * CSR helpers of the parallel kernels: the transposed graph (a stable counting
 * sort, so each column lists its edges in increasing original edge order) and
 * the split of rows into chunks of about equal edge counts.
 */
import { sharedFloat32, sharedInt32 } from './worker-pool.js';

/** A CSR graph's transpose: row `j` of it lists the rows of the original that have column `j`. */
export interface TransposedCsr {
  /** int32 `[N + 1]`, on a SharedArrayBuffer. */
  readonly rp: Int32Array;
  /** int32 `[E]`, on a SharedArrayBuffer: the original row of each transposed edge. */
  readonly ci: Int32Array;
}

/**
 * Transposes a square CSR graph (`n` rows, columns in `[0, n)`). Transposed row
 * `j` holds the edges with `ci[e] = j` in increasing `e`, so a sum over it in
 * order adds the same terms in the same order as a scatter over the edges.
 */
export function transposeCsr(n: number, rp: Int32Array, ci: Int32Array): TransposedCsr {
  const e = ci.length;
  const trp = sharedInt32(n + 1);
  for (let k = 0; k < e; k++) trp[ci[k] + 1]++;
  for (let j = 0; j < n; j++) trp[j + 1] += trp[j];
  const next = trp.slice(0, n);
  const tci = sharedInt32(e);
  for (let i = 0; i < n; i++) {
    const end = rp[i + 1];
    for (let k = rp[i]; k < end; k++) tci[next[ci[k]]++] = i;
  }
  return { rp: trp, ci: tci };
}

/** The edge weights `w` (in original edge order) in the transposed order of {@link transposeCsr}. */
export function transposeWeights(n: number, ci: Int32Array, t: TransposedCsr, w: Float32Array): Float32Array {
  const next = t.rp.slice(0, n);
  const tw = sharedFloat32(ci.length);
  for (let k = 0; k < ci.length; k++) tw[next[ci[k]]++] = w[k];
  return tw;
}

/**
 * Splits rows `[0, N)` into `parts` contiguous chunks of about `E / parts`
 * edges each: chunk `t` is rows `[b[t], b[t + 1])`. A row is never split.
 */
export function rowBounds(rp: Int32Array, parts: number): Int32Array {
  const n = rp.length - 1;
  const e = rp[n];
  const b = new Int32Array(parts + 1);
  b[parts] = n;
  for (let t = 1; t < parts; t++) {
    const target = Math.floor((e * t) / parts);
    let lo = b[t - 1];
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rp[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    b[t] = lo;
  }
  return b;
}
