/**
 * The Bernoulli-event loops (forward draw and one-pass backward) as a
 * worker-pool program, run by the kernels of ./bernoulli-event.ts on
 * the calling thread for small calls and over the pool for large ones.
 *
 * Elements are split into fixed chunks of `bernoulliTuning.chunk` (never by
 * thread count), each chunk's scalar-gradient sums go to its own slot and are
 * added in chunk order afterwards: the same bits on any number of threads.
 * `uniformAt` below must stay the function of ../../random.ts (tested: the
 * kernel draws equal `fillUniform`'s).
 */
import type { PoolProgram } from '../pool/worker-pool.js';
import { MIX32_SOURCE } from './worker-random-source.js';

/**
 * Sizes of the parallel Bernoulli kernels. A call over at least `parallelMin`
 * elements is split into chunks of `chunk` elements (for every thread count,
 * so the results are too), and runs on the pool when it has threads.
 * Measured at 8.4M agents (2 threads): see bench/README.md.
 */
export const bernoulliTuning = { chunk: 1 << 16, parallelMin: 1 << 18 };

interface Common {
  n: number;
  /** p, x (exposure), mask and clock: one value (broadcast) or n values. */
  p: Float32Array;
  x: Float32Array;
  m: Float32Array;
  /** Per-element clocks (non-negative integers): element i draws uniformAt(key, clockedIndex(c[i], i, n)). */
  c: Float32Array;
  key: number;
  hazard: number;
  jump: number;
  /** Chunk c covers elements [c * chunk, min(n, (c + 1) * chunk)). */
  chunk: number;
}

/** out[i] = 1[uniformAt(key, clockedIndex(c_i, i, n)) < prob_i] * mask_i. */
export interface BernoulliForwardJob extends Common {
  op: 'forward';
  out: Float32Array;
}

/**
 * d p, d x, d mask for upstream dy: per element for inputs with n values; for
 * broadcast (scalar) inputs, chunk c's sums go to `partials[3c .. 3c + 2]`.
 */
export interface BernoulliBackwardJob extends Common {
  op: 'backward';
  dy: Float32Array;
  dp: Float32Array;
  dx: Float32Array;
  dm: Float32Array;
  partials: Float64Array;
}

export type BernoulliJob = BernoulliForwardJob | BernoulliBackwardJob;

