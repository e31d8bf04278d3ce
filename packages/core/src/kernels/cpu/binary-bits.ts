/**
 * Bit-packing of 0/1 values for the message-passing kernels: an infectious
 * indicator over 8.4M agents is 1 MiB of bits instead of 33 MiB of float32,
 * so the random reads of a gather stay in cache. Large inputs that the
 * workers can read are packed on the kernel worker pool.
 */
import { isShared, poolThreads, runParallel, sharedInt32, type PoolProgram } from '../pool/worker-pool.js';

/** Words (of 32 values) per pool chunk, and the values from which packing runs on the pool. */
export const packTuning = { chunkWords: 2048, parallelMin: 1 << 18 };

interface PackJob {
  v: Float32Array;
  n: number;
  bits: Int32Array;
  chunkWords: number;
  /** Per chunk: 1 when it met a value other than 0 and 1. */
  bad: Int32Array;
}

const PACK_PROGRAM: PoolProgram<PackJob> = {
  name: 'populace.pack-binary.v1',
  source: String.raw`
'use strict';
return function packChunk(job, c) {
  const v = job.v, n = job.n, bits = job.bits;
  const k0 = c * job.chunkWords;
  const k1 = Math.min((n + 31) >>> 5, k0 + job.chunkWords);
  for (let k = k0; k < k1; k++) {
    let word = 0;
    const i0 = k << 5;
    const end = i0 + 32 < n ? i0 + 32 : n;
    for (let i = i0, b = 0; i < end; i++, b++) {
      const x = v[i];
      if (x === 1) word |= 1 << b;
      else if (x !== 0) { job.bad[c] = 1; return; }
    }
    bits[k] = word;
  }
};
`,
};

let scratch: Int32Array | null = null;

/**
 * Packs `v[0..n)` into bits (`bits[j >>> 5] >>> (j & 31) & 1`) on a shared,
 * grow-only scratch buffer, when every value is exactly 0 or 1; else null.
 * The result is valid until the next call (kernels run one at a time).
 */
export function packBinary(v: Float32Array, n: number): Int32Array | null {
  const words = (n + 31) >>> 5;
  if (scratch === null || scratch.length < words) scratch = sharedInt32(words);
  const bits = scratch;
  const chunks = Math.max(1, Math.ceil(words / packTuning.chunkWords));
  // the pool reads `v` only when it is shared already (a copy would cost as much as the packing)
  const pooled = n >= packTuning.parallelMin && chunks > 1 && poolThreads() > 1 && isShared(v);
  const bad = new Int32Array(pooled ? new SharedArrayBuffer(4 * chunks) : new ArrayBuffer(4 * chunks));
  const job: PackJob = { v, n, bits, chunkWords: pooled ? packTuning.chunkWords : Math.max(words, 1), bad };
  runParallel(PACK_PROGRAM, job, pooled ? chunks : 1);
  for (let c = 0; c < bad.length; c++) if (bad[c] !== 0) return null;
  return bits.subarray(0, words);
}
