/**
 * The gather-reduce loops that run in parallel: one JavaScript source,
 * compiled on the calling thread and in every worker of the kernel pool, so
 * all threads run identical code. Every output element is written by exactly
 * one job, and every sum runs over a row's edges in CSR order with a float64
 * accumulator, rounded to float32 once: results are the same bits whatever
 * the split into jobs (and the number of threads).
 *
 * Plain JavaScript in a string (not TypeScript functions turned into source
 * with `toString`), so no compiler, bundler or coverage tool can inject helpers
 * that would not exist inside a worker.
 */
import type { PoolProgram } from './worker-pool.js';

/** Rows `[r0, r1)` of `out[i] = sum_e w[e] * v[ci[e]]` (per feature when `f > 1`). */
export interface PullJob {
  op: 'pull';
  rp: Int32Array;
  ci: Int32Array;
  w: Float32Array | null;
  v: Float32Array;
  f: number;
  out: Float32Array;
  r0: number;
  r1: number;
}

/** {@link PullJob} for the rows with `mark[i] = 1` (then reset to 0); the other rows get 0. */
export interface PullMarkedJob extends Omit<PullJob, 'op'> {
  op: 'pullMarked';
  mark: Uint8Array;
}

/** Sets `mark[ci[e]] = 1` for every edge of the rows `nz[k0 .. k1 - 1]`. */
export interface MarkJob {
  op: 'mark';
  rp: Int32Array;
  ci: Int32Array;
  nz: Int32Array;
  k0: number;
  k1: number;
  mark: Uint8Array;
}

/** Rows `[r0, r1)` of `out[e] = sum_k dy[i, k] * v[ci[e], k]`. */
export interface EdgeGradJob {
  op: 'edgeGrad';
  rp: Int32Array;
  ci: Int32Array;
  dy: Float32Array;
  v: Float32Array;
  f: number;
  out: Float32Array;
  r0: number;
  r1: number;
}

export type GatherReduceJob = PullJob | PullMarkedJob | MarkJob | EdgeGradJob;

const SOURCE = String.raw`
'use strict';
function pullRowF(rp, ci, w, v, f, out, i, acc) {
  acc.fill(0);
  const end = rp[i + 1];
  for (let e = rp[i]; e < end; e++) {
    const we = w === null ? 1 : w[e];
    const s = ci[e] * f;
    for (let k = 0; k < f; k++) acc[k] += we * v[s + k];
  }
  const o = i * f;
  for (let k = 0; k < f; k++) out[o + k] = acc[k];
}

function pull(rp, ci, w, v, f, out, r0, r1) {
  if (f === 1) {
    if (w === null) {
      for (let i = r0; i < r1; i++) {
        const end = rp[i + 1];
        let acc = 0;
        for (let e = rp[i]; e < end; e++) acc += v[ci[e]];
        out[i] = acc;
      }
    } else {
      for (let i = r0; i < r1; i++) {
        const end = rp[i + 1];
        let acc = 0;
        for (let e = rp[i]; e < end; e++) acc += w[e] * v[ci[e]];
        out[i] = acc;
      }
    }
    return;
  }
  const acc = new Float64Array(f);
  for (let i = r0; i < r1; i++) pullRowF(rp, ci, w, v, f, out, i, acc);
}

function pullMarked(rp, ci, w, v, f, out, mark, r0, r1) {
  if (f === 1) {
    for (let i = r0; i < r1; i++) {
      if (mark[i] === 0) { out[i] = 0; continue; }
      mark[i] = 0;
      const end = rp[i + 1];
      let acc = 0;
      if (w === null) for (let e = rp[i]; e < end; e++) acc += v[ci[e]];
      else for (let e = rp[i]; e < end; e++) acc += w[e] * v[ci[e]];
      out[i] = acc;
    }
    return;
  }
  const acc = new Float64Array(f);
  for (let i = r0; i < r1; i++) {
    if (mark[i] === 0) { out.fill(0, i * f, i * f + f); continue; }
    mark[i] = 0;
    pullRowF(rp, ci, w, v, f, out, i, acc);
  }
}

function markTargets(rp, ci, nz, k0, k1, mark) {
  for (let k = k0; k < k1; k++) {
    const j = nz[k];
    const end = rp[j + 1];
    for (let e = rp[j]; e < end; e++) mark[ci[e]] = 1;
  }
}

function edgeGrad(rp, ci, dy, v, f, out, r0, r1) {
  if (f === 1) {
    for (let i = r0; i < r1; i++) {
      const g = dy[i];
      const end = rp[i + 1];
      for (let e = rp[i]; e < end; e++) out[e] = g * v[ci[e]];
    }
    return;
  }
  for (let i = r0; i < r1; i++) {
    const o = i * f;
    const end = rp[i + 1];
    for (let e = rp[i]; e < end; e++) {
      const s = ci[e] * f;
      let acc = 0;
      for (let k = 0; k < f; k++) acc += dy[o + k] * v[s + k];
      out[e] = acc;
    }
  }
}

return function gatherReduceJob(job) {
  switch (job.op) {
    case 'pull': pull(job.rp, job.ci, job.w, job.v, job.f, job.out, job.r0, job.r1); return;
    case 'pullMarked': pullMarked(job.rp, job.ci, job.w, job.v, job.f, job.out, job.mark, job.r0, job.r1); return;
    case 'mark': markTargets(job.rp, job.ci, job.nz, job.k0, job.k1, job.mark); return;
    case 'edgeGrad': edgeGrad(job.rp, job.ci, job.dy, job.v, job.f, job.out, job.r0, job.r1); return;
    default: throw new Error('gather-reduce: unknown job ' + String(job.op));
  }
};
`;

/** The gather-reduce loops as a worker-pool program. */
export const GATHER_REDUCE_PROGRAM: PoolProgram<GatherReduceJob> = { name: 'populace.gather-reduce.v1', source: SOURCE };
