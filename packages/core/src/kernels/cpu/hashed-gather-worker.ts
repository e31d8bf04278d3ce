/**
 * The hashed gather's forward loop as a worker-pool program: each chunk of
 * rows recomputes its contacts from the counter-based hash and sums the
 * senders' values, so every row is one thread's work and the result is the
 * same bits for any thread count. Plain JavaScript in a string (see
 * ./gather-reduce-worker.ts for why); `contact` must stay the function
 * `uint32At(key, i * degree + j) % n` of ../../random.ts (tested against it).
 */
import type { PoolProgram } from '../pool/worker-pool.js';
import { MIX32_SOURCE } from './worker-random-source.js';

/** `out[i] = sum_j value(contact(i, j))` for the chunk's rows, from float values `v` or 0/1 `bits`. */
export interface HashedGatherJob {
  n: number;
  degree: number;
  key: number;
  v: Float32Array | null;
  bits: Int32Array | null;
  out: Float32Array;
  bounds: Int32Array;
}

const SOURCE = String.raw`
'use strict';
${MIX32_SOURCE}
// uint32At(key, index) % n, as indexAt in ../../random.ts does it (exact; no fmod).
function contact(key, index, n) {
  const x = mix32(mix32((index >>> 0) ^ key) ^ 0x632be5ab);
  return x - Math.floor(x / n) * n;
}
return function hashedGatherChunk(job, c) {
  const { n, degree, key, v, bits, out } = job;
  const r1 = job.bounds[c + 1];
  for (let i = job.bounds[c]; i < r1; i++) {
    let acc = 0;
    const base = i * degree;
    if (bits !== null) {
      for (let j = 0; j < degree; j++) {
        const s = contact(key, base + j, n);
        acc += (bits[s >>> 5] >>> (s & 31)) & 1;
      }
    } else {
      for (let j = 0; j < degree; j++) acc += v[contact(key, base + j, n)];
    }
    out[i] = acc;
  }
};
`;

export const HASHED_GATHER_PROGRAM: PoolProgram<HashedGatherJob> = { name: 'populace.hashed-gather.v1', source: SOURCE };
