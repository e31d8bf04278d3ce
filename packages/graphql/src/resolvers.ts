/**
 * Every resolver of the schema, built on one server kit, with each field
 * resolver wrapped by `guard` (PopulaceErrors reach clients with their code).
 */
import type { Runtime } from '@populace/core';
import type { Executor, PopulationBuilder, RunStore } from '@populace/server-kit';
import { enumResolvers } from './enums.js';
import { guard } from './errors.js';
import { JSONScalar } from './json-scalar.js';
import type { QueryLimits } from './query-limits.js';
import { analysisResolvers, type AnalysisOptions } from './resolvers-analysis.js';
import { catalogResolvers } from './resolvers-catalog.js';
import { mutationResolvers } from './resolvers-mutations.js';
import { operationResolvers } from './operation-schema.js';
import { runResolvers } from './resolvers-runs.js';
import { progressResolvers } from './run-progress.js';

/** What the resolvers use of a ServerKit. */
export interface ResolverKit {
  readonly runtime: Runtime;
  readonly store: RunStore;
  readonly executor: Executor;
  /** The kit's population builder (a worker thread for large builds), used by populationStats unless the options give another. */
  readonly populationBuilder?: PopulationBuilder | undefined;
}

type Fields = Record<string, unknown>;

function guarded(fields: Fields): Fields {
  return Object.fromEntries(
    Object.entries(fields).map(([name, r]) => {
      if (typeof r === 'function') return [name, guard(r as (...a: unknown[]) => unknown)];
      const sub = r as { subscribe: (...a: unknown[]) => unknown; resolve: (...a: unknown[]) => unknown };
      return [name, { subscribe: guard(sub.subscribe), resolve: guard(sub.resolve) }];
    }),
  );
}

/**
 * The resolver map for `populaceTypeDefs()`, on `kit`; `queryLimits` is what `server.limits` reports;
 * `analysis` gives the chat model of `ask` and the document index of `searchDocuments`.
 *
 * @example
 * ```ts
 * const schema = createSchema({ typeDefs: populaceTypeDefs(), resolvers: populaceResolvers(kit, DEFAULT_QUERY_LIMITS) });
 * ```
 */
export function populaceResolvers(kit: ResolverKit, queryLimits: QueryLimits, analysis: AnalysisOptions = {}): Record<string, unknown> {
  const parts: Record<string, Fields>[] = [catalogResolvers(kit, queryLimits), runResolvers(kit), mutationResolvers(kit), analysisResolvers(kit, analysis), progressResolvers(kit), operationResolvers(kit)];
  const merged: Record<string, Fields> = {};
  for (const part of parts) {
    for (const [type, fields] of Object.entries(part)) merged[type] = { ...merged[type], ...guarded(fields) };
  }
  return { ...merged, ...enumResolvers(), JSON: JSONScalar };
}
