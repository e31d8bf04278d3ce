/**
 * The answer cache of archetype behaviours: validated model answers by
 * (model identity, rendered messages, sample index). Identical questions cost
 * nothing; behaviours that share a cache share their answers.
 */
import { PopulaceError } from '@populace/core';

/** A cached, validated answer. */
export interface CachedAnswer {
  readonly answer: Readonly<Record<string, unknown>>;
}

/**
 * An in-memory answer cache, bounded by `maxEntries` (the oldest entries go first).
 *
 * @example
 * ```ts
 * const cache = new ArchetypeCache();
 * const a = archetype.behavior(simA, { model, cache });
 * const b = archetype.behavior(simB, { model, cache });   // asks nothing a already asked
 * ```
 */
export class ArchetypeCache {
  readonly maxEntries: number;
  readonly #entries = new Map<string, CachedAnswer>();

  constructor(options: { maxEntries?: number } = {}) {
    const max = options.maxEntries ?? 100_000;
    if (!(Number.isInteger(max) && max > 0)) throw new PopulaceError('invalid-argument', `ArchetypeCache maxEntries: expected a positive integer, received ${String(max)}.`);
    this.maxEntries = max;
  }

  /** Number of cached answers. */
  get size(): number {
    return this.#entries.size;
  }

  get(key: string): CachedAnswer | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: CachedAnswer): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }

  clear(): void {
    this.#entries.clear();
  }
}
