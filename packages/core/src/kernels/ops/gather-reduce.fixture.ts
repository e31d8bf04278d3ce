/**
 * Test graphs for the gather-reduce kernels: CSR arrays with every awkward
 * feature (empty rows, self-loops, duplicate edges, an isolated agent, a hub).
 */

/** A graph as plain arrays, so it can be rebuilt on any backend. */
export interface Graph {
  name: string;
  n: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  weights: Float32Array;
}

/** A small seeded generator (mulberry32) returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random CSR graph: a quarter of the rows empty, 15% self-loops, duplicate
 * edges, agent `n - 1` isolated (no edges in or out) and, with `hubDegree`,
 * row `n >> 1` hearing `hubDegree` random agents.
 */
export function randomGraph(seed: number, n: number, maxDeg: number, hubDegree = 0): Graph {
  const rng = mulberry32(seed);
  const isolated = n > 2 ? n - 1 : -1;
  const hub = hubDegree > 0 ? n >> 1 : -1;
  const rowPtr = new Int32Array(n + 1);
  const colIdx: number[] = [];
  for (let i = 0; i < n; i++) {
    const deg = i === isolated ? 0 : i === hub ? hubDegree : rng() < 0.25 ? 0 : 1 + Math.floor(rng() * maxDeg);
    for (let d = 0; d < deg; d++) {
      const r = rng();
      let c = r < 0.15 ? i : r < 0.3 && d > 0 ? colIdx[colIdx.length - 1] : Math.floor(rng() * n);
      if (c === isolated) c = i === isolated ? 0 : i;
      colIdx.push(c);
    }
    rowPtr[i + 1] = colIdx.length;
  }
  const weights = Float32Array.from(colIdx, () => rng() * 2 - 0.5);
  return { name: `random(seed=${seed}, n=${n}, E=${colIdx.length})`, n, rowPtr, colIdx: Int32Array.from(colIdx), weights };
}

/** `size` floats, a `density` fraction of them non-zero (in [-1, 1)), the rest +0 or -0. */
export function sparseArray(seed: number, size: number, density: number): Float32Array {
  const rng = mulberry32(seed);
  const a = new Float32Array(size);
  for (let i = 0; i < size; i++) a[i] = rng() < density ? rng() * 2 - 1 : rng() < 0.5 ? 0 : -0;
  return a;
}

/** A graph from plain arrays. */
export function graphOf(name: string, rowPtr: number[], colIdx: number[], weights: number[]): Graph {
  return { name, n: rowPtr.length - 1, rowPtr: Int32Array.from(rowPtr), colIdx: Int32Array.from(colIdx), weights: Float32Array.from(weights) };
}
