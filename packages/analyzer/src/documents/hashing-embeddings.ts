/**
 * Deterministic offline embeddings: feature-hashed word unigrams and
 * bigrams, weighted by (1 + ln tf) x idf and L2-normalised. No model, no
 * network; fit the document frequencies on the corpus for idf weights.
 */
import { hashString } from '@populace/core';
import { Embeddings } from '@langchain/core/embeddings';
import { terms } from './tokens.js';

/** Options of `HashingEmbeddings`. */
export interface HashingEmbeddingsOptions {
  /** Vector length, a power of two (default 4096). */
  readonly dimensions?: number;
}

/**
 * Feature-hashing embeddings: each term (stemmed word or bigram) adds (1 + ln count) x idf to one
 * of `dimensions` coordinates with a hashed sign; the vector is L2-normalised. Before `fit`,
 * every idf is 1.
 *
 * @example
 * ```ts
 * const embeddings = new HashingEmbeddings().fit(texts);
 * const store = new CosineVectorStore(embeddings);
 * await store.addDocuments(docs);
 * ```
 */
export class HashingEmbeddings extends Embeddings {
  /** Vector length. */
  readonly dimensions: number;
  #idf = new Map<string, number>();
  #unseenIdf = 1;

  constructor(options: HashingEmbeddingsOptions = {}) {
    super({});
    const d = options.dimensions ?? 4096;
    if (!Number.isInteger(d) || d < 16 || (d & (d - 1)) !== 0) throw new RangeError(`HashingEmbeddings: dimensions expected a power of two >= 16, received ${String(d)}.`);
    this.dimensions = d;
  }

  /**
   * Sets the idf weights from a corpus: idf(t) = ln((1 + N) / (1 + df(t))) + 1, with df(t) the
   * number of texts containing t. Terms not in the corpus get the weight of df = 0.
   */
  fit(texts: readonly string[]): this {
    const df = new Map<string, number>();
    for (const text of texts) for (const t of new Set(terms(text))) df.set(t, (df.get(t) ?? 0) + 1);
    const n = texts.length;
    this.#idf = new Map([...df].map(([t, c]) => [t, Math.log((1 + n) / (1 + c)) + 1]));
    this.#unseenIdf = Math.log(1 + n) + 1;
    return this;
  }

  /** The embedding of one text (synchronous). */
  embed(text: string): number[] {
    const v = new Float64Array(this.dimensions);
    const counts = new Map<string, number>();
    for (const t of terms(text)) counts.set(t, (counts.get(t) ?? 0) + 1);
    const fitted = this.#idf.size > 0;
    for (const [t, c] of counts) {
      const h = hashString(t);
      const w = (1 + Math.log(c)) * (fitted ? (this.#idf.get(t) ?? this.#unseenIdf) : 1);
      v[h & (this.dimensions - 1)]! += h >>> 31 ? -w : w;
    }
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    return Array.from(v, (x) => (norm === 0 ? 0 : x / norm));
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => this.embed(d));
  }

  override async embedQuery(document: string): Promise<number[]> {
    return this.embed(document);
  }
}
