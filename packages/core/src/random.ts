/**
 * Counter-based random numbers: every draw is a pure function of
 * (seed, step, stream, index), so results never depend on thread count,
 * kernel order or how many numbers another substep consumed.
 *
 * The generator hashes the counter with two rounds of a 32-bit integer mixer
 * (the "lowbias32" finaliser); it is statistically sound for simulation, not
 * cryptographic.
 */

function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A 32-bit hash of a string, used to turn stream names into stream ids. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h >>> 0);
}

/** The 32-bit key of one (seed, step, stream) triple. */
export function streamKey(seed: number, step: number, stream: number): number {
  return mix32(mix32(mix32(seed >>> 0) ^ (step >>> 0)) ^ (stream >>> 0));
}

/** 23 bits so that every value, rounded to float32, stays strictly inside (0, 1). */
const INV_2_23 = 1 / 8388608;

/** Uniform in (0, 1) for one counter: the same inputs always give the same number. */
export function uniformAt(key: number, index: number): number {
  const h = mix32(mix32((index >>> 0) ^ key) + 0x9e3779b9);
  return ((h >>> 9) + 0.5) * INV_2_23;
}

/** Fills `out[i] = uniformAt(key, offset + i)`. */
export function fillUniform(out: Float32Array, key: number, offset = 0): Float32Array {
  for (let i = 0; i < out.length; i++) {
    const h = mix32(mix32(((offset + i) >>> 0) ^ key) + 0x9e3779b9);
    out[i] = ((h >>> 9) + 0.5) * INV_2_23;
  }
  return out;
}

/**
 * The counter of element `index` of `n` at per-element clock `clock` (a non-negative integer):
 * `(clock * n + index) mod 2^32`, i.e. the draws laid out as a [clock, element] matrix. Clock 0
 * is the element's own index; distinct while clock * n < 2^32.
 */
export function clockedIndex(clock: number, index: number, n: number): number {
  return clock === 0 ? index : (Math.imul(clock, n) + index) >>> 0;
}

/** Fills `out[i] = uniformAt(key, clockedIndex(clock[i], i, out.length))` (a one-value clock is broadcast). */
export function fillUniformClocked(out: Float32Array, key: number, clock: ArrayLike<number>): Float32Array {
  const n = out.length;
  const one = clock.length === 1;
  for (let i = 0; i < n; i++) out[i] = uniformAt(key, clockedIndex(clock[one ? 0 : i]!, i, n));
  return out;
}

/** An unsigned 32-bit integer for one counter (for sampling indices). */
export function uint32At(key: number, index: number): number {
  return mix32(mix32((index >>> 0) ^ key) ^ 0x632be5ab);
}

/**
 * `uint32At(key, index) % n` for 1 <= n < 2^32, without the slow floating-point
 * `%` (V8 calls fmod for values past int32): floor(x / n) is exact for x, n < 2^32
 * (the quotient's rounding error is below 1 / n), so the remainder is too.
 */
export function indexAt(key: number, index: number, n: number): number {
  const x = mix32(mix32((index >>> 0) ^ key) ^ 0x632be5ab);
  return x - Math.floor(x / n) * n;
}