const SOURCE = String.raw`
'use strict';
const EPS = 1e-6;
const INV_2_23 = 1 / 8388608;
${MIX32_SOURCE}
function uniformAt(key, index) {
  const h = mix32(mix32((index >>> 0) ^ key) + 0x9e3779b9);
  return ((h >>> 9) + 0.5) * INV_2_23;
}
// the counter of element i at clock ci (clockedIndex of ../../random.ts)
function counterAt(ci, i, n) {
  return ci === 0 ? i : (Math.imul(ci, n) + i) >>> 0;
}

// The common case of infection: one rate, an exposure and a mask per agent. Mostly no exposure,
// so the output is zero-filled first and only exposed agents are read and drawn for.
function forwardHazardScalarRate(rate, x, m, key, out, i0, i1) {
  out.fill(0, i0, i1);
  if (rate === 0) return;
  for (let i = i0; i < i1; i++) {
    const e = x[i];
    if (e !== 0) {
      const mi = m[i];
      if (mi !== 0 && uniformAt(key, i) < 1 - Math.exp(-rate * e)) out[i] = mi;
    }
  }
}

// One probability and a mask per agent (the stages of an infection's course): mostly masked out, so
// likewise zero-filled first, and only the agents in the mask are drawn for.
function forwardScalarProbability(prob, m, c, sc, unclocked, n, key, out, i0, i1) {
  out.fill(0, i0, i1);
  if (prob === 0) return;
  for (let i = i0; i < i1; i++) {
    const mi = m[i];
    if (mi !== 0 && uniformAt(key, unclocked ? i : counterAt(c[i * sc], i, n)) < prob) out[i] = mi;
  }
}

function forward(j, i0, i1) {
  const { p, x, m, c, n, key, hazard, out } = j;
  const sp = p.length === 1 ? 0 : 1, sx = x.length === 1 ? 0 : 1, sm = m.length === 1 ? 0 : 1, sc = c.length === 1 ? 0 : 1;
  const unclocked = sc === 0 && c[0] === 0;
  if (hazard && unclocked && sp === 0 && sx === 1 && sm === 1) return forwardHazardScalarRate(p[0], x, m, key, out, i0, i1);
  if (!hazard && sp === 0 && sm === 1) return forwardScalarProbability(p[0], m, c, sc, unclocked, n, key, out, i0, i1);
  for (let i = i0; i < i1; i++) {
    const mi = m[i * sm];
    if (mi === 0) { out[i] = 0; continue; }
    const rate = p[i * sp];
    const exposure = hazard ? x[i * sx] : 1;
    // no exposure (e.g. no infected contact) or no rate: no event, no draw needed
    if (rate === 0 || exposure === 0) { out[i] = 0; continue; }
    const prob = hazard ? 1 - Math.exp(-rate * exposure) : rate;
    out[i] = uniformAt(key, unclocked ? i : counterAt(c[i * sc], i, n)) < prob ? mi : 0;
  }
}

function backward(j, slot, i0, i1) {
  const { dy, p, x, m, c, n, key, hazard, jump, dp, dx, dm, partials } = j;
  const sp = p.length === 1 ? 0 : 1, sx = x.length === 1 ? 0 : 1, sm = m.length === 1 ? 0 : 1, sc = c.length === 1 ? 0 : 1;
  let dpAcc = 0, dxAcc = 0, dmAcc = 0;
  for (let i = i0; i < i1; i++) {
    const g = dy[i];
    if (g === 0) {
      if (sp) dp[i] = 0;
      if (sx) dx[i] = 0;
      if (sm) dm[i] = 0;
      continue;
    }
    const pi = p[i * sp], xi = x[i * sx], mi = m[i * sm];
    if (hazard && xi === 0 && !jump) {
      // no exposure: no event (no draw needed); the general formulas with exp(0) = 1, term for term
      const dProb = g * mi;
      const gp = dProb * 0, gx = dProb * pi, gm = g * 0;
      if (sp) dp[i] = gp; else dpAcc += gp;
      if (sx) dx[i] = gx; else dxAcc += gx;
      if (sm) dm[i] = gm; else dmAcc += gm;
      continue;
    }
    let prob, dProbDp, dProbDx;
    if (hazard) {
      const e = Math.exp(-pi * xi);
      prob = 1 - e;
      dProbDp = xi * e;
      dProbDx = pi * e;
    } else {
      prob = pi;
      dProbDp = 1;
      dProbDx = 0;
    }
    const drawn = uniformAt(key, counterAt(c[i * sc], i, n)) < prob ? 1 : 0;
    let dProb = g * mi;
    if (jump) {
      const q = Math.min(1 - EPS, Math.max(EPS, prob));
      dProb *= drawn ? 0.5 / q : 0.5 / (1 - q);
    }
    const gp = dProb * dProbDp, gx = dProb * dProbDx, gm = g * drawn;
    if (sp) dp[i] = gp; else dpAcc += gp;
    if (sx) dx[i] = gx; else dxAcc += gx;
    if (sm) dm[i] = gm; else dmAcc += gm;
  }
  partials[3 * slot] = dpAcc;
  partials[3 * slot + 1] = dxAcc;
  partials[3 * slot + 2] = dmAcc;
}

return function bernoulliChunk(job, c) {
  const i0 = c * job.chunk;
  const i1 = Math.min(job.n, i0 + job.chunk);
  if (job.op === 'forward') forward(job, i0, i1);
  else backward(job, c, i0, i1);
};
`;

export const BERNOULLI_PROGRAM: PoolProgram<BernoulliJob> = { name: 'populace.bernoulli-event.v3', source: SOURCE };
