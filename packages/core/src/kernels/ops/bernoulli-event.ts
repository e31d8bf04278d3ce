/**
 * Fused Bernoulli events: the sampling hot path of population models, one
 * kernel instead of a uniform tensor plus five element-wise ops.
 */
import { bernoulli, type BernoulliGradient } from '../../distributions/bernoulli.js';
import { PopulaceError } from '../../errors.js';
import { fillUniform, fillUniformClocked } from '../../random.js';
import { tf } from '../../tf.js';
import { activeEventHook, withEventHook } from './event-hook.js';
import { BERNOULLI_EVENT } from '../kernel-names.js';

export interface BernoulliEventOptions {
  /** Probability (or, with `exposure`, a rate): a scalar or one value per element. */
  readonly p: tf.Tensor | number;
  /** With an exposure the event probability is 1 - exp(-p * exposure) (a hazard). */
  readonly exposure?: tf.Tensor | number;
  /** Multiplies the draw (e.g. only susceptible agents can be infected); default 1. */
  readonly mask?: tf.Tensor | number;
  /** Counter-based stream key (streamKey(seed, step, stream)); element i uses uniformAt(key, i). */
  readonly key: number;
  /**
   * Per-element clocks (non-negative integers below 2^24, e.g. days since an agent's infection):
   * element i then draws uniformAt(key, clockedIndex(clock_i, i, n)) (../../random.ts), so with a
   * key that does not change with the step an element draws the same number at the same clock,
   * whatever the step. Default 0 (uniformAt(key, i)).
   */
  readonly clock?: tf.Tensor | number;
  readonly gradient?: BernoulliGradient;
  /**
   * Marks a first-passage (Sellke) event for estimators that see events (the stochastic
   * derivative): `key` does not change with the step, so element i compares the same uniform with
   * `p` at every step, and `p` is a running probability that does not fall while the mask is 1.
   * The draw itself is unchanged.
   */
  readonly threshold?: boolean;
}

const asTensor = (v: tf.Tensor | number | undefined): tf.Tensor => (v === undefined ? tf.scalar(1) : typeof v === 'number' ? tf.scalar(v) : v);

/** The uniforms of a draw of `shape` on the host (the reference compositions). */
function uniformsOf(key: number, shape: readonly number[], clock: tf.Tensor | null): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  return clock === null ? fillUniform(out, key) : fillUniformClocked(out, key, clock.dataSync());
}

/**
 * Draws `1[u < prob] * mask` elementwise with prob = p, or 1 - exp(-p * exposure) with an exposure,
 * from counter-based uniforms u = uniformAt(key, i), and returns float32 0/1 (times the mask) with a
 * straight-through (or jump-weighted) gradient for p, exposure and mask. The shape is that of the
 * non-scalar inputs (which must agree). A custom kernel on cpu and wasm; the same draws from stock
 * ops elsewhere.
 *
 * @example
 * ```ts
 * const infected = bernoulliEvent({ p: beta, exposure: pressure, mask: susceptible, key });
 * ```
 */
export function bernoulliEvent(options: BernoulliEventOptions): tf.Tensor {
  const mode = options.gradient ?? 'straight-through';
  if (mode !== 'straight-through' && mode !== 'jump-weighted') {
    throw new PopulaceError('invalid-argument', `bernoulliEvent: gradient expected 'straight-through' or 'jump-weighted', received ${JSON.stringify(mode)}.`);
  }
  return tf.tidy(() => {
    const hazard = options.exposure !== undefined;
    const [p, x, mask, clock] = [asTensor(options.p), asTensor(options.exposure), asTensor(options.mask), options.clock === undefined ? tf.scalar(0) : asTensor(options.clock)].map((t) => (t.dtype === 'float32' ? t : tf.cast(t, 'float32')));
    const sized = [p!, x!, mask!, clock!].filter((t) => t.size !== 1 || t.rank > 0);
    const shape = sized.length > 0 ? sized[0]!.shape : [];
    for (const t of [p!, x!, mask!, clock!]) {
      if (t.size !== 1 && !tf.util.arraysEqual(t.shape, shape)) {
        throw new PopulaceError('invalid-argument', `bernoulliEvent: p, exposure, mask and clock must be scalars or share one shape; received [${p!.shape.join(', ')}], [${x!.shape.join(', ')}], [${mask!.shape.join(', ')}] and [${clock!.shape.join(', ')}].`);
      }
    }
    const draw = (): tf.Tensor => {
      if (tf.getKernel(BERNOULLI_EVENT, tf.getBackend()) != null) {
        return tf.engine().runKernel(BERNOULLI_EVENT, { p: p!, x: x!, mask: mask!, clock: clock! }, { shape: [...shape], key: options.key >>> 0, hazard: hazard ? 1 : 0, jump: mode === 'jump-weighted' ? 1 : 0, clocked: options.clock === undefined ? 0 : 1 } as unknown as tf.NamedAttrMap) as tf.Tensor;
      }
      // Reference composition (other backends): the same uniforms, stock ops.
      const u = tf.tensor(uniformsOf(options.key >>> 0, shape, options.clock === undefined ? null : clock!), shape, 'float32');
      const prob = hazard ? tf.sub(1, tf.exp(tf.neg(tf.mul(p!, x!)))) : p!;
      // one event, seen once by a hook: the inner bernoulli() runs without it
      return tf.mul(withEventHook(null, () => bernoulli(prob, u, { gradient: mode })), mask!);
    };
    const hook = activeEventHook();
    return hook ? hook({ p: p!, x: x!, mask: mask!, key: options.key >>> 0, hazard, shape, threshold: options.threshold === true }, draw) : draw();
  });
}

/** The reference composition of `bernoulliEvent` from stock ops, for tests and other backends. */
export function bernoulliEventReference(options: BernoulliEventOptions): tf.Tensor {
  return tf.tidy(() => {
    const [p, x, mask] = [asTensor(options.p), asTensor(options.exposure), asTensor(options.mask)];
    const clock = options.clock === undefined ? null : asTensor(options.clock);
    const shape = [p, x, mask, ...(clock ? [clock] : [])].find((t) => t.size !== 1 || t.rank > 0)?.shape ?? [];
    const u = tf.tensor(uniformsOf(options.key >>> 0, shape, clock), shape, 'float32');
    const prob = options.exposure !== undefined ? tf.sub(1, tf.exp(tf.neg(tf.mul(p, x)))) : p;
    return tf.mul(bernoulli(prob, u, options.gradient ? { gradient: options.gradient } : {}), mask);
  });
}
