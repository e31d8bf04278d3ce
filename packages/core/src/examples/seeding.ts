/**
 * Initial infections of the example epidemic models: a fraction `seedFraction`
 * of agents, the same ones for every compartment (one shared uniform stream).
 */
import type { InitContext } from '../model.js';

/** An initialiser: 1 for agents drawn as seeds (`infected`) or for the others (`!infected`). */
export const seeded = (infected: boolean) => (ctx: InitContext): Float32Array => {
  const u = ctx.uniform('seed');
  const fraction = ctx.params.seedFraction as number;
  const out = new Float32Array(u.length);
  // A plain loop: Float32Array.from with a map function takes seconds at 8.4M agents.
  for (let i = 0; i < u.length; i++) out[i] = (u[i]! < fraction) === infected ? 1 : 0;
  return out;
};
