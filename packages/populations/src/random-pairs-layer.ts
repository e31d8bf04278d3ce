/**
 * The community layer: random pairs of agents inside areas, built area by area
 * as a symmetric CSR with sorted rows. The pairs are drawn once from the
 * counter-based hash and then placed with the memory traffic of a radix pass:
 * partitioned by blocks of 2^14 rows (a few hundred sequential streams), then
 * each block is counted, scattered and sorted while its part of the arrays is
 * in cache.
 */
import type { CsrNetwork } from '@populace/core';
import { checkEdges, network, sharedInt32, sortRows } from './csr-builders.js';
import { uniformPairs, type PairDraw, type PairSource } from './pair-sources.js';

/** log2 of the rows per block. */
const BLOCK_SHIFT = 14;
const BLOCK_MASK = (1 << BLOCK_SHIFT) - 1;
/** Areas with at most this many pairs keep them in a buffer (8 bytes a pair); larger ones draw them twice. */
const MAX_BUFFERED_PAIRS = 1 << 24;

/** Scratch arrays reused across areas. */
interface Scratch {
  pairs: Int32Array;
  rows: Uint16Array;
  cols: Int32Array;
  cursor: Int32Array;
  pair: Int32Array;
}

/** Options of {@link randomPairsLayer}. */
export interface RandomPairsOptions {
  /** How the pairs of an area are drawn (default uniformPairs; ageMixedPairs follows a contact matrix). */
  readonly pairs?: PairSource;
  /** Areas with more pairs than this draw them twice instead of buffering them (same result; default 2^24). */
  readonly maxBufferedPairs?: number;
}

/**
 * Random contacts inside areas: area a (agents `areaStarts[a] .. areaStarts[a+1])`) gets
 * round(n_a * meanDegree / 2) pairs (i, j), i != j, drawn by `options.pairs` (uniform in the area by
 * default), each added in both directions; so the mean degree is `meanDegree` (close to Poisson when
 * uniform). Pair k of area a is a pure function of (keys[a], k), so the layer depends only on the seed.
 * Rows come out sorted.
 */
export function randomPairsLayer(areaStarts: Int32Array, meanDegree: number, keys: readonly number[], weight: number, description: string, options: RandomPairsOptions = {}): CsrNetwork {
  const maxBufferedPairs = options.maxBufferedPairs ?? MAX_BUFFERED_PAIRS;
  const source = options.pairs ?? uniformPairs;
  const areas = areaStarts.length - 1;
  const agents = areaStarts[areas]!;
  const pairs = new Float64Array(areas);
  let total = 0;
  let maxPairs = 0;
  let maxBuffered = 0;
  for (let a = 0; a < areas; a++) {
    const n = areaStarts[a + 1]! - areaStarts[a]!;
    pairs[a] = n >= 2 ? Math.round((n * meanDegree) / 2) : 0;
    total += 2 * pairs[a]!;
    maxPairs = Math.max(maxPairs, pairs[a]!);
    if (pairs[a]! <= maxBufferedPairs) maxBuffered = Math.max(maxBuffered, pairs[a]!);
  }
  checkEdges(total, 'community');
  const rowPtr = sharedInt32(agents + 1);
  const colIdx = sharedInt32(total);
  const scratch: Scratch = {
    pairs: new Int32Array(2 * maxBuffered),
    rows: new Uint16Array(2 * maxPairs),
    cols: new Int32Array(0),
    cursor: new Int32Array((1 << BLOCK_SHIFT) + 1),
    pair: new Int32Array(2),
  };
  let offset = 0;
  for (let a = 0; a < areas; a++) {
    const start = areaStarts[a]!;
    const n = areaStarts[a + 1]! - start;
    if (pairs[a] === 0) rowPtr.fill(offset, start, start + n);
    else fillArea(rowPtr, colIdx, start, n, pairs[a]!, source(start, n, keys[a]!), offset, scratch, pairs[a]! <= maxBufferedPairs);
    offset += 2 * pairs[a]!;
  }
  rowPtr[agents] = offset;
  return network(rowPtr, colIdx, weight, description);
}

/** Writes the rows of one area (agents `start .. start + n`, its `m` pairs) from edge `offset` on. */
function fillArea(rowPtr: Int32Array, colIdx: Int32Array, start: number, n: number, m: number, draw: PairDraw, offset: number, scratch: Scratch, buffered: boolean): void {
  const blocks = ((n - 1) >> BLOCK_SHIFT) + 1;
  const buffer = scratch.pairs;
  const pair = scratch.pair;
  // 1. Draw the pairs (kept when they fit) and count the entries of each block of rows.
  const blockStart = new Int32Array(blocks + 1);
  for (let k = 0; k < m; k++) {
    draw(k, pair);
    const i = pair[0]!;
    const j = pair[1]!;
    if (buffered) {
      buffer[2 * k] = i;
      buffer[2 * k + 1] = j;
    }
    blockStart[(i >> BLOCK_SHIFT) + 1]!++;
    blockStart[(j >> BLOCK_SHIFT) + 1]!++;
  }
  let largest = 0;
  for (let b = 0; b < blocks; b++) {
    largest = Math.max(largest, blockStart[b + 1]!);
    blockStart[b + 1]! += blockStart[b]!;
  }
  // 2. Partition the entries (row, col) by block: columns straight into the block's window of colIdx, rows (within the block) beside them.
  const fill = blockStart.slice(0, blocks);
  const rows = scratch.rows;
  const place = (row: number, col: number): void => {
    const at = fill[row >> BLOCK_SHIFT]!++;
    rows[at] = row & BLOCK_MASK;
    colIdx[offset + at] = start + col;
  };
  for (let k = 0; k < m; k++) {
    if (!buffered) draw(k, pair);
    const i = buffered ? buffer[2 * k]! : pair[0]!;
    const j = buffered ? buffer[2 * k + 1]! : pair[1]!;
    place(i, j);
    place(j, i);
  }
  // 3. Each block: count its rows, set their row pointers, scatter its entries by row and sort the rows.
  if (buffered) scratch.cols = buffer;
  else if (scratch.cols.length < largest) scratch.cols = new Int32Array(largest);
  const cols = scratch.cols;
  const cursor = scratch.cursor;
  for (let b = 0; b < blocks; b++) {
    const r0 = start + (b << BLOCK_SHIFT);
    const count = Math.min(start + n, r0 + BLOCK_MASK + 1) - r0;
    const e0 = blockStart[b]!;
    const e1 = blockStart[b + 1]!;
    cols.set(colIdx.subarray(offset + e0, offset + e1));
    cursor.fill(0, 0, count + 1);
    for (let e = e0; e < e1; e++) cursor[rows[e]! + 1]!++;
    cursor[0] = offset + e0;
    for (let r = 0; r < count; r++) {
      cursor[r + 1]! += cursor[r]!;
      rowPtr[r0 + r] = cursor[r]!;
    }
    for (let e = e0; e < e1; e++) colIdx[cursor[rows[e]!]!++] = cols[e - e0]!;
    rowPtr[r0 + count] = offset + e1;
    sortRows(rowPtr, colIdx, r0, r0 + count);
  }
}
