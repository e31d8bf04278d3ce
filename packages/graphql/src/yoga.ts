/**
 * `createPopulaceYoga`: the Yoga server of Populace on a server kit, built
 * from plugins composed in order: GraphiQL from bundled assets
 * (`useOfflineGraphiQL`), CSRF prevention and the body bound
 * (`useRequestGuards`), the query limits (`useQueryLimits`), introspection
 * off when asked, Populace's error codes (`useErrorCodes`) and bounded
 * errors (`useBoundedErrors`), then the caller's plugins. It is a fetch handler (`yoga.fetch` in tests) and a
 * node:http request listener (see `startGraphqlServer`).
 */
import type { GraphQLSchema } from './graphql.js';
import { createSchema, createYoga, type Plugin, type YogaServerInstance, type YogaServerOptions } from 'graphql-yoga';
import { populaceMaskedErrors, useErrorCodes } from './errors.js';
import { boundedDocumentCache } from './document-cache.js';
import { useBoundedErrors } from './error-bounds.js';
import { NoSchemaIntrospectionCustomRule } from './graphql.js';
import { useOfflineGraphiQL } from './graphiql.js';
import { resolveQueryLimits, useQueryLimits, type QueryLimits } from './query-limits.js';
import { useRequestGuards } from './request-guards.js';
import { populaceResolvers, type ResolverKit } from './resolvers.js';
import type { AnalysisOptions, ChatModel } from './resolvers-analysis.js';
import type { DocumentIndex } from '@populace/analyzer';
import type { PopulationBuilder } from '@populace/server-kit';
import { populaceTypeDefs } from './type-defs.js';

/** Options of `createPopulaceYoga`. */
export interface PopulaceYogaOptions {
  /** The runtime, run store and executor to serve (a ServerKit from @populace/server-kit). */
  readonly kit: ResolverKit;
  /** Query depth and cost limits (default DEFAULT_QUERY_LIMITS). */
  readonly queryLimits?: Partial<QueryLimits>;
  /** Default '/graphql'. */
  readonly graphqlEndpoint?: string;
  /** GraphiQL in browsers at the endpoint, served from this server's own assets (default true; false for production). */
  readonly graphiql?: boolean;
  /** Schema introspection (`__schema`, `__type`; default true). GraphiQL needs it: turn both off for production. */
  readonly introspection?: boolean;
  /** Largest request body in bytes (default DEFAULT_MAX_BODY_BYTES, 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Yoga's logging (default true: warnings and masked internal errors on the console). */
  readonly logging?: YogaServerOptions<object, object>['logging'];
  /** Yoga's CORS options (default `loopbackCors`: only pages served from this machine). */
  readonly cors?: YogaServerOptions<object, object>['cors'];
  /** More plugins, after Populace's. */
  readonly plugins?: readonly Plugin[];
  /** The chat model (with tool calling) of the `ask` mutation; without one `ask` fails with MISSING_REQUIREMENT. */
  readonly chatModel?: ChatModel | undefined;
  /** The document index of `searchDocuments` (default: a new one on the kit's runtime and store). */
  readonly documents?: DocumentIndex | undefined;
  /** How `populationStats` builds populations; `createPopulationBuilder` of @populace/server-kit runs large builds in a worker thread (default: the kit's `populationBuilder`, else in this thread). */
  readonly populationBuilder?: PopulationBuilder | undefined;
}

/** The Yoga server `createPopulaceYoga` returns. */
export type PopulaceYoga = YogaServerInstance<object, object>;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a URL's host is this machine (localhost, 127.0.0.1, [::1]).
 *
 * @example
 * ```ts
 * isLoopbackUrl('http://localhost:5173'); // true
 * ```
 */
export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * CORS for a local server: pages served from loopback origins may call it; other web pages get no
 * CORS headers, so a browser will not let them drive the server.
 */
export const loopbackCors: NonNullable<YogaServerOptions<object, object>['cors']> = (request: Request) => {
  const origin = request.headers.get('origin');
  return origin !== null && isLoopbackUrl(origin) ? { origin: [origin], credentials: false } : false;
};

/**
 * The executable schema on `kit`, for embedding in another GraphQL server; `analysis` gives the
 * chat model of `ask` and the document index of `searchDocuments`.
 *
 * @example
 * ```ts
 * const schema = createPopulaceSchema(kit);
 * ```
 */
export function createPopulaceSchema(kit: ResolverKit, queryLimits: Partial<QueryLimits> = {}, analysis: AnalysisOptions = {}): GraphQLSchema {
  const limits = resolveQueryLimits(queryLimits);
  return createSchema({ typeDefs: populaceTypeDefs(), resolvers: populaceResolvers(kit, limits, analysis) as never });
}

/**
 * The GraphQL server of Populace on a server kit.
 *
 * @example
 * ```ts
 * import { createRuntime } from '@populace/core';
 * import { examplePlugin } from '@populace/core/examples';
 * import { createServerKit } from '@populace/server-kit';
 *
 * const kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin] }), db: 'runs.db' });
 * const yoga = createPopulaceYoga({ kit });
 * const response = await yoga.fetch('http://localhost/graphql', {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ query: '{ models { id } }' }),
 * });
 * (await response.json()).data.models; // [{ id: 'example/network-sir' }, ...]
 * ```
 */
export function createPopulaceYoga(options: PopulaceYogaOptions): PopulaceYoga {
  const limits = resolveQueryLimits({ maxPoints: options.kit.executor.limits.maxSteps, ...Object.fromEntries(Object.entries(options.queryLimits ?? {}).filter(([, v]) => v !== undefined)) });
  const endpoint = options.graphqlEndpoint ?? '/graphql';
  const noIntrospection: Plugin | false = options.introspection === false && { onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) };
  return createYoga<object, object>({
    schema: createPopulaceSchema(options.kit, limits, { chatModel: options.chatModel, documents: options.documents, populationBuilder: options.populationBuilder }),
    graphqlEndpoint: endpoint,
    // GraphiQL is served by useOfflineGraphiQL from bundled assets, never from a CDN
    graphiql: false,
    multipart: false,
    parserAndValidationCache: { documentCache: boundedDocumentCache(), errorCache: boundedDocumentCache() },
    maskedErrors: populaceMaskedErrors(),
    logging: options.logging ?? true,
    cors: options.cors ?? loopbackCors,
    landingPage: false,
    plugins: [
      ...(options.graphiql === false ? [] : [useOfflineGraphiQL({ endpoint, title: 'Populace GraphQL', defaultQuery: '{\n  models {\n    id\n    description\n  }\n}\n' })]),
      useRequestGuards(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
      useQueryLimits(limits),
      ...(noIntrospection ? [noIntrospection] : []),
      useErrorCodes(),
      useBoundedErrors(),
      ...(options.plugins ?? []),
    ],
  });
}
