/**
 * The integer mixer of ../../random.ts as JavaScript source, for the worker-pool
 * programs that hash counters inside their loops (Bernoulli draws, hashed
 * contacts, the self-transpose check). Tests check those programs against the
 * TypeScript functions, so the two stay the same.
 */
export const MIX32_SOURCE = String.raw`
function mix32(x) {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}
`;
