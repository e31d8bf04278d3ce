/**
 * Bit-packing of 0/1 values for the message-passing kernels: an infectious
 * indicator over 8.4M agents is 1 MiB of bits instead of 33 MiB of float32,
 * so the random reads of a gather stay in cache.
 */
import { sharedInt32 } from './worker-pool.js';

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
  for (let k = 0, i = 0; k < words; k++) {
    let word = 0;
    const end = Math.min(i + 32, n);
    for (let b = 0; i < end; i++, b++) {
      const x = v[i];
      if (x === 1) word |= 1 << b;
      else if (x !== 0) return null;
    }
    bits[k] = word;
  }
  return bits.subarray(0, words);
}
