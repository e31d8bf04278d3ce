/**
 * Turns for the event loop during long computations (a simulation's run, the gradient passes):
 * a server answers its other requests and timers fire meanwhile, and an AbortSignal is honoured
 * between two pieces of work instead of after the whole computation.
 */
import { PopulaceError } from './errors.js';

/** Longest stretch of work, in milliseconds, between two turns of {@link turnTaker}. */
export const TURN_MS = 10;

/** Resolves after the event loop has had a turn (pending I/O callbacks and timers run first). */
export function nextTurn(): Promise<void> {
  // setImmediate under Node (after I/O); a zero timeout where there is none (browsers)
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** Core's `aborted` error for a computation that `signal` stopped: `message`, with the signal's reason as its cause. */
export function abortedBy(signal: AbortSignal, message: string): PopulaceError {
  return new PopulaceError('aborted', message, { cause: signal.reason });
}

/**
 * A checkpoint to await between pieces of work: gives the event loop a turn when TURN_MS of work
 * have passed since the last one, then throws core's `aborted` error (`message`, the signal's
 * reason as its cause) if `signal` has aborted.
 *
 * @example
 * ```ts
 * const checkpoint = turnTaker(options.signal, 'rolloutGradients: aborted; no gradients.');
 * for (const piece of work) { await checkpoint(); piece(); }
 * ```
 */
export function turnTaker(signal: AbortSignal | undefined, message: string): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last > TURN_MS) {
      await nextTurn();
      last = performance.now();
    }
    if (signal?.aborted) throw abortedBy(signal, message);
  };
}
