/**
 * Categorical sampling through the Gumbel-max trick, with the
 * straight-through Gumbel-softmax gradient (Jang et al., 2017; Maddison et al., 2017).
 */
import { PopulaceError } from '../errors.js';
import { tf } from '../tf.js';
import { binaryCustomGrad } from './custom-grad.js';

export interface CategoricalOptions {
  /** Softmax temperature of the backward pass (> 0); lower is less biased and noisier. Default 1. */
  readonly temperature?: number;
}

/**
 * Draws one category per row of `logits` [N, K] and returns it one-hot (float32 [N, K]).
 * Forward: argmax(logits + g) with Gumbel noise g = -log(-log u), an exact sample of
 * softmax(logits). Backward: the gradient of softmax((logits + g) / temperature).
 * `u` are uniforms of the same shape (ctx.random.uniform([N, K], stream)).
 *
 * @example
 * ```ts
 * const choice = categorical(logits, ctx.random.uniform([n, 3], 'mode'), { temperature: 0.5 });
 * ```
 */
export function categorical(logits: tf.Tensor, u: tf.Tensor, options: CategoricalOptions = {}): tf.Tensor {
  const tau = options.temperature ?? 1;
  if (!(typeof tau === 'number' && tau > 0 && Number.isFinite(tau))) {
    throw new PopulaceError('invalid-argument', `categorical: temperature expected a positive number, received ${String(tau)}.`);
  }
  if (logits.rank < 1 || !tf.util.arraysEqual(logits.shape, u.shape) || u.dtype !== 'float32') {
    throw new PopulaceError('invalid-argument', `categorical: expected float32 uniforms of the logits' shape [${logits.shape.join(', ')}], received ${u.dtype} [${u.shape.join(', ')}].`);
  }
  return tf.tidy(() => {
    const sample = binaryCustomGrad((z: tf.Tensor, uniform: tf.Tensor, save: tf.GradSaveFunc) => {
      const gumbel = tf.neg(tf.log(tf.neg(tf.log(uniform))));
      const perturbed = tf.add(z, gumbel);
      const k = z.shape[z.rank - 1]!;
      const hard = tf.oneHot(tf.argMax(perturbed, -1), k, 1, 0, 'float32');
      const soft = tf.softmax(tf.div(perturbed, tau));
      save([soft]);
      return {
        value: hard,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const y = saved[0]!;
          // VJP of softmax(x / tau): (1 / tau) * y * (dy - sum(dy * y))
          const inner = tf.sum(tf.mul(dy, y), -1, true);
          return [tf.div(tf.mul(y, tf.sub(dy, inner)), tau), tf.zerosLike(uniform)];
        },
      };
    });
    return sample(logits, u);
  });
}
