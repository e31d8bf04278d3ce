/**
 * Initial infections of the example epidemic models: a fraction `seedFraction`
 * of agents, the same ones for every compartment (one shared uniform stream).
 */
import type { InitContext } from '../model.js';

/** An initialiser: 1 for agents drawn as seeds (`infected`) or for the others (`!infected`). */
export const seeded = (infected: boolean) => (ctx: InitContext): Float32Array =>
  Float32Array.from(ctx.uniform('seed'), (u) => ((u < (ctx.params.seedFraction as number)) === infected ? 1 : 0));
