/**
 * Building symmetric CSR contact layers in linear time with typed arrays:
 * cliques or ring lattices inside groups (households, classes, workplaces),
 * and random pairs inside areas (community). Row i lists i's in-contacts;
 * every layer here is symmetric and has no self-loops.
 */
import { PopulaceError, uint32At, type CsrNetwork } from '@populace/core';

const MAX_EDGES = 2 ** 31 - 1;

function checkEdges(total: number, layer: string): void {
  if (total > MAX_EDGES) {
    throw new PopulaceError('invalid-argument', `population layer '${layer}': expected at most ${MAX_EDGES} edges (int32 CSR indices), received ${total}. Build fewer agents, lower the layer's contacts, or use communityContacts: 'hashed'.`, { details: { layer, edges: total } });
  }
}

/** Contacts of a member of a group of `size` when each has at most `maxDegree` (even) contacts. */
export function groupDegree(size: number, maxDegree: number): number {
  return size - 1 <= maxDegree ? size - 1 : maxDegree;
}

function prefixSum(rowPtr: Int32Array, layer: string): number {
  let total = 0;
  for (let i = 1; i < rowPtr.length; i++) {
    total += rowPtr[i]!;
    if (total > MAX_EDGES) checkEdges(total, layer);
    rowPtr[i] = total;
  }
  return total;
}

/** An Int32Array on a SharedArrayBuffer, so the message-passing worker threads read the layer without a copy. */
export const sharedInt32 = (n: number): Int32Array => new Int32Array(new SharedArrayBuffer(4 * n));

/**
 * Sorts every row's contacts ascending (insertion sort: rows are short and contiguous). A symmetric
 * layer with sorted rows is its own transpose, which core's message passing detects and uses for the
 * backward pass and the sparse forward instead of building (and holding) a transposed copy.
 */
function sortRows(rowPtr: Int32Array, colIdx: Int32Array): void {
  const n = rowPtr.length - 1;
  for (let i = 0; i < n; i++) {
    const start = rowPtr[i]!;
    const end = rowPtr[i + 1]!;
    for (let e = start + 1; e < end; e++) {
      const c = colIdx[e]!;
      let k = e - 1;
      while (k >= start && colIdx[k]! > c) {
        colIdx[k + 1] = colIdx[k]!;
        k--;
      }
      colIdx[k + 1] = c;
    }
  }
}

/** A layer; per-edge weights only when the layer's weight is not 1 (unweighted message passing is faster and 4 bytes per edge lighter). */
function network(rowPtr: Int32Array, colIdx: Int32Array, weight: number, description: string): CsrNetwork {
  sortRows(rowPtr, colIdx);
  if (weight === 1) return { kind: 'csr', agents: 'people', rowPtr, colIdx, description };
  const weights = new Float32Array(new SharedArrayBuffer(4 * colIdx.length)).fill(weight);
  return { kind: 'csr', agents: 'people', rowPtr, colIdx, weights, description };
}

/**
 * A layer of groups: `members[starts[g] .. starts[g+1])` are the agents of group g (each agent in at
 * most one group; `members` null means agents are numbered contiguously by group). Groups of up to
 * maxDegree + 1 members are cliques; larger ones are ring lattices where each member meets the
 * maxDegree / 2 members on either side of it (maxDegree must be even), so degrees stay bounded.
 */
export function groupLayer(agents: number, members: Int32Array | null, starts: Int32Array, groups: number, maxDegree: number, weight: number, layer: string, description: string): CsrNetwork {
  const rowPtr = sharedInt32(agents + 1);
  for (let g = 0; g < groups; g++) {
    const start = starts[g]!;
    const end = starts[g + 1]!;
    const d = groupDegree(end - start, maxDegree);
    for (let p = start; p < end; p++) rowPtr[(members ? members[p]! : p) + 1] = d;
  }
  const total = prefixSum(rowPtr, layer);
  const colIdx = sharedInt32(total);
  const half = maxDegree >>> 1;
  for (let g = 0; g < groups; g++) {
    const start = starts[g]!;
    const end = starts[g + 1]!;
    const size = end - start;
    if (size < 2) continue;
    const clique = size - 1 <= maxDegree;
    for (let p = start; p < end; p++) {
      let at = rowPtr[members ? members[p]! : p]!;
      if (clique) {
        for (let q = start; q < end; q++) if (q !== p) colIdx[at++] = members ? members[q]! : q;
      } else {
        const pos = p - start;
        for (let k = 1; k <= half; k++) {
          colIdx[at++] = members ? members[start + ((pos + k) % size)]! : start + ((pos + k) % size);
          colIdx[at++] = members ? members[start + ((pos - k + size) % size)]! : start + ((pos - k + size) % size);
        }
      }
    }
  }
  return network(rowPtr, colIdx, weight, description);
}

