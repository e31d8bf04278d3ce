/**
 * What every analysis function runs on: the runtime (models and
 * populations), the executor (runs are submitted to it, so they are recorded)
 * and the run store (recorded runs). A server-kit `ServerKit` is one.
 */
import { PopulaceError, type Runtime } from '@populace/core';
import type { Executor, RunStore } from '@populace/server-kit';
import type { DocumentIndex } from './documents/document-index.js';
import type { BuildPopulationFn } from './population-cache.js';

/**
 * The runtime, executor and store the analysis functions use; a `ServerKit` fits as it is.
 *
 * @example
 * ```ts
 * const kit = createServerKit({ runtime, db: 'runs.db' });
 * const ctx: AnalysisContext = kit;
 * ```
 */
export interface AnalysisContext {
  readonly runtime: Runtime;
  readonly executor: Executor;
  readonly store: RunStore;
  /** The document index `searchDocuments` uses (default: one per store with the model and population cards and run notes). */
  readonly documents?: DocumentIndex | undefined;
  /** How `populationStats` builds populations (default: in this thread); server-kit's `createPopulationBuilder` runs large builds in a worker. */
  readonly populationBuilder?: BuildPopulationFn | undefined;
}

/** Throws `invalid-argument` unless `ctx` has a runtime, an executor and a store. */
export function checkContext(ctx: unknown, where: string): AnalysisContext {
  const c = ctx as Partial<AnalysisContext> | null | undefined;
  const missing = ['runtime', 'executor', 'store'].filter((k) => !c || typeof c !== 'object' || !(c as Record<string, unknown>)[k]);
  if (missing.length > 0) {
    throw new PopulaceError('invalid-argument', `${where}: expected a context { runtime, executor, store } (a ServerKit works), missing ${missing.join(', ')}. Build one with createServerKit({ runtime, db }).`, { details: { missing } });
  }
  return c as AnalysisContext;
}
