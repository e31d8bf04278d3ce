/**
 * The one error class of Populace. Every failure a user can cause or fix is a
 * `PopulaceError` with a machine-readable `code` and a message that says what
 * was expected, what was received and how to fix it.
 */

/** Error codes, grouped by family. */
export type RegistryErrorCode =
  | 'unknown-id'
  | 'ambiguous-id'
  | 'duplicate-id'
  | 'missing-requirement';
export type ValidationErrorCode =
  | 'invalid-definition'
  | 'invalid-argument'
  | 'param-out-of-bounds'
  | 'unknown-param'
  | 'invalid-param'
  /** A request over an operator's limit (agents, steps, wall time, queue length). */
  | 'limit-exceeded'
  /** A model given a population that lacks what it needs (agent types, attributes, networks). */
  | 'population-mismatch'
  /** A path outside the directories an operator allows (servers' --data-dir). */
  | 'path-not-allowed'
  /** An input a model does not declare (`ctx.input`, `inputs`, `--input`, a link's target). */
  | 'unknown-input'
  /** An input with neither a given value nor a default. */
  | 'missing-input'
  /** An input series shorter than the steps requested. */
  | 'input-too-short'
  /** A link between a metric and an input of different units, or to an input linked twice. */
  | 'incompatible-link';
export type SimulationErrorCode =
  | 'undeclared-write'
  | 'undeclared-read'
  | 'invalid-update'
  | 'not-initialized'
  | 'aborted'
  | 'disposed'
  /** A gradient method (calibrate, sensitivity) met a substep or metric through which no gradient flows. */
  | 'not-differentiable'
  /** An ODE solver failed: a non-finite state, or the step limit reached (e.g. a stiff system on an explicit method). */
  | 'integration-failed';
export type IoErrorCode = 'config-not-found' | 'config-invalid' | 'plugin-load-failed' | 'write-failed';
export type BackendErrorCode = 'backend-unavailable' | 'backend-failed';
export type LlmErrorCode = 'llm-failed' | 'llm-invalid-answer';

export type PopulaceErrorCode =
  | RegistryErrorCode
  | ValidationErrorCode
  | SimulationErrorCode
  | IoErrorCode
  | BackendErrorCode
  | LlmErrorCode;

const BRAND = Symbol.for('populace.error');

export interface PopulaceErrorOptions {
  /** Structured facts about the failure (ids, bounds, candidates) for servers and tools. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * @example
 * ```ts
 * try { runtime.getModel('nope'); }
 * catch (e) { if (PopulaceError.isInstance(e)) console.error(e.code, e.message); }
 * ```
 */
export class PopulaceError extends Error {
  readonly code: PopulaceErrorCode;
  readonly details: Record<string, unknown>;
  readonly [BRAND] = true;

  constructor(code: PopulaceErrorCode, message: string, options: PopulaceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PopulaceError';
    this.code = code;
    this.details = options.details ?? {};
  }

  /** True for any PopulaceError, even one thrown by another copy of this package. */
  static isInstance(value: unknown): value is PopulaceError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}