/**
 * Fills CSR rows from (row, col) entries arriving in random row order, with the memory traffic of a
 * radix pass: entries are buffered, grouped by blocks of 2^15 rows, and then written block by block,
 * so each block's part of colIdx stays in cache. The result equals writing each entry directly to
 * `colIdx[cursor[row]++]` in arrival order.
 */
class BlockedScatter {
  static readonly SHIFT = 15;
  readonly #rows: Int32Array;
  readonly #cols: Int32Array;
  readonly #sortedRows: Int32Array;
  readonly #sortedCols: Int32Array;
  readonly #bucketStarts: Int32Array;
  #pending = 0;
  constructor(
    readonly cursor: Int32Array,
    readonly colIdx: Int32Array,
    capacity = 1 << 22,
  ) {
    const size = Math.max(1, Math.min(capacity, colIdx.length));
    this.#rows = new Int32Array(size);
    this.#cols = new Int32Array(size);
    this.#sortedRows = new Int32Array(size);
    this.#sortedCols = new Int32Array(size);
    this.#bucketStarts = new Int32Array((cursor.length >> BlockedScatter.SHIFT) + 2);
  }
  add(row: number, col: number): void {
    if (this.#pending === this.#rows.length) this.flush();
    this.#rows[this.#pending] = row;
    this.#cols[this.#pending++] = col;
  }
  flush(): void {
    const n = this.#pending;
    const rows = this.#rows;
    const cols = this.#cols;
    const starts = this.#bucketStarts;
    const shift = BlockedScatter.SHIFT;
    starts.fill(0);
    for (let p = 0; p < n; p++) starts[(rows[p]! >> shift) + 1]!++;
    for (let b = 1; b < starts.length; b++) starts[b]! += starts[b - 1]!;
    const sortedRows = this.#sortedRows;
    const sortedCols = this.#sortedCols;
    for (let p = 0; p < n; p++) {
      const at = starts[rows[p]! >> shift]!++;
      sortedRows[at] = rows[p]!;
      sortedCols[at] = cols[p]!;
    }
    const cursor = this.cursor;
    const colIdx = this.colIdx;
    for (let p = 0; p < n; p++) colIdx[cursor[sortedRows[p]!]!++] = sortedCols[p]!;
    this.#pending = 0;
  }
}

/** Uniform integer in [0, n) from a 32-bit hash (multiply-shift: cheaper than %, bias below 2^-32 * n). */
const below = (hash: number, n: number): number => Math.floor(hash * n * 2.3283064365386963e-10);

/**
 * Random contacts inside areas: area a (agents `areaStarts[a] .. areaStarts[a+1])`) gets
 * round(n_a * meanDegree / 2) pairs (i, j), i != j, both uniform in the area, each added in both
 * directions; so the mean degree is `meanDegree` and degrees are close to Poisson. Pairs are drawn
 * twice from the counter-based hash (count, then fill), so no pair list is stored.
 */
export function randomPairsLayer(areaStarts: Int32Array, meanDegree: number, keys: readonly number[], weight: number, description: string): CsrNetwork {
  const areas = areaStarts.length - 1;
  const agents = areaStarts[areas]!;
  const pairs = new Float64Array(areas);
  let total = 0;
  for (let a = 0; a < areas; a++) {
    const n = areaStarts[a + 1]! - areaStarts[a]!;
    pairs[a] = n >= 2 ? Math.round((n * meanDegree) / 2) : 0;
    total += 2 * pairs[a]!;
  }
  checkEdges(total, 'community');
  const rowPtr = sharedInt32(agents + 1);
  const visit = (emit: (i: number, j: number) => void): void => {
    for (let a = 0; a < areas; a++) {
      const start = areaStarts[a]!;
      const n = areaStarts[a + 1]! - start;
      const key = keys[a]!;
      for (let k = 0, m = pairs[a]!; k < m; k++) {
        const i = below(uint32At(key, 2 * k), n);
        let j = below(uint32At(key, 2 * k + 1), n);
        if (i === j) j = (j + 1 + below(uint32At(key ^ 0x5bd1e995, k), n - 1)) % n;
        emit(start + i, start + j);
      }
    }
  };
  visit((i, j) => {
    rowPtr[i + 1]!++;
    rowPtr[j + 1]!++;
  });
  prefixSum(rowPtr, 'community');
  const colIdx = sharedInt32(total);
  const scatter = new BlockedScatter(rowPtr.slice(0, agents), colIdx);
  visit((i, j) => {
    scatter.add(i, j);
    scatter.add(j, i);
  });
  scatter.flush();
  return network(rowPtr, colIdx, weight, description);
}
