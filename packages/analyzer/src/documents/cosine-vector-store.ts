/**
 * An in-memory LangChain vector store ranked by cosine similarity, with
 * optional filtering by a predicate on the document.
 */
import { Document, type DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { VectorStore } from '@langchain/core/vectorstores';

interface Entry {
  readonly id: string;
  readonly vector: readonly number[];
  readonly document: DocumentInterface;
}

/** Cosine similarity of two vectors of the same length (0 when either is zero). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * A vector store in memory: documents with their vectors, searched by cosine similarity. Works
 * with any LangChain embeddings (the offline `HashingEmbeddings`, or a provider's).
 *
 * @example
 * ```ts
 * const store = await CosineVectorStore.fromDocuments([new Document({ pageContent: 'SIR model', metadata: { id: 'sir' } })], new HashingEmbeddings());
 * const [[doc, score]] = await store.similaritySearchWithScore('susceptible infected recovered', 1);
 * ```
 */
export class CosineVectorStore extends VectorStore {
  declare FilterType: (document: DocumentInterface) => boolean;
  #entries = new Map<string, Entry>();
  #next = 0;

  constructor(embeddings: EmbeddingsInterface) {
    super(embeddings, {});
  }

  /** Documents held. */
  get size(): number {
    return this.#entries.size;
  }

  override _vectorstoreType(): string {
    return 'populace-cosine';
  }

  /** Adds documents with their vectors; `options.ids` (else each document's id, else a counter) name them, replacing documents of the same id. */
  override async addVectors(vectors: number[][], documents: DocumentInterface[], options?: { ids?: string[] }): Promise<string[]> {
    if (vectors.length !== documents.length) throw new RangeError(`CosineVectorStore.addVectors: ${vectors.length} vectors for ${documents.length} documents; expected one vector per document.`);
    return documents.map((document, i) => {
      const id = options?.ids?.[i] ?? document.id ?? `doc-${++this.#next}`;
      const vector = vectors[i]!;
      this.#entries.set(id, { id, vector, document: new Document({ pageContent: document.pageContent, metadata: { ...document.metadata }, id }) });
      return id;
    });
  }

  override async addDocuments(documents: DocumentInterface[], options?: { ids?: string[] }): Promise<string[]> {
    return this.addVectors(await this.embeddings.embedDocuments(documents.map((d) => d.pageContent)), documents, options);
  }

  /** Removes documents by id (all of them without ids). */
  override async delete(params?: { ids?: string[] }): Promise<void> {
    if (!params?.ids) this.#entries.clear();
    else for (const id of params.ids) this.#entries.delete(id);
  }

  override async similaritySearchVectorWithScore(query: number[], k: number, filter?: this['FilterType']): Promise<[DocumentInterface, number][]> {
    const scored: [DocumentInterface, number][] = [];
    for (const e of this.#entries.values()) {
      if (filter && !filter(e.document)) continue;
      scored.push([e.document, cosineSimilarity(query, e.vector)]);
    }
    return scored.sort((a, b) => b[1] - a[1]).slice(0, Math.max(0, k));
  }

  /** A store holding `documents`, embedded with `embeddings`. */
  static override async fromDocuments(documents: DocumentInterface[], embeddings: EmbeddingsInterface): Promise<CosineVectorStore> {
    const store = new CosineVectorStore(embeddings);
    await store.addDocuments(documents);
    return store;
  }

  /** A store holding `texts` with the matching `metadatas` (one object for all, or one per text). */
  static override async fromTexts(texts: string[], metadatas: object[] | object, embeddings: EmbeddingsInterface): Promise<CosineVectorStore> {
    const docs = texts.map((pageContent, i) => new Document({ pageContent, metadata: { ...(Array.isArray(metadatas) ? metadatas[i] : metadatas) } }));
    return CosineVectorStore.fromDocuments(docs, embeddings);
  }
}
