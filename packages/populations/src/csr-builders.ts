/**
 * Building symmetric CSR contact layers in linear time with typed arrays:
 * cliques or ring lattices inside groups (households, classes, workplaces).
 * Row i lists i's in-contacts, sorted ascending; every layer here is symmetric
 * and has no self-loops. (Random pairs inside areas: random-pairs-layer.ts.)
 */
import { PopulaceError, type CsrNetwork } from '@populace/core';

const MAX_EDGES = 2 ** 31 - 1;

/** Throws unless a layer's edge count fits int32 CSR indices. */
export function checkEdges(total: number, layer: string): void {
  if (total > MAX_EDGES) {
    throw new PopulaceError('invalid-argument', `population layer '${layer}': expected at most ${MAX_EDGES} edges (int32 CSR indices), received ${total}. Build fewer agents, lower the layer's contacts, or use communityContacts: 'hashed'.`, { details: { layer, edges: total } });
  }
}

/** Contacts of a member of a group of `size` when each has at most `maxDegree` (even) contacts. */
export function groupDegree(size: number, maxDegree: number): number {
  return size - 1 <= maxDegree ? size - 1 : maxDegree;
}

/** Turns per-row counts at `rowPtr[i + 1]` into row starts (in place); returns the edge count. */
export function prefixSum(rowPtr: Int32Array, layer: string): number {
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

/** Sorts the contacts of rows `[from, to)` ascending (insertion sort: rows are short and contiguous). */
export function sortRows(rowPtr: Int32Array, colIdx: Int32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) sortRange(colIdx, rowPtr[i]!, rowPtr[i + 1]!);
}

/** Sorts `values[start .. end)` ascending (insertion sort, for short ranges). */
function sortRange(values: Int32Array, start: number, end: number): void {
  for (let e = start + 1; e < end; e++) {
    const c = values[e]!;
    let k = e - 1;
    while (k >= start && values[k]! > c) {
      values[k + 1] = values[k]!;
      k--;
    }
    values[k + 1] = c;
  }
}

/**
 * A layer from CSR arrays whose rows are sorted ascending: a symmetric layer with sorted rows is its
 * own transpose, which core's message passing detects and uses for the backward pass and the sparse
 * forward instead of building (and holding) a transposed copy. Per-edge weights only when the layer's
 * weight is not 1 (unweighted message passing is faster and 4 bytes per edge lighter).
 */
export function network(rowPtr: Int32Array, colIdx: Int32Array, weight: number, description: string): CsrNetwork {
  if (weight === 1) return { kind: 'csr', agents: 'people', rowPtr, colIdx, description };
  const weights = new Float32Array(new SharedArrayBuffer(4 * colIdx.length)).fill(weight);
  return { kind: 'csr', agents: 'people', rowPtr, colIdx, weights, description };
}

/** Rows of a clique of agents `start .. start + size`: each lists the others, ascending. */
function numberedCliqueRows(rowPtr: Int32Array, colIdx: Int32Array, start: number, size: number): void {
  const end = start + size;
  for (let p = start; p < end; p++) {
    let at = rowPtr[p]!;
    for (let q = start; q < end; q++) if (q !== p) colIdx[at++] = q;
  }
}

/** Rows of a clique whose members are `sorted[0 .. size)` (ascending): each lists the others. */
function cliqueRows(rowPtr: Int32Array, colIdx: Int32Array, sorted: Int32Array, size: number): void {
  for (let p = 0; p < size; p++) {
    let at = rowPtr[sorted[p]!]!;
    for (let q = 0; q < size; q++) if (q !== p) colIdx[at++] = sorted[q]!;
  }
}

/** Rows of a ring lattice over the group at `start` (members or numbered): each member meets the `half` on either side (unsorted). */
function ringRows(rowPtr: Int32Array, colIdx: Int32Array, members: Int32Array | null, start: number, size: number, half: number): void {
  for (let pos = 0; pos < size; pos++) {
    let at = rowPtr[members ? members[start + pos]! : start + pos]!;
    for (let k = 1; k <= half; k++) {
      const right = start + ((pos + k) % size);
      const left = start + ((pos - k + size) % size);
      colIdx[at++] = members ? members[right]! : right;
      colIdx[at++] = members ? members[left]! : left;
    }
  }
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
  // Clique rows are written sorted: a clique's members are sorted once per group (numbered groups
  // already are). Ring lattice rows are sorted afterwards, in one pass over the rows in order (measured
  // faster than sorting each row right after writing it).
  let sorted = new Int32Array(64);
  let rings = false;
  for (let g = 0; g < groups; g++) {
    const start = starts[g]!;
    const size = starts[g + 1]! - start;
    if (size < 2) continue;
    if (size - 1 > maxDegree) {
      ringRows(rowPtr, colIdx, members, start, size, maxDegree >>> 1);
      rings = true;
    }
    else if (members === null) numberedCliqueRows(rowPtr, colIdx, start, size);
    else {
      if (sorted.length < size) sorted = new Int32Array(2 * size);
      for (let p = 0; p < size; p++) sorted[p] = members[start + p]!;
      sortRange(sorted, 0, size);
      cliqueRows(rowPtr, colIdx, sorted, size);
    }
  }
  if (rings) sortRows(rowPtr, colIdx, 0, agents);
  return network(rowPtr, colIdx, weight, description);
}
