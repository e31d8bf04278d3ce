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
import { PULL_BITS_SOURCE } from './gather-reduce-bits-source.js';
import type { PoolProgram } from '../pool/worker-pool.js';

/**
 * Every job is split into chunks: chunk `c` covers `[bounds[c], bounds[c + 1])`
 * (rows, unless a job says otherwise). Chunks write disjoint memory.
 */
interface Chunked {
  bounds: Int32Array;
}

/** `out[i] = sum_e w[e] * v[ci[e]]` for the chunk's rows (per feature when `f > 1`). */
export interface PullJob extends Chunked {
  op: 'pull';
  rp: Int32Array;
  ci: Int32Array;
  w: Float32Array | null;
  v: Float32Array;
  f: number;
  out: Float32Array;
}

/**
 * {@link PullJob} for one feature whose values are all 0 or 1, packed one bit
 * per sender (`bits[j >>> 5] >>> (j & 31) & 1`): 32x less memory to read at
 * random than float32 values (1 MiB for 8.4M agents, which stays in cache).
 * Adds the same terms in the same order as the float pull (`w[e] * 1` or
 * `w[e] * 0`), so it gives the same bits for finite weights.
 */
export interface PullBitsJob extends Chunked {
  op: 'pullBits';
  rp: Int32Array;
  ci: Int32Array;
  w: Float32Array | null;
  bits: Int32Array;
  out: Float32Array;
}

/** {@link PullJob} for the chunk's rows with `mark[i] = 1` (then reset to 0); its other rows get 0. */
export interface PullMarkedJob extends Omit<PullJob, 'op'> {
  op: 'pullMarked';
  mark: Uint8Array;
}

/**
 * The sparse pull for one feature, for the chunk's rows: pushes `w * v[j]`
 * from each non-zero sender `j = nz[k]` (k < nnz) over the mirror graph
 * (`qrp`, `qci`, `qw`: sender -> rows, weights in that order) into the rows
 * it reaches. A row reached once gets `0 + w * v[j]`, the dense pull's sum
 * when a single term is non-zero; a row reached more often is pulled in full
 * over (`rp`, `ci`, `w`) in CSR order, as the dense pull does. Other rows are
 * left alone (`zero`: set to 0 first). `count` (all zeros before and after)
 * counts the pushes per row.
 */
export interface PushJob extends Chunked {
  op: 'push';
  rp: Int32Array;
  ci: Int32Array;
  w: Float32Array | null;
  qrp: Int32Array;
  qci: Int32Array;
  qw: Float32Array | null;
  v: Float32Array;
  nz: Int32Array;
  nnz: number;
  count: Uint8Array;
  out: Float32Array;
  zero: boolean;
}

/** Sets `mark[ci[e]] = 1` for every edge of the rows `nz[k]`, k in the chunk (of `nz` indices). */
export interface MarkJob extends Chunked {
  op: 'mark';
  rp: Int32Array;
  ci: Int32Array;
  nz: Int32Array;
  mark: Uint8Array;
}

/** `out[e] = sum_k dy[i, k] * v[ci[e], k]` for the edges of the chunk's rows. */
export interface EdgeGradJob extends Chunked {
  op: 'edgeGrad';
  rp: Int32Array;
  ci: Int32Array;
  dy: Float32Array;
  v: Float32Array;
  f: number;
  out: Float32Array;
}

/**
 * Transposition, phase 1: counts the edges of the chunk's rows per sender
 * bucket (`ci[e] >> shift`) into `hist[c * buckets + bucket]`.
 */
export interface BucketCountJob extends Chunked {
  op: 'bucketCount';
  rp: Int32Array;
  ci: Int32Array;
  shift: number;
  buckets: number;
  hist: Int32Array;
}

/**
 * Transposition, phase 2: writes each edge of the chunk's rows, in edge order,
 * at `pos[c * buckets + (ci[e] >> shift)]++`: its sender, and its row and/or
 * weight when `rows` / `wpart` are given.
 */
export interface PartitionJob extends Chunked {
  op: 'partition';
  rp: Int32Array;
  ci: Int32Array;
  w: Float32Array | null;
  shift: number;
  buckets: number;
  pos: Int32Array;
  senders: Int32Array;
  rows: Int32Array | null;
  wpart: Float32Array | null;
}

