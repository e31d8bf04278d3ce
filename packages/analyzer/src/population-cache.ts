/**
 * Built populations, kept for a while: statistics questions tend to come in
 * series over the same population, size and seed, and a build is
 * deterministic, so the last few builds per runtime are reused.
 */
import type { PopulationData, Runtime } from '@populace/core';

/** Builds kept per runtime. */
export const POPULATION_CACHE_SIZE = 2;

const caches = new WeakMap<Runtime, Map<string, Promise<PopulationData>>>();

/**
 * The population `id` (a full id) built with `agents` agents and `seed`, from the cache when the
 * same build was asked for recently.
 */
export function buildPopulation(runtime: Runtime, id: string, agents: number, seed: number): Promise<PopulationData> {
  let cache = caches.get(runtime);
  if (!cache) caches.set(runtime, (cache = new Map()));
  const key = `${id}\u0000${agents}\u0000${seed}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const built = Promise.resolve().then(() => runtime.populations.get(id).definition.build({ agents, seed }));
  cache.set(key, built);
  built.catch(() => cache.delete(key));
  while (cache.size > POPULATION_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return built;
}
