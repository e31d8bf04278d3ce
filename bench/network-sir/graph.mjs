// The random contact graph and initial infections for the op-by-op baseline, from a seeded
// generator (mulberry32), independent of Populace's own code.

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** CSR in-contacts: agent i's contacts are colIdx[rowPtr[i] .. rowPtr[i + 1]), `degree` each, uniform over all agents. */
export function randomCsr(agents, degree, seed) {
  const rand = mulberry32(seed);
  const rowPtr = new Int32Array(agents + 1);
  const colIdx = new Int32Array(agents * degree);
  for (let i = 0; i < agents; i++) rowPtr[i + 1] = (i + 1) * degree;
  for (let e = 0; e < colIdx.length; e++) colIdx[e] = Math.floor(rand() * agents);
  return { rowPtr, colIdx };
}

/** 1 for each agent infected on day 0 (each with probability `fraction`). */
export function initialInfected(agents, fraction, seed) {
  const rand = mulberry32(seed ^ 0x9e3779b9);
  return Float32Array.from({ length: agents }, () => (rand() < fraction ? 1 : 0));
}