/**
 * Transposition, phase 3: for the chunk's sender buckets (edges
 * `bucketStart[b] .. bucketStart[b + 1] - 1` of the partition), fills the
 * transposed rowPtr `trp` (when `countRows`) and places each edge at its
 * sender's next slot: `tci` gets its row, `tw` its weight (either may be null).
 */
export interface PlaceJob extends Chunked {
  op: 'place';
  n: number;
  shift: number;
  bucketStart: Int32Array;
  senders: Int32Array;
  rows: Int32Array | null;
  wpart: Float32Array | null;
  trp: Int32Array;
  countRows: boolean;
  tci: Int32Array | null;
  tw: Float32Array | null;
}

export type GatherReduceJob = PullJob | PullBitsJob | PullMarkedJob | PushJob | MarkJob | EdgeGradJob | BucketCountJob | PartitionJob | PlaceJob;

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

// One feature: four consecutive rows at a time, each with its own accumulator
// and its edges in CSR order (the same sums as one row at a time), so that four
// independent chains of random reads are in flight instead of one: ~1.4x at
// 1M and 8.4M agents x 10 contacts.
function pull1(rp, ci, w, v, out, r0, r1) {
  let i = r0;
  for (; i + 3 < r1; i += 4) {
    let e0 = rp[i], e1 = rp[i + 1], e2 = rp[i + 2], e3 = rp[i + 3];
    const x0 = e1, x1 = e2, x2 = e3, x3 = rp[i + 4];
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    if (w === null) {
      while (e0 < x0 && e1 < x1 && e2 < x2 && e3 < x3) {
        a0 += v[ci[e0++]]; a1 += v[ci[e1++]]; a2 += v[ci[e2++]]; a3 += v[ci[e3++]];
      }
      for (; e0 < x0; e0++) a0 += v[ci[e0]];
      for (; e1 < x1; e1++) a1 += v[ci[e1]];
      for (; e2 < x2; e2++) a2 += v[ci[e2]];
      for (; e3 < x3; e3++) a3 += v[ci[e3]];
    } else {
      while (e0 < x0 && e1 < x1 && e2 < x2 && e3 < x3) {
        a0 += w[e0] * v[ci[e0]]; a1 += w[e1] * v[ci[e1]]; a2 += w[e2] * v[ci[e2]]; a3 += w[e3] * v[ci[e3]];
        e0++; e1++; e2++; e3++;
      }
      for (; e0 < x0; e0++) a0 += w[e0] * v[ci[e0]];
      for (; e1 < x1; e1++) a1 += w[e1] * v[ci[e1]];
      for (; e2 < x2; e2++) a2 += w[e2] * v[ci[e2]];
      for (; e3 < x3; e3++) a3 += w[e3] * v[ci[e3]];
    }
    out[i] = a0; out[i + 1] = a1; out[i + 2] = a2; out[i + 3] = a3;
  }
  for (; i < r1; i++) {
    const end = rp[i + 1];
    let acc = 0;
    if (w === null) for (let e = rp[i]; e < end; e++) acc += v[ci[e]];
    else for (let e = rp[i]; e < end; e++) acc += w[e] * v[ci[e]];
    out[i] = acc;
  }
}

