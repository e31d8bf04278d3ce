/**
 * @populace/graphql: a GraphQL API (graphql-yoga) over Populace's models,
 * populations and runs, on a server kit from @populace/server-kit.
 */
export { enumValueName, ENUMS } from './enums.js';
export { BAD_USER_INPUT, graphqlCode, guard, populaceMaskedErrors, toGraphQLError, useErrorCodes } from './errors.js';
export type { MaskedErrorsOptions } from './errors.js';
export { JSONScalar } from './json-scalar.js';
export { DEFAULT_QUERY_LIMITS, measureOperation, queryLimitsRule, useQueryLimits } from './query-limits.js';
export type { QueryLimits, QueryMeasure } from './query-limits.js';
export { populaceResolvers } from './resolvers.js';
export { analysisResolvers, MAX_QUESTION_CHARS, noChatModelError, PLAIN_ANALYSIS_FIELDS } from './resolvers-analysis.js';
export type { AnalysisOptions, ChatModel } from './resolvers-analysis.js';
export type { ResolverKit } from './resolvers.js';
export { MAX_WAIT_MS } from './resolvers-mutations.js';
export { MAX_RUNS_PAGE } from './resolvers-runs.js';
export { followRun, PROGRESS_BUFFER, PROGRESS_POLL_MS } from './run-progress.js';
export type { ProgressEventSource } from './run-progress.js';
export { populaceTypeDefs } from './type-defs.js';
export { createPopulaceSchema, createPopulaceYoga, isLoopbackUrl, loopbackCors } from './yoga.js';
export type { PopulaceYoga, PopulaceYogaOptions } from './yoga.js';
export { DEFAULT_HOST, DEFAULT_PORT, startGraphqlServer } from './http-server.js';
export type { GraphqlServerOptions, RunningGraphqlServer } from './http-server.js';
export { main, USAGE } from './main.js';
export type { MainIO } from './main.js';
