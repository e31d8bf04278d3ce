/**
 * `searchDocuments`: retrieval over the document index (model and
 * population cards, run notes, user documents) by embedding similarity.
 */
import type { Runtime } from '@populace/core';
import type { RunStore } from '@populace/server-kit';
import { z } from 'zod';
import { checkContext, type AnalysisContext } from './context.js';
import { createDocumentIndex, type DocumentIndex } from './documents/document-index.js';
import { jsonSafe, parseInput } from './input.js';

/** Kinds of documents. */
export const DOCUMENT_KINDS = ['model', 'population', 'run', 'document'] as const;
/** Characters of a hit's text returned (the rest is cut). */
export const MAX_HIT_CHARS = 6000;

/** Input of `searchDocuments`. */
export const searchDocumentsInput = z.strictObject({
  query: z.string().min(1).max(2000).describe('What to look for, in words: "model with vaccination and testing", "runs with longer isolation".'),
  k: z.number().int().min(1).max(20).optional().describe('How many documents (default 4).'),
  kinds: z.array(z.enum(DOCUMENT_KINDS)).min(1).optional().describe('Only these kinds: model (cards), population (cards), run (notes of recorded runs), document (user documents).'),
});

/** What `searchDocuments` takes. */
export type SearchDocumentsInput = z.input<typeof searchDocumentsInput>;

/** One hit. */
export interface SearchHit {
  /** `model:<id>`, `population:<id>`, `run:<id>` or `document:<id>`. */
  readonly id: string;
  readonly kind: (typeof DOCUMENT_KINDS)[number];
  readonly title: string;
  /** Cosine similarity, higher is closer. */
  readonly score: number;
  /** The document's text (at most MAX_HIT_CHARS characters). */
  readonly text: string;
  readonly truncated: boolean;
}

/** The result of `searchDocuments`. */
export interface SearchDocumentsResult {
  readonly query: string;
  readonly results: readonly SearchHit[];
}

const defaults = new WeakMap<RunStore, WeakMap<Runtime, DocumentIndex>>();

/** The index `searchDocuments` uses for `ctx`: `ctx.documents`, else one kept per store and runtime. */
export function documentIndexFor(ctx: AnalysisContext): DocumentIndex {
  if (ctx.documents) return ctx.documents;
  let byRuntime = defaults.get(ctx.store);
  if (!byRuntime) defaults.set(ctx.store, (byRuntime = new WeakMap()));
  let index = byRuntime.get(ctx.runtime);
  if (!index) byRuntime.set(ctx.runtime, (index = createDocumentIndex({ runtime: ctx.runtime, store: ctx.store })));
  return index;
}

/**
 * The documents nearest to a query.
 *
 * @example
 * ```ts
 * const { results } = await searchDocuments(kit, { query: 'vaccination and testing in New York', k: 3 });
 * results[0].id; // 'model:epi/covid'
 * ```
 */
export async function searchDocuments(ctx: AnalysisContext, input: SearchDocumentsInput): Promise<SearchDocumentsResult> {
  checkContext(ctx, 'searchDocuments');
  const args = parseInput(searchDocumentsInput, input, 'searchDocuments');
  const hits = await documentIndexFor(ctx).search(args.query, { k: args.k ?? 4, ...(args.kinds ? { kinds: args.kinds } : {}) });
  return jsonSafe({
    query: args.query,
    results: hits.map((h) => ({ id: h.id, kind: h.kind, title: h.title, score: h.score, text: h.text.slice(0, MAX_HIT_CHARS), truncated: h.text.length > MAX_HIT_CHARS })),
  });
}
