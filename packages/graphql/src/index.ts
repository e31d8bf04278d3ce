/**
 * @populace/graphql: a GraphQL API (graphql-yoga) over Populace's models,
 * populations and runs, on a server kit from @populace/server-kit.
 */
export { enumValueName, ENUMS } from './enums.js';
export { BAD_USER_INPUT, graphqlCode, guard, populaceMaskedErrors, toGraphQLError, useErrorCodes } from './errors.js';
export type { MaskedErrorsOptions } from './errors.js';
export { JSONScalar } from './json-scalar.js';
export { boundedDocumentCache, MAX_CACHED_DOCUMENT_CHARS, MAX_CACHED_DOCUMENTS } from './document-cache.js';
export type { DocumentCache } from './document-cache.js';
export { boundEcho, boundError, MAX_ECHO_CHARS, MAX_ERROR_MESSAGE_CHARS, useBoundedErrors } from './error-bounds.js';
export { GRAPHIQL_CSP, graphiqlPage, useOfflineGraphiQL } from './graphiql.js';
export type { OfflineGraphiQLOptions } from './graphiql.js';
export { AGENT_STEPS_PER_COST, AGENTS_PER_COST, COST_DEFAULT_AGENTS, COST_DEFAULT_STEPS, QUESTION_CHARS_PER_COST, SIZED_FIELDS } from './query-cost.js';
export type { MeasureContext } from './query-cost.js';
export { DEFAULT_QUERY_LIMITS, measureOperation, queryLimitError, queryLimitsRule, resolveQueryLimits, useQueryLimits } from './query-limits.js';
export type { QueryLimits, QueryMeasure } from './query-limits.js';
export { CSRF_HEADER, DEFAULT_MAX_BODY_BYTES, JSON_CONTENT_TYPES, useRequestGuards } from './request-guards.js';
export type { RequestGuardOptions } from './request-guards.js';
export { populaceResolvers } from './resolvers.js';
export { analysisResolvers, MAX_QUESTION_CHARS, noChatModelError, PLAIN_ANALYSIS_FIELDS } from './resolvers-analysis.js';
export type { AnalysisOptions, ChatModel } from './resolvers-analysis.js';
export type { ResolverKit } from './resolvers.js';
export { MAX_WAIT_MS } from './resolvers-mutations.js';
export { GRAPHQL_OPERATIONS, graphqlFieldName, graphqlInputName, graphqlInputShape, isJobOperation, operationTypeDefs } from './operation-schema.js';
export { INPUT_RENDERINGS } from './input-renderings.js';
export type { InputRendering } from './input-renderings.js';
export { MAX_RUNS_PAGE } from './resolvers-runs.js';
export { followRun, PROGRESS_BUFFER, PROGRESS_POLL_MS } from './run-progress.js';
export type { ProgressEventSource } from './run-progress.js';
export { RUN_FIELD_SPLITS, RUN_FIELD_TYPES, RUN_ONLY_FIELDS, runTypeDefs } from './run-type.js';
export type { RunTypeField } from './run-type.js';
export { populaceTypeDefs } from './type-defs.js';
export { createPopulaceSchema, createPopulaceYoga, isLoopbackUrl, loopbackCors } from './yoga.js';
export type { PopulaceYoga, PopulaceYogaOptions } from './yoga.js';
export { DEFAULT_HOST, DEFAULT_PORT, startGraphqlServer } from './http-server.js';
export type { GraphqlServerOptions, RunningGraphqlServer } from './http-server.js';
export { main, USAGE } from './main.js';
export type { MainIO } from './main.js';
