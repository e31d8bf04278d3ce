/**
 * The CSR layer builders against a plain reference: every entry of every row collected in a JS array
 * and sorted, so the fast builders (blocked partitions, rows written in sorted order) must give exactly
 * the same rowPtr and colIdx, including empty areas, single agents, areas spanning several row blocks,
 * areas too large to buffer their pairs, ring lattices and weights.
 */
import { describe, expect, it } from 'vitest';
import { uint32At, type CsrNetwork } from '@populace/core';
import { groupLayer } from './csr-builders.js';
import { randomPairsLayer } from './random-pairs-layer.js';

function csrOf(rows: number[][]): { rowPtr: number[]; colIdx: number[] } {
  const rowPtr = [0];
  const colIdx: number[] = [];
  for (const r of rows) {
    colIdx.push(...[...r].sort((a, b) => a - b));
    rowPtr.push(colIdx.length);
  }
  return { rowPtr, colIdx };
}

const plain = (n: CsrNetwork) => ({ rowPtr: Array.from(n.rowPtr), colIdx: Array.from(n.colIdx) });

/** The pairs as documented: pair k of an area of n agents is (i, j) from the hashes of counters 2k and 2k + 1, j redrawn among the others when equal to i. */
function referencePairs(areaStarts: number[], meanDegree: number, keys: number[]): number[][] {
  const agents = areaStarts.at(-1)!;
  const rows: number[][] = Array.from({ length: agents }, () => []);
  const below = (h: number, n: number) => Math.floor(h * n * 2.3283064365386963e-10);
  for (let a = 0; a + 1 < areaStarts.length; a++) {
    const start = areaStarts[a]!;
    const n = areaStarts[a + 1]! - start;
    const m = n >= 2 ? Math.round((n * meanDegree) / 2) : 0;
    for (let k = 0; k < m; k++) {
      const i = below(uint32At(keys[a]!, 2 * k), n);
      let j = below(uint32At(keys[a]!, 2 * k + 1), n);
      if (i === j) j = (j + 1 + below(uint32At(keys[a]! ^ 0x5bd1e995, k), n - 1)) % n;
      rows[start + i]!.push(start + j);
      rows[start + j]!.push(start + i);
    }
  }
  return rows;
}

describe('randomPairsLayer', () => {
  const areaStarts = [0, 0, 1, 3, 40_003, 40_010, 75_000];
  const keys = [11, 22, 33, 44, 55, 66];

  it.each([10, 3.3, 0])('equals the sorted reference at mean degree %s (empty, 1- and 2-agent areas, areas over several row blocks)', (degree) => {
    const built = randomPairsLayer(Int32Array.from(areaStarts), degree, keys, 1, 'test');
    expect(plain(built)).toEqual(csrOf(referencePairs(areaStarts, degree, keys)));
    expect(built.weights).toBeUndefined();
    expect(built.colIdx.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('gives the same layer when areas draw their pairs twice instead of buffering them', () => {
    const buffered = randomPairsLayer(Int32Array.from(areaStarts), 8, keys, 1, 'test');
    for (const limit of [0, 50_000]) expect(plain(randomPairsLayer(Int32Array.from(areaStarts), 8, keys, 1, 'test', { maxBufferedPairs: limit }))).toEqual(plain(buffered));
  });

  it('stores weights only when the weight is not 1', () => {
    const w = randomPairsLayer(Int32Array.from([0, 100]), 4, [5], 0.5, 'test');
    expect(Array.from(w.weights!)).toEqual(new Array(400).fill(0.5));
  });
});

describe('groupLayer', () => {
  /** Reference: clique or ring lattice over each group's members in their given order. */
  function referenceGroups(agents: number, members: number[] | null, starts: number[], maxDegree: number): number[][] {
    const rows: number[][] = Array.from({ length: agents }, () => []);
    const id = (p: number) => (members ? members[p]! : p);
    for (let g = 0; g + 1 < starts.length; g++) {
      const start = starts[g]!;
      const size = starts[g + 1]! - start;
      for (let pos = 0; pos < size; pos++) {
        const row = rows[id(start + pos)]!;
        if (size - 1 <= maxDegree) {
          for (let q = 0; q < size; q++) if (q !== pos) row.push(id(start + q));
        } else {
          for (let k = 1; k <= maxDegree / 2; k++) row.push(id(start + ((pos + k) % size)), id(start + ((pos - k + size) % size)));
        }
      }
    }
    return rows;
  }

  const agents = 500;
  // Groups of sizes 0, 1, 2, 5, 9, 30 and 200 over a shuffled permutation; 36 agents in no group.
  const starts = [0, 0, 1, 3, 8, 17, 47, 247, 464];
  const members = Array.from({ length: agents }, (_, i) => i);
  for (let i = agents - 1; i > 0; i--) {
    const j = uint32At(9, i) % (i + 1);
    [members[i], members[j]] = [members[j]!, members[i]!];
  }
  const groupMembers = members.slice(0, 464);

  it.each([4, 8, 1000])('equals the sorted reference with shuffled members, maxDegree %s (cliques and ring lattices)', (maxDegree) => {
    const built = groupLayer(agents, Int32Array.from(groupMembers), Int32Array.from(starts), starts.length - 1, maxDegree, 1, 'test', 'test');
    expect(plain(built)).toEqual(csrOf(referenceGroups(agents, groupMembers, starts, maxDegree)));
  });

  it.each([4, 1000])('equals the sorted reference with numbered groups, maxDegree %s', (maxDegree) => {
    const built = groupLayer(agents, null, Int32Array.from(starts), starts.length - 1, maxDegree, 2, 'test', 'test');
    expect(plain(built)).toEqual(csrOf(referenceGroups(agents, null, starts, maxDegree)));
    expect(built.weights!.every((w) => w === 2)).toBe(true);
  });
});
