/**
 * The analyzer's document store: model and population cards, notes of the
 * recorded runs (refreshed from the run store at every search) and documents
 * users add, in a cosine vector store. With the default offline embeddings
 * the idf weights are refitted whenever the corpus changes.
 */
import { Document, type DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { isTerminal, type RunStore } from '@populace/server-kit';
import { PopulaceError, type Runtime } from '@populace/core';
import { modelCard, populationCard, runNote, type DocumentKind, type DocumentMeta } from './cards.js';
import { CosineVectorStore } from './cosine-vector-store.js';
import { HashingEmbeddings } from './hashing-embeddings.js';

/** A document a user adds: text with an optional id, title and metadata. */
export interface UserDocument {
  readonly id?: string | undefined;
  readonly title?: string | undefined;
  readonly text: string;
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
}

/** Options of `createDocumentIndex`. */
export interface DocumentIndexOptions {
  /** Its models and populations get a card each. */
  readonly runtime: Runtime;
  /** Its finished runs get a note each (the newest `maxRunNotes`). */
  readonly store?: RunStore | undefined;
  /** More documents: user notes, papers' abstracts, LangChain documents. */
  readonly documents?: readonly (UserDocument | DocumentInterface)[] | undefined;
  /** Any LangChain embeddings (default: the offline `HashingEmbeddings`). */
  readonly embeddings?: EmbeddingsInterface | undefined;
  /** Runs noted, newest first (default 200). */
  readonly maxRunNotes?: number | undefined;
}

/** One search hit. */
export interface DocumentHit {
  readonly id: string;
  readonly kind: DocumentKind;
  readonly title: string;
  /** Cosine similarity to the query. */
  readonly score: number;
  readonly text: string;
  readonly metadata: Readonly<Record<string, unknown>>;
}

function toDocument(d: UserDocument | DocumentInterface, i: number): Document<DocumentMeta> {
  if ('pageContent' in d) {
    const id = String(d.id ?? d.metadata?.id ?? `document-${i + 1}`);
    return new Document({ pageContent: d.pageContent, metadata: { ...d.metadata, id: `document:${id}`, kind: 'document', title: String(d.metadata?.title ?? id) }, id: `document:${id}` });
  }
  if (!d || typeof d.text !== 'string' || d.text.length === 0) {
    throw new PopulaceError('invalid-argument', `documents[${i}]: expected { text, id?, title?, metadata? } with a non-empty text (or a LangChain Document), received ${JSON.stringify(d)?.slice(0, 80)}.`);
  }
  const id = d.id ?? `document-${i + 1}`;
  return new Document({ pageContent: d.title ? `${d.title}\n${d.text}` : d.text, metadata: { ...d.metadata, id: `document:${id}`, kind: 'document', title: d.title ?? id }, id: `document:${id}` });
}

/** A searchable index of cards, run notes and user documents. */
export class DocumentIndex {
  readonly #runtime: Runtime;
  readonly #store: RunStore | undefined;
  readonly #embeddings: EmbeddingsInterface;
  readonly #maxRunNotes: number;
  readonly #fixed: Document<DocumentMeta>[] = [];
  readonly #notes = new Map<string, { key: string; doc: Document<DocumentMeta> }>();
  readonly #vectors: CosineVectorStore;
  /** Text of every indexed document, by id. */
  readonly #indexed = new Map<string, string>();
  #userCount = 0;
  #syncing: Promise<void> | undefined;

  constructor(options: DocumentIndexOptions) {
    if (!options?.runtime) throw new PopulaceError('invalid-argument', 'createDocumentIndex: expected { runtime, store?, documents?, embeddings? }, missing runtime.');
    this.#runtime = options.runtime;
    this.#store = options.store;
    this.#embeddings = options.embeddings ?? new HashingEmbeddings();
    this.#maxRunNotes = options.maxRunNotes ?? 200;
    this.#vectors = new CosineVectorStore(this.#embeddings);
    for (const id of this.#runtime.models.ids()) this.#fixed.push(modelCard(this.#runtime, id));
    for (const id of this.#runtime.populations.ids()) this.#fixed.push(populationCard(this.#runtime, id));
    this.addDocuments(options.documents ?? []);
  }

  /** The LangChain vector store (current after the last search or `sync`). */
  get vectorStore(): CosineVectorStore {
    return this.#vectors;
  }

  /** Adds documents (indexed at the next search); an id already present is replaced. */
  addDocuments(documents: readonly (UserDocument | DocumentInterface)[]): void {
    if (!Array.isArray(documents)) throw new PopulaceError('invalid-argument', `documents: expected an array of { text, id?, title? }, received ${typeof documents}.`);
    for (const d of documents) {
      const doc = toDocument(d, this.#userCount++);
      const at = this.#fixed.findIndex((f) => f.id === doc.id);
      if (at >= 0) this.#fixed.splice(at, 1, doc);
      else this.#fixed.push(doc);
    }
  }

  /** Brings the vector store up to date with the cards, documents and the store's finished runs. */
  sync(): Promise<void> {
    const run = async () => {
      if (this.#store) {
        const runs = this.#store.list({ limit: Math.min(1000, this.#maxRunNotes) }).runs.filter((r) => isTerminal(r.status));
        const keep = new Set<string>();
        for (const r of runs) {
          const key = `${r.status}:${r.finishedAt}`;
          keep.add(r.id);
          if (this.#notes.get(r.id)?.key !== key) this.#notes.set(r.id, { key, doc: runNote(this.#runtime, this.#store, r) });
        }
        for (const id of [...this.#notes.keys()]) if (!keep.has(id)) this.#notes.delete(id);
      }
      const wanted = [...this.#fixed, ...[...this.#notes.values()].map((n) => n.doc)];
      const changed = wanted.filter((d) => this.#indexed.get(d.id!) !== d.pageContent);
      const removed = [...this.#indexed.keys()].filter((id) => !wanted.some((d) => d.id === id));
      if (changed.length === 0 && removed.length === 0) return;
      if (this.#embeddings instanceof HashingEmbeddings) {
        // idf depends on the whole corpus: refit and re-embed everything (cheap, offline)
        this.#embeddings.fit(wanted.map((d) => d.pageContent));
        await this.#vectors.delete();
        this.#indexed.clear();
        await this.#vectors.addDocuments(wanted, { ids: wanted.map((d) => d.id!) });
        for (const d of wanted) this.#indexed.set(d.id!, d.pageContent);
        return;
      }
      if (removed.length > 0) await this.#vectors.delete({ ids: removed });
      for (const id of removed) this.#indexed.delete(id);
      if (changed.length > 0) await this.#vectors.addDocuments(changed, { ids: changed.map((d) => d.id!) });
      for (const d of changed) this.#indexed.set(d.id!, d.pageContent);
    };
    // one sync at a time
    const next = (this.#syncing ?? Promise.resolve()).then(run, run);
    this.#syncing = next.catch(() => undefined);
    return next;
  }

  /**
   * The `k` documents nearest to `query` (of the given kinds).
   *
   * @example
   * ```ts
   * const [hit] = await index.search('vaccination and testing in New York', { k: 1, kinds: ['model'] });
   * hit.id; // 'model:epi/covid'
   * ```
   */
  async search(query: string, options: { readonly k?: number; readonly kinds?: readonly DocumentKind[] } = {}): Promise<DocumentHit[]> {
    await this.sync();
    const kinds = options.kinds;
    const hits = await this.#vectors.similaritySearchWithScore(query, options.k ?? 4, kinds ? (d: DocumentInterface) => kinds.includes(d.metadata.kind as DocumentKind) : undefined);
    return hits.map(([d, score]) => ({ id: String(d.metadata.id), kind: d.metadata.kind as DocumentKind, title: String(d.metadata.title), score, text: d.pageContent, metadata: d.metadata }));
  }
}

/**
 * A document index over a runtime's models and populations, a store's runs and your documents.
 *
 * @example
 * ```ts
 * const index = createDocumentIndex({ runtime, store, documents: [{ id: 'brief', title: 'Policy brief', text: '...' }] });
 * await index.search('isolation policy');
 * ```
 */
export function createDocumentIndex(options: DocumentIndexOptions): DocumentIndex {
  return new DocumentIndex(options);
}
