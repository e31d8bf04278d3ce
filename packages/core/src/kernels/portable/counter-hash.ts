/**
 * The counter-based generator of ../../random.ts (`mix32`, `uniformAt`,
 * `indexAt`) composed of stock tfjs ops only, so any backend draws the same
 * integers as the cpu kernels without a round trip to JavaScript.
 *
 * A uint32 is held as two float32 tensors of 16-bit halves (`hi`, `lo`, each
 * an integer in [0, 65536)). Every intermediate stays below 2^24, so float32
 * arithmetic is exact on every backend (all divisors are powers of two): XOR is a lookup in a
 * 65,536-entry table (`tf.gather`, one per byte pair), `Math.imul` is an 8-bit
 * limb product with explicit carries, shifts are `floorDiv`/`mod` by powers of
 * two. Two documented limits, both checked by the callers: element counters
 * come from `tf.range` (exact below 2^31, and below 2^24 on webgl), and
 * `indexAt`'s remainder is a nibble-wise long division whose partial values
 * reach 16n (exact on cpu, wasm and tensorflow for n <= 2^27).
 */
import * as tf from '@tensorflow/tfjs-core';

/** A uint32 per element as 16-bit halves (float32 tensors of one shape holding integers). */
export interface U32 {
  hi: tf.Tensor;
  lo: tf.Tensor;
}

let xorTable: Int32Array | null = null;
/** `table[a * 256 + b] = a ^ b` for bytes a, b. */
function xorBytes(): Int32Array {
  if (xorTable === null) {
    xorTable = new Int32Array(65536);
    for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) xorTable[a * 256 + b] = a ^ b;
  }
  return xorTable;
}

/** A constant for the hash arithmetic, which runs in float32: every value is an integer below 2^24 (exact), and float32 `Add`/`Mul` are fast paths on every backend. */
const int = (v: number): tf.Tensor => tf.scalar(v, 'float32');
const i32 = (v: number): tf.Tensor => tf.scalar(v, 'int32');

/** a ^ b for 16-bit values (float32 integers, or a plain number for b), via the byte table. */
function xor16(table: tf.Tensor, a: tf.Tensor, b: tf.Tensor | number): tf.Tensor {
  const ah = tf.floorDiv(a, int(256));
  const al = tf.mod(a, int(256));
  const [bh, bl] = typeof b === 'number' ? [int(b >>> 8), int(b & 255)] : [tf.floorDiv(b, int(256)), tf.mod(b, int(256))];
  const h = tf.gather(table, tf.cast(tf.add(tf.mul(ah, int(256)), bh), 'int32'));
  const l = tf.gather(table, tf.cast(tf.add(tf.mul(al, int(256)), bl), 'int32'));
  return tf.add(tf.mul(h, int(256)), l);
}

/** Math.imul(x, c) >>> 0 for a constant c: the four low byte columns of the product, carried byte by byte. */
function mulConst(x: U32, c: number): U32 {
  const a = [tf.mod(x.lo, int(256)), tf.floorDiv(x.lo, int(256)), tf.mod(x.hi, int(256)), tf.floorDiv(x.hi, int(256))];
  const cb = [c & 255, (c >>> 8) & 255, (c >>> 16) & 255, c >>> 24];
  const bytes: tf.Tensor[] = [];
  let carry: tf.Tensor | null = null;
  for (let k = 0; k < 4; k++) {
    // column k: sum over i + j = k of a_i * c_j (at most 4 * 255 * 255 + carry < 2^19)
    let col: tf.Tensor | null = carry;
    for (let i = 0; i <= k; i++) {
      const cj = cb[k - i]!;
      if (cj === 0) continue;
      const term = tf.mul(a[i]!, int(cj));
      col = col === null ? term : tf.add(col, term);
    }
    if (col === null) col = tf.zerosLike(x.lo);
    bytes.push(tf.mod(col, int(256)));
    carry = tf.floorDiv(col, int(256));
  }
  return { lo: tf.add(tf.mul(bytes[1]!, int(256)), bytes[0]!), hi: tf.add(tf.mul(bytes[3]!, int(256)), bytes[2]!) };
}

/** The "lowbias32" finaliser of ../../random.ts, element by element. */
export function mix32(table: tf.Tensor, x: U32): U32 {
  // x ^= x >>> 16
  let y: U32 = { hi: x.hi, lo: xor16(table, x.lo, x.hi) };
  y = mulConst(y, 0x7feb352d);
  // x ^= x >>> 15: the shifted value is hi >> 15 (high half) and ((hi << 1) | lo >> 15) & 0xffff (low half)
  const sLo = tf.add(tf.mod(tf.mul(y.hi, int(2)), int(65536)), tf.floorDiv(y.lo, int(32768)));
  const sHi = tf.floorDiv(y.hi, int(32768));
  y = { hi: xor16(table, y.hi, sHi), lo: xor16(table, y.lo, sLo) };
  y = mulConst(y, 0x846ca68b);
  return { hi: y.hi, lo: xor16(table, y.lo, y.hi) };
}

