/**
 * Initial infections: exactly `seedInfections` agents, drawn uniformly at
 * random (without replacement) from a counter-based stream of the seed, the
 * same set for every property of a model.
 */
import { hashString, PopulaceError, streamKey, uint32At, type InitContext } from '@populace/core';

const SEED_STREAM = hashString('epi/seed-infections');

/**
 * A 0/1 mask of `k` distinct agents out of `count`, deterministic in (count, k, seed).
 * Throws a PopulaceError when `k` exceeds `count`.
 *
 * @example
 * ```ts
 * const mask = seedMask(10_000, 10, 1); // ten 1s
 * ```
 */
export function seedMask(count: number, k: number, seed: number): Uint8Array {
  if (!Number.isInteger(k) || k < 0 || k > count) {
    throw new PopulaceError('param-out-of-bounds', `parameter 'seedInfections': expected a whole number in [0, ${count}] (at most the number of agents), received ${k}. Lower seedInfections or simulate more agents.`, { details: { param: 'seedInfections', bounds: [0, count], received: k } });
  }
  const key = streamKey(seed, 0xfffffffe, SEED_STREAM);
  // Draw the smaller of the set and its complement by rejection, so that it stays O(k) draws.
  const complement = k > count / 2;
  const target = complement ? count - k : k;
  const mask = new Uint8Array(count).fill(complement ? 1 : 0);
  const mark = complement ? 0 : 1;
  for (let j = 0, placed = 0; placed < target; j++) {
    const i = uint32At(key, j) % count;
    if (mask[i] !== mark) {
      mask[i] = mark;
      placed++;
    }
  }
  return mask;
}

/** The seed mask of an initialiser's agents (`seedInfections` from its parameters). */
export function seedsOf(ctx: InitContext): Uint8Array {
  return seedMask(ctx.count, Number(ctx.params.seedInfections ?? 0), ctx.seed);
}

/** An initialiser: 1 for the seed infections, 0 elsewhere (`seeded(true)`), or the reverse. */
export const seeded = (infected: boolean) => (ctx: InitContext): Float32Array => {
  const seeds = seedsOf(ctx);
  const out = new Float32Array(seeds.length);
  // A plain loop: Float32Array.from with a map function takes seconds at city scale.
  for (let i = 0; i < seeds.length; i++) out[i] = (seeds[i] === 1) === infected ? 1 : 0;
  return out;
};
