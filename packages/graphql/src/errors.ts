/**
 * Errors on the wire: a PopulaceError becomes a GraphQL error whose
 * `extensions.code` is its code in GraphQL's SCREAMING_SNAKE style
 * (`unknown-id` -> `UNKNOWN_ID`, the style of Yoga's own
 * `GRAPHQL_VALIDATION_FAILED`), with its `details`; anything else is masked
 * by Yoga as `Unexpected error.` (`INTERNAL_SERVER_ERROR`) and logged.
 */
import { GraphQLError } from './graphql.js';
import { handleStreamOrSingleExecutionResult, maskError as yogaMaskError, type Plugin, type YogaServerOptions } from 'graphql-yoga';
import { PopulaceError } from '@populace/core';

/** The `extensions.code` of a PopulaceError code: `param-out-of-bounds` -> `PARAM_OUT_OF_BOUNDS`. */
export function graphqlCode(code: string): string {
  return code.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

/** JSON-safe copy of an error's details (non-finite numbers become null). */
function jsonSafe(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value ?? {}, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : typeof v === 'bigint' ? String(v) : v)));
  } catch {
    return {};
  }
}

/**
 * A GraphQL error for a PopulaceError: its message, `extensions.code` (see `graphqlCode`) and
 * `extensions.details` (ids, bounds, limits...), placed where `located` was (path, nodes).
 *
 * @example
 * ```ts
 * toGraphQLError(new PopulaceError('unknown-id', "unknown run 'x'.")).extensions.code; // 'UNKNOWN_ID'
 * ```
 */
export function toGraphQLError(error: PopulaceError, located?: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    ...(located ? { nodes: located.nodes ?? null, source: located.source ?? null, positions: located.positions ?? null, path: located.path ?? null } : {}),
    extensions: { code: graphqlCode(error.code), details: jsonSafe(error.details) },
  });
}

/**
 * Wraps a resolver so that a PopulaceError it throws (or rejects with) reaches the client as
 * `toGraphQLError` says. Other errors pass on to Yoga's masking.
 *
 * @example
 * ```ts
 * const run = guard((_: unknown, { id }: { id: string }) => kit.store.require(id)); // UNKNOWN_ID on a bad id
 * ```
 */
export function guard<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const convert = (error: unknown): never => {
    throw PopulaceError.isInstance(error) ? toGraphQLError(error) : error;
  };
  return (...args: A): R => {
    try {
      const out = fn(...args);
      return (out instanceof Promise ? out.catch(convert) : out) as R;
    } catch (error) {
      return convert(error);
    }
  };
}

/** Options of Yoga's error masking. */
export type MaskedErrorsOptions = Exclude<NonNullable<YogaServerOptions<object, object>['maskedErrors']>, boolean>;

/**
 * Yoga's `maskedErrors` for Populace: a PopulaceError that reached Yoga unconverted is shown with
 * its code; GraphQL's own errors (syntax, validation, variables) pass unchanged; anything else is
 * a bug: Yoga masks it as `Unexpected error.` (`INTERNAL_SERVER_ERROR`) and logs it.
 *
 * @example
 * ```ts
 * createYoga({ schema, maskedErrors: populaceMaskedErrors() });
 * ```
 */
export function populaceMaskedErrors(): MaskedErrorsOptions {
  return {
    errorMessage: 'Unexpected error.',
    maskError(error, message, isDev) {
      const located = error instanceof GraphQLError ? error : undefined;
      const original = located ? located.originalError : error;
      if (PopulaceError.isInstance(original)) return toGraphQLError(original, located);
      return yogaMaskError(error, message, isDev);
    },
  };
}

/** The code of request-level errors graphql-js reports without one (variables of the wrong type...). */
export const BAD_USER_INPUT = 'BAD_USER_INPUT';

const tagErrors = ({ result }: { result: { errors?: readonly GraphQLError[] | undefined } }): void => {
  for (const error of result.errors ?? []) {
    // errors with a path came through the masking and carry a code; these are about the request
    if (error.path === undefined && (error.extensions as Record<string, unknown>).code === undefined) {
      (error.extensions as Record<string, unknown>).code = BAD_USER_INPUT;
    }
  }
};

/**
 * The Yoga plugin giving request-level errors of execution that carry no code (a variable of the
 * wrong type or out of Int's range, a missing operation name) `extensions.code` BAD_USER_INPUT,
 * so that every error a client sees has a code.
 *
 * @example
 * ```ts
 * createYoga({ schema, plugins: [useErrorCodes()] });
 * ```
 */
export function useErrorCodes(): Plugin {
  return {
    onExecute: () => ({ onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, tagErrors) }),
    onSubscribe: () => ({ onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, tagErrors) }),
  };
}
