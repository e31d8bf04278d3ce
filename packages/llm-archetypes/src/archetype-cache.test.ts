/**
 * ArchetypeCache: a bounded in-memory map that drops its oldest entries first.
 */
import { describe, expect, it } from 'vitest';
import { ArchetypeCache } from './archetype-cache.js';

describe('ArchetypeCache', () => {
  it('stores answers and evicts the least recently written beyond maxEntries', () => {
    const cache = new ArchetypeCache({ maxEntries: 2 });
    cache.set('a', { answer: { v: 1 } });
    cache.set('b', { answer: { v: 2 } });
    cache.set('a', { answer: { v: 3 } }); // rewriting a makes b the oldest
    cache.set('c', { answer: { v: 4 } });
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.answer).toEqual({ v: 3 });
    expect(cache.get('c')?.answer).toEqual({ v: 4 });
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('rejects a bad bound', () => {
    expect(() => new ArchetypeCache({ maxEntries: 0 })).toThrow(/maxEntries: expected a positive integer/);
  });
});
