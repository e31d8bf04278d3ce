/**
 * Soft logic: boolean operations whose forward values are exact (0/1) and
 * whose gradients are those of smooth relaxations (straight-through).
 * Booleans are float32 tensors of 0 and 1.
 */
import { PopulaceError } from '../errors.js';
import { tf } from '../tf.js';
import { binaryCustomGrad, broadcastLike } from './custom-grad.js';

export interface SoftOptions {
  /** Width of the relaxation (> 0). Default 1. */
  readonly temperature?: number;
}

function temperature(options: SoftOptions | undefined, op: string): number {
  const tau = options?.temperature ?? 1;
  if (!(typeof tau === 'number' && tau > 0 && Number.isFinite(tau))) {
    throw new PopulaceError('invalid-argument', `${op}: temperature expected a positive number, received ${String(tau)}.`);
  }
  return tau;
}

const asTensor = (x: tf.Tensor | number): tf.Tensor => (typeof x === 'number' ? tf.scalar(x) : x);

/**
 * 1[x > threshold] forward; backward the gradient of sigmoid((x - threshold) / temperature), which
 * is the exact derivative of E[1[x + noise > threshold]] under logistic noise of that scale.
 *
 * @example
 * ```ts
 * const symptomatic = greaterThan(viralLoad, 3, { temperature: 0.5 });
 * ```
 */
export function greaterThan(x: tf.Tensor, threshold: tf.Tensor | number, options?: SoftOptions): tf.Tensor {
  const tau = temperature(options, 'greaterThan');
  return tf.tidy(() => {
    const t = broadcastLike(threshold, x.shape);
    const op = binaryCustomGrad((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
      save([a, b]);
      return {
        value: tf.cast(tf.greater(a, b), 'float32'),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const s = tf.sigmoid(tf.div(tf.sub(saved[0]!, saved[1]!), tau));
          const g = tf.mul(dy, tf.div(tf.mul(s, tf.sub(1, s)), tau));
          return [g, tf.neg(g)];
        },
      };
    });
    return op(x, t);
  });
}

/** 1[x < threshold], the mirror of `greaterThan` (strict on ties too). */
export function lessThan(x: tf.Tensor, threshold: tf.Tensor | number, options?: SoftOptions): tf.Tensor {
  return tf.tidy(() => greaterThan(broadcastLike(threshold, x.shape), x, options));
}

/** a AND b = a * b: exact on {0, 1}, the product t-norm in between. */
export function and(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.mul(a, b);
}

/** a OR b = a + b - a * b: exact on {0, 1}, the probabilistic sum in between. */
export function or(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.add(a, b), tf.mul(a, b)));
}

/** NOT a = 1 - a. */
export function not(a: tf.Tensor): tf.Tensor {
  return tf.sub(1, a);
}

/** cond ? a : b for a 0/1 `cond`, differentiable in cond (a - b), a (cond) and b (1 - cond). */
export function select(cond: tf.Tensor, a: tf.Tensor | number, b: tf.Tensor | number): tf.Tensor {
  return tf.tidy(() => {
    const ta = asTensor(a);
    const tb = asTensor(b);
    return tf.add(tb, tf.mul(cond, tf.sub(ta, tb)));
  });
}

function softExtreme(a: tf.Tensor, b: tf.Tensor, tau: number, pickMax: boolean): tf.Tensor {
  const shape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const op = binaryCustomGrad((x: tf.Tensor, y: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, y]);
    return {
      value: pickMax ? tf.maximum(x, y) : tf.minimum(x, y),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        // weight of x in the soft max/min: sigmoid(+-(x - y) / tau)
        const diff = tf.div(tf.sub(saved[0]!, saved[1]!), tau);
        const wx = tf.sigmoid(pickMax ? diff : tf.neg(diff));
        return [tf.mul(dy, wx), tf.mul(dy, tf.sub(1, wx))];
      },
    };
  });
  return op(broadcastLike(a, shape), broadcastLike(b, shape));
}

/** max(a, b) forward; backward splits the gradient by sigmoid((a - b) / temperature). */
export function softMax(a: tf.Tensor, b: tf.Tensor, options?: SoftOptions): tf.Tensor {
  const tau = temperature(options, 'softMax');
  return tf.tidy(() => softExtreme(a, b, tau, true));
}

/** min(a, b) forward; backward splits the gradient by sigmoid((b - a) / temperature). */
export function softMin(a: tf.Tensor, b: tf.Tensor, options?: SoftOptions): tf.Tensor {
  const tau = temperature(options, 'softMin');
  return tf.tidy(() => softExtreme(a, b, tau, false));
}
