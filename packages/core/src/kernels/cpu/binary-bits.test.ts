import { afterAll, describe, expect, it } from 'vitest';
import { packBinary, packTuning } from './binary-bits.js';
import { setKernelThreads, sharedFloat32 } from '../pool/worker-pool.js';

afterAll(() => setKernelThreads(undefined));

/** The bits of 0/1 values, computed one value at a time (the reference). */
function referenceBits(v: ArrayLike<number>): number[] {
  const words = new Array<number>(Math.ceil(v.length / 32)).fill(0);
  for (let i = 0; i < v.length; i++) if (v[i] === 1) words[i >>> 5]! |= 1 << (i & 31);
  return words;
}

describe('packBinary', () => {
  const n = packTuning.parallelMin * 2 + 77; // several pool chunks and a partial last word
  const values = Float32Array.from({ length: n }, (_, i) => ((i * 2654435761) >>> 0) % 7 < 2 ? 1 : 0);

  it.each([1, 2])('packs shared and unshared inputs to the reference bits with %i thread(s)', (threads) => {
    setKernelThreads(threads);
    const shared = sharedFloat32(n);
    shared.set(values);
    expect(Array.from(packBinary(shared, n)!)).toEqual(referenceBits(values));
    expect(Array.from(packBinary(values, n)!)).toEqual(referenceBits(values));
    expect(Array.from(packBinary(values.subarray(0, 45), 45)!)).toEqual(referenceBits(values.subarray(0, 45)));
  });

  it.each([0, 70_000, n - 1])('returns null when a value other than 0 and 1 sits at %i (pooled or not)', (at) => {
    for (const threads of [1, 2]) {
      setKernelThreads(threads);
      const shared = sharedFloat32(n);
      shared.set(values);
      shared[at] = 0.5;
      expect(packBinary(shared, n)).toBeNull();
    }
  });
});
