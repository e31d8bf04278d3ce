/**
 * Yoga keeps parsed documents (and parse errors) by their text so a repeated
 * operation is not parsed again. Its default cache holds 1,024 of any size:
 * an attacker sending large distinct documents would make the server hold
 * their text and trees. This cache keeps only documents up to
 * `MAX_CACHED_DOCUMENT_CHARS` characters, at most `MAX_CACHED_DOCUMENTS` of
 * them, dropping the least recently used.
 */

/** Documents longer than this are parsed every time, never kept. */
export const MAX_CACHED_DOCUMENT_CHARS = 20_000;
/** Documents kept at most. */
export const MAX_CACHED_DOCUMENTS = 512;

/** A get/set cache, as Yoga's `parserAndValidationCache` takes it. */
export interface DocumentCache<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
}

/**
 * A least-recently-used cache that keeps nothing under a key over `maxKeyChars`.
 *
 * @example
 * ```ts
 * createYoga({ schema, parserAndValidationCache: { documentCache: boundedDocumentCache(), errorCache: boundedDocumentCache() } });
 * ```
 */
export function boundedDocumentCache<T>(maxEntries = MAX_CACHED_DOCUMENTS, maxKeyChars = MAX_CACHED_DOCUMENT_CHARS): DocumentCache<T> {
  const entries = new Map<string, T>();
  return {
    get(key) {
      const v = entries.get(key);
      if (v !== undefined) {
        entries.delete(key);
        entries.set(key, v);
      }
      return v;
    },
    set(key, value) {
      if (key.length > maxKeyChars) return;
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}