/** x ^ c for a constant uint32 c. */
function xorConst(table: tf.Tensor, x: U32, c: number): U32 {
  return { hi: xor16(table, x.hi, (c >>> 16) & 0xffff), lo: xor16(table, x.lo, c & 0xffff) };
}

/** (x + c) >>> 0 for a constant uint32 c. */
function addConst(x: U32, c: number): U32 {
  return addU32(x, { hi: int(c >>> 16), lo: int(c & 0xffff) });
}

/** (a + b) >>> 0 for two uint32s as halves (broadcasting). */
function addU32(a: U32, b: U32): U32 {
  const lo = tf.add(a.lo, b.lo);
  const hi = tf.add(tf.add(a.hi, b.hi), tf.floorDiv(lo, int(65536)));
  return { hi: tf.mod(hi, int(65536)), lo: tf.mod(lo, int(65536)) };
}

/** The XOR table as a tensor on the active backend (uploaded per call: 256 KiB). */
export function xorTableTensor(): tf.Tensor {
  return tf.tensor1d(Float32Array.from(xorBytes()), 'float32');
}

/** Splits non-negative int32 counters (below 2^31) into halves. */
export function counters(index: tf.Tensor): U32 {
  return { hi: tf.cast(tf.floorDiv(index, i32(65536)), 'float32'), lo: tf.cast(tf.mod(index, i32(65536)), 'float32') };
}

/** `counter * degree + j` for int32 agents `i` (below 2^31) as halves, without an int32 overflow of the product. */
export function edgeCounters(i: tf.Tensor, degree: number, j: number): U32 {
  const ih = tf.floorDiv(i, i32(65536));
  const low = tf.add(tf.mul(tf.mod(i, i32(65536)), i32(degree)), i32(j));
  const hi = tf.add(tf.mul(ih, i32(degree)), tf.floorDiv(low, i32(65536)));
  return { hi: tf.cast(hi, 'float32'), lo: tf.cast(tf.mod(low, i32(65536)), 'float32') };
}

/**
 * `uniformAt(key, i)` for every counter: `((h >>> 9) + 0.5) / 2^23` with
 * `h = mix32(mix32(i ^ key) + 0x9e3779b9)`, float32 (exact: 24 significant bits).
 */
export function uniformsAt(key: number, index: U32): tf.Tensor {
  return tf.tidy(() => {
    const table = xorTableTensor();
    const h = mix32(table, addConst(mix32(table, xorConst(table, index, key >>> 0)), 0x9e3779b9));
    const top = tf.add(tf.mul(h.hi, int(128)), tf.floorDiv(h.lo, int(512)));
    return tf.mul(tf.add(top, 0.5), 2 ** -23);
  });
}

/**
 * `uniformAt(key, i)` for i in [0, n), shaped `shape`; with per-element (or one) `clock`
 * (float32 integers in [0, 2^24)), `uniformAt(key, clockedIndex(clock_i, i, n))` (../../random.ts).
 */
export function uniformTensor(key: number, shape: readonly number[], clock?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const n = shape.reduce((a, b) => a * b, 1);
    const index = counters(tf.range(0, n, 1, 'int32'));
    if (clock === undefined) return tf.reshape(uniformsAt(key, index), [...shape]);
    const ticks = mulConst(counters(tf.cast(tf.reshape(clock, clock.size === 1 ? [] : [n]), 'int32')), n >>> 0);
    return tf.reshape(uniformsAt(key, addU32(ticks, index)), [...shape]);
  });
}

/** The largest agent count whose `indexAt` remainder stays exact on int32 backends (partials reach 16n). */
export const MAX_HASHED_AGENTS = 2 ** 27;

/**
 * `uint32At(key, counter) % n` (`indexAt` of ../../random.ts) as int32, for
 * 1 <= n <= {@link MAX_HASHED_AGENTS}: the high half's remainder, then four
 * long-division steps over the low half's nibbles.
 */
export function indexAtTensor(table: tf.Tensor, key: number, counter: U32, n: number): tf.Tensor {
  const x = mix32(table, xorConst(table, mix32(table, xorConst(table, counter, key >>> 0)), 0x632be5ab));
  // int32 from here: the partial remainders reach 16n
  const nn = i32(n);
  const lo = tf.cast(x.lo, 'int32');
  let r = tf.mod(tf.cast(x.hi, 'int32'), nn);
  for (let shift = 12; shift >= 0; shift -= 4) {
    const nibble = tf.mod(tf.floorDiv(lo, i32(2 ** shift)), i32(16));
    r = tf.mod(tf.add(tf.mul(r, i32(16)), nibble), nn);
  }
  return r;
}