${PULL_BITS_SOURCE}
function pull(rp, ci, w, v, f, out, r0, r1) {
  if (f === 1) {
    pull1(rp, ci, w, v, out, r0, r1);
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

function push(rp, ci, w, qrp, qci, qw, v, nz, nnz, count, out, zero, r0, r1) {
  if (zero) out.fill(0, r0, r1);
  for (let k = 0; k < nnz; k++) {
    const j = nz[k];
    const x = v[j];
    const end = qrp[j + 1];
    for (let e = qrp[j]; e < end; e++) {
      const i = qci[e];
      if (i < r0 || i >= r1) continue;
      const c = count[i];
      // 0 + t, as in the dense sum (turns a -0 term into +0).
      if (c === 0) out[i] = 0 + (qw === null ? x : qw[e] * x);
      if (c < 2) count[i] = c + 1;
    }
  }
  for (let i = r0; i < r1; i++) {
    const c = count[i];
    if (c === 0) continue;
    count[i] = 0;
    if (c === 1) continue;
    const end = rp[i + 1];
    let acc = 0;
    if (w === null) for (let e = rp[i]; e < end; e++) acc += v[ci[e]];
    else for (let e = rp[i]; e < end; e++) acc += w[e] * v[ci[e]];
    out[i] = acc;
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

function bucketCount(rp, ci, r0, r1, shift, hist, h0) {
  const end = rp[r1];
  for (let e = rp[r0]; e < end; e++) hist[h0 + (ci[e] >> shift)]++;
}

function partition(rp, ci, w, r0, r1, shift, pos, senders, rows, wpart) {
  if (rows === null) {
    const end = rp[r1];
    for (let e = rp[r0]; e < end; e++) {
      const s = ci[e];
      const p = pos[s >> shift]++;
      senders[p] = s;
      wpart[p] = w[e];
    }
    return;
  }
  for (let i = r0; i < r1; i++) {
    const end = rp[i + 1];
    if (wpart === null) {
      for (let e = rp[i]; e < end; e++) {
        const s = ci[e];
        const p = pos[s >> shift]++;
        senders[p] = s;
        rows[p] = i;
      }
    } else {
      for (let e = rp[i]; e < end; e++) {
        const s = ci[e];
        const p = pos[s >> shift]++;
        senders[p] = s;
        rows[p] = i;
        wpart[p] = w[e];
      }
    }
  }
}

function place(n, shift, b0, b1, bucketStart, senders, rows, wpart, trp, countRows, tci, tw) {
  const next = new Int32Array(1 << shift);
  for (let b = b0; b < b1; b++) {
    const s0 = b << shift;
    const s1 = Math.min(s0 + (1 << shift), n);
    const p0 = bucketStart[b];
    const p1 = bucketStart[b + 1];
    if (countRows) {
      // trp[s0 + 1 .. s1] belong to this bucket (trp[s0] to the one before).
      for (let s = s0; s < s1; s++) trp[s + 1] = 0;
      for (let p = p0; p < p1; p++) trp[senders[p] + 1]++;
      let run = p0;
      for (let s = s0; s < s1; s++) { run += trp[s + 1]; trp[s + 1] = run; }
    }
    for (let s = s0; s < s1; s++) next[s - s0] = s === s0 ? p0 : trp[s];
    if (tci !== null && tw !== null) {
      for (let p = p0; p < p1; p++) { const q = next[senders[p] - s0]++; tci[q] = rows[p]; tw[q] = wpart[p]; }
    } else if (tci !== null) {
      for (let p = p0; p < p1; p++) tci[next[senders[p] - s0]++] = rows[p];
    } else if (tw !== null) {
      for (let p = p0; p < p1; p++) tw[next[senders[p] - s0]++] = wpart[p];
    }
  }
}

return function gatherReduceChunk(job, c) {
  const a = job.bounds[c];
  const b = job.bounds[c + 1];
  switch (job.op) {
    case 'pull': pull(job.rp, job.ci, job.w, job.v, job.f, job.out, a, b); return;
    case 'pullBits': pullBits(job.rp, job.ci, job.w, job.bits, job.out, a, b); return;
    case 'pullMarked': pullMarked(job.rp, job.ci, job.w, job.v, job.f, job.out, job.mark, a, b); return;
    case 'push': push(job.rp, job.ci, job.w, job.qrp, job.qci, job.qw, job.v, job.nz, job.nnz, job.count, job.out, job.zero, a, b); return;
    case 'mark': markTargets(job.rp, job.ci, job.nz, a, b, job.mark); return;
    case 'edgeGrad': edgeGrad(job.rp, job.ci, job.dy, job.v, job.f, job.out, a, b); return;
    case 'bucketCount': bucketCount(job.rp, job.ci, a, b, job.shift, job.hist, c * job.buckets); return;
    case 'partition':
      partition(job.rp, job.ci, job.w, a, b, job.shift, job.pos.subarray(c * job.buckets, (c + 1) * job.buckets), job.senders, job.rows, job.wpart);
      return;
    case 'place': place(job.n, job.shift, a, b, job.bucketStart, job.senders, job.rows, job.wpart, job.trp, job.countRows, job.tci, job.tw); return;
    default: throw new Error('gather-reduce: unknown job ' + String(job.op));
  }
};
`;

/** The gather-reduce loops as a worker-pool program. */
export const GATHER_REDUCE_PROGRAM: PoolProgram<GatherReduceJob> = { name: 'populace.gather-reduce.v5', source: SOURCE };
