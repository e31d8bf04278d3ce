/**
 * Errors never echo a large input back: an error message quotes what it
 * received (an unknown id, a value of the wrong type), and a client could
 * send megabytes of it. Every error leaving the server has its long runs of
 * text cut to `MAX_ECHO_CHARS` with a note of how much was left out, its
 * message capped at `MAX_ERROR_MESSAGE_CHARS`, and the same for the strings
 * of its `extensions.details`.
 */
import { GraphQLError } from './graphql.js';
import type { Plugin } from 'graphql-yoga';

/** Longest run of an input quoted in an error. */
export const MAX_ECHO_CHARS = 200;
/** Longest error message. */
export const MAX_ERROR_MESSAGE_CHARS = 2000;

const cut = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max)}… (${(s.length - max).toLocaleString('en-US')} more characters)`);

/**
 * `text` with every run of more than MAX_ECHO_CHARS non-space characters (a quoted value, say)
 * cut to that length, then the whole capped at `max`.
 *
 * @example
 * ```ts
 * boundEcho(`unknown population '${'x'.repeat(10_000)}'`).length; // about 260
 * ```
 */
export function boundEcho(text: string, max = MAX_ERROR_MESSAGE_CHARS): string {
  if (text.length <= MAX_ECHO_CHARS) return text;
  return cut(text.replace(new RegExp(`\\S{${MAX_ECHO_CHARS + 1},}`, 'g'), (run) => cut(run, MAX_ECHO_CHARS)), max);
}

/** `value` with its strings bounded (lists to 100 items), for `extensions.details`. */
function boundValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return boundEcho(value, MAX_ECHO_CHARS * 2);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => boundValue(v, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, boundValue(v, depth + 1)]));
}

/**
 * `error` with a bounded message and details (itself when it is already short).
 *
 * @example
 * ```ts
 * boundError(new GraphQLError('x'.repeat(1e6))).message.length; // about 230
 * ```
 */
export function boundError(error: GraphQLError): GraphQLError {
  const message = boundEcho(error.message);
  const ext = error.extensions as Record<string, unknown>;
  const details = ext.details === undefined ? undefined : boundValue(ext.details);
  if (message === error.message && JSON.stringify(details ?? null).length < MAX_ERROR_MESSAGE_CHARS) return error;
  return new GraphQLError(message, { nodes: error.nodes ?? null, source: error.source ?? null, positions: error.positions ?? null, path: error.path ?? null, originalError: error.originalError ?? null, extensions: { ...ext, ...(details === undefined ? {} : { details }) } });
}

type Result = { errors?: readonly GraphQLError[] } & Record<string, unknown>;
const bound = (r: Result): Result => (r.errors && r.errors.length > 0 ? { ...r, errors: r.errors.map((e) => (e instanceof GraphQLError ? boundError(e) : e)) } : r);

/**
 * The Yoga plugin bounding every error of a response (request errors, validation and execution
 * errors alike) with `boundError`.
 *
 * @example
 * ```ts
 * createYoga({ schema, plugins: [useBoundedErrors()] });
 * ```
 */
export function useBoundedErrors(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map((r) => bound(r as Result)) as never);
      else if (result && typeof result === 'object' && !(Symbol.asyncIterator in result)) setResult(bound(result as Result) as never);
    },
  };
}
