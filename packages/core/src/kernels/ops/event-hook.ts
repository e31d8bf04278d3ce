/**
 * An interception point on every Bernoulli event (`bernoulliEvent`, hence
 * `ctx.sample.bernoulli` and `ctx.sample.hazard`), used by estimators that
 * re-run a step with the same uniforms and need to see, replay or flip its
 * discrete draws (the stochastic derivative of ../gradients/stochastic-derivative.ts).
 *
 * With no hook installed the forward path pays one null check per event.
 */
import type { tf } from '../../tf.js';

/** What an event was asked for: its inputs (already float32) and its counter-based key. */
export interface EventCall {
  readonly p: tf.Tensor;
  readonly x: tf.Tensor;
  readonly mask: tf.Tensor;
  /** streamKey(seed, step, stream) of the draws, or -1 for `bernoulli(p, u)` with uniforms given. */
  readonly key: number;
  /** True for a hazard event (probability 1 - exp(-p * x)); false for probability p. */
  readonly hazard: boolean;
  readonly shape: readonly number[];
  /**
   * True for a first-passage event (`ctx.sample.threshold`): p is a running probability that the
   * element's one fixed uniform is compared with at every step (see `BernoulliEventOptions.threshold`).
   */
  readonly threshold: boolean;
}

/**
 * Receives every event while installed: `draw()` computes the ordinary draw (same uniforms); the hook
 * returns the tensor the event yields (the draw, a recorded one, or one with an element flipped).
 * It runs inside the event's tf.tidy.
 */
export type EventHook = (call: EventCall, draw: () => tf.Tensor) => tf.Tensor;

let current: EventHook | null = null;

/** The installed hook, or null (the ordinary forward path). */
export function activeEventHook(): EventHook | null {
  return current;
}

/**
 * Runs `fn` with `hook` installed, or with none for `null` (synchronously; nested installs restore
 * the outer hook).
 *
 * @example
 * ```ts
 * const draws: Float32Array[] = [];
 * withEventHook((call, draw) => { const y = draw(); draws.push(y.dataSync() as Float32Array); return y; }, () => engine.advance(state, t, params, true));
 * ```
 */
export function withEventHook<T>(hook: EventHook | null, fn: () => T): T {
  const outer = current;
  current = hook;
  try {
    return fn();
  } finally {
    current = outer;
  }
}
