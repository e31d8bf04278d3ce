/**
 * Built populations, kept for a while: statistics questions tend to come in
 * series over the same population, size and seed, and a build is
 * deterministic, so the last few builds per runtime are reused. A build in
 * progress is shared by every caller asking for it; a finished one is kept
 * only up to POPULATION_CACHE_MAX_AGENTS agents, so a server does not hold
 * gigabytes after answering one large question.
 */
import type { PopulationData, Runtime } from '@populace/core';

/** Builds kept per runtime. */
export const POPULATION_CACHE_SIZE = 2;
/** The largest build kept once finished (agents). */
export const POPULATION_CACHE_MAX_AGENTS = 500_000;

/** How a population is built: the definition's own `build` by default, or a builder that runs it elsewhere (a worker thread). */
export type BuildPopulationFn = (runtime: Runtime, id: string, agents: number, seed: number) => Promise<PopulationData>;

const caches = new WeakMap<Runtime, Map<string, Promise<PopulationData>>>();

/**
 * The population `id` (a full id) built with `agents` agents and `seed`, from the cache when the
 * same build was asked for recently (or is in progress); `builder` builds it (default: in this thread).
 */
export function buildPopulation(runtime: Runtime, id: string, agents: number, seed: number, builder?: BuildPopulationFn): Promise<PopulationData> {
  let cache = caches.get(runtime);
  if (!cache) caches.set(runtime, (cache = new Map()));
  const key = `${id}\u0000${agents}\u0000${seed}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const built = Promise.resolve().then(() => (builder ? builder(runtime, id, agents, seed) : runtime.populations.get(id).definition.build({ agents, seed })));
  cache.set(key, built);
  built.then(
    () => agents > POPULATION_CACHE_MAX_AGENTS && cache!.get(key) === built && cache!.delete(key),
    () => cache!.delete(key),
  );
  while (cache.size > POPULATION_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return built;
}
