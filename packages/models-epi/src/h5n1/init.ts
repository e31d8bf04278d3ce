/**
 * Initial state of `epi/h5n1`: farm attributes from the population (or the
 * same generators without one), the seeded infected farms, and each
 * person's farm and role. Every attribute a population supplies is checked.
 */
import { PopulaceError, type InitContext } from '@populace/core';
import { FLYWAYS, flywayOf, sampleFlockSizes } from './flocks.js';
import { ROLE_WORKER } from './population.js';

function invalid(what: string, expected: string, index: number, received: unknown): never {
  throw new PopulaceError('invalid-argument', `epi/h5n1: population attribute ${what}[${index}] expected ${expected}, received ${String(received)}. Use a population that provides it (e.g. us-layer-farms) or fix its values.`, { details: { attribute: what, index } });
}

/**
 * Flock sizes: the population's `flockSize` attribute, else heavy-tailed sizes totalling the US
 * layer count. Held as float32: exact up to 2^24 (16.7 million) birds per flock.
 */
export function initFlockSize(ctx: InitContext): ArrayLike<number> {
  const given = ctx.attributes.flockSize;
  if (given === undefined) return sampleFlockSizes(ctx.uniform('flock-size'));
  for (let f = 0; f < given.length; f++) {
    const v = given[f]!;
    if (!Number.isFinite(v) || v < 0) invalid('farms.flockSize', 'a non-negative number of birds', f, v);
  }
  return given;
}

/** Flyway index per farm (0..3): the population's `flyway` attribute, else drawn by the flyway shares. */
export function initFlyway(ctx: InitContext): ArrayLike<number> {
  const given = ctx.attributes.flyway;
  if (given === undefined) return Int32Array.from(ctx.uniform('flyway'), flywayOf);
  for (let f = 0; f < given.length; f++) {
    const v = given[f]!;
    if (!Number.isInteger(v) || v < 0 || v >= FLYWAYS.length) invalid('farms.flyway', `an integer flyway index in [0, ${FLYWAYS.length - 1}] (${FLYWAYS.join(', ')})`, f, v);
  }
  return given;
}

/** 1 for the `seedFarms` farms with the smallest draws of the 'seed' stream (the same farms for every compartment). */
function seededFarms(ctx: InitContext): Uint8Array {
  const k = Number(ctx.params.seedFarms ?? 0);
  if (k > ctx.count) {
    throw new PopulaceError('invalid-param', `epi/h5n1 parameter 'seedFarms': expected at most the number of farms (${ctx.count}), received ${k}. Lower seedFarms or use more farms (a larger agent count).`, { details: { param: 'seedFarms', max: ctx.count, received: k } });
  }
  const out = new Uint8Array(ctx.count);
  if (k === 0) return out;
  const u = ctx.uniform('seed');
  const order = Array.from({ length: ctx.count }, (_, i) => i).sort((a, b) => u[a]! - u[b]! || a - b);
  for (let j = 0; j < k; j++) out[order[j]!] = 1;
  return out;
}

/** Infected (undetected) indicator at step 0. */
export const initInfectedFarms = (ctx: InitContext): Float32Array => Float32Array.from(seededFarms(ctx));

/** Susceptible indicator at step 0: every farm not seeded. */
export const initSusceptibleFarms = (ctx: InitContext): Float32Array => Float32Array.from(seededFarms(ctx), (x) => 1 - x);

/** Number of farms the model's `farms` agents map to (the population's `farms`, else the same count as people). */
function farmCount(ctx: InitContext): number {
  return ctx.population?.agents.farms?.count ?? ctx.count;
}

/** Each person's farm index: the population's `farm` attribute, else person i belongs to farm i. */
export function initPersonFarm(ctx: InitContext): ArrayLike<number> {
  const given = ctx.attributes.farm;
  const farms = farmCount(ctx);
  if (given === undefined) {
    if (ctx.count > farms) {
      throw new PopulaceError('invalid-argument', `epi/h5n1: the population has ${ctx.count} people but only ${farms} farms and no 'farm' attribute linking people to farms. Use a population that provides it (e.g. us-layer-farms).`);
    }
    return Int32Array.from({ length: ctx.count }, (_, i) => i);
  }
  for (let p = 0; p < given.length; p++) {
    const v = given[p]!;
    if (!Number.isInteger(v) || v < 0 || v >= farms) invalid('people.farm', `a farm index in [0, ${farms - 1}]`, p, v);
  }
  return given;
}

/** 1 for farm workers (exposed to their farm's birds), 0 for other people: from the `role` attribute, else everyone works. */
export function initWorker(ctx: InitContext): ArrayLike<number> {
  const role = ctx.attributes.role;
  if (role === undefined) return new Float32Array(ctx.count).fill(1);
  return Float32Array.from(role, (r) => (r === ROLE_WORKER ? 1 : 0));
}
