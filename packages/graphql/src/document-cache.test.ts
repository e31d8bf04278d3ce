/** The parsed-document cache keeps small documents only, the most recently used. */
import { describe, expect, it } from 'vitest';
import { boundedDocumentCache } from './document-cache.js';

describe('boundedDocumentCache', () => {
  it('keeps nothing under a long key and drops the least recently used', () => {
    const cache = boundedDocumentCache<number>(2, 10);
    cache.set('x'.repeat(11), 1);
    expect(cache.get('x'.repeat(11))).toBeUndefined();
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });
});
