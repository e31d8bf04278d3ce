/**
 * Bernoulli sampling with a surrogate gradient, so that simulations with
 * discrete events (infected or not) can be differentiated.
 */
import { PopulaceError } from '../errors.js';
import { activeEventHook } from '../kernels/ops/event-hook.js';
import { tf } from '../tf.js';
import { binaryCustomGrad, broadcastLike } from './custom-grad.js';

/**
 * How gradients flow through a sample x ~ Bernoulli(p):
 * - `straight-through`: dx/dp := 1, the derivative of E[x] = p. Exact for objectives linear in the
 *   samples, low variance, biased otherwise.
 * - `jump-weighted`: dx/dp := 1 / (2p) when x = 1 and 1 / (2(1 - p)) when x = 0, the weights of the
 *   jumps x: 1 -> 0 and 0 -> 1 in the stochastic-derivative construction of Arya et al. (2022,
 *   "Automatic Differentiation of Programs with Discrete Randomness"); its weights average to 1, so
 *   it is also unbiased for linear objectives, and it reacts to which outcome was drawn.
 */
export type BernoulliGradient = 'straight-through' | 'jump-weighted';

export interface BernoulliOptions {
  readonly gradient?: BernoulliGradient;
}

const EPS = 1e-6;

function checkUniform(u: tf.Tensor, what: string): void {
  if (u.dtype !== 'float32') {
    throw new PopulaceError('invalid-argument', `${what}: expected float32 uniforms in (0, 1) (ctx.random.uniform), received ${u.dtype}.`);
  }
}

/**
 * Draws x = 1[u < p] elementwise (p broadcasts to u's shape) and returns it as float32 0/1, with a
 * surrogate gradient with respect to p. `u` are uniforms from `ctx.random.uniform`, so samples are
 * reproducible from (seed, step, stream).
 *
 * @example
 * ```ts
 * const infected = bernoulli(pInfect, ctx.random.uniform('people', 'infect'));
 * ```
 */
export function bernoulli(p: tf.Tensor | number, u: tf.Tensor, options: BernoulliOptions = {}): tf.Tensor {
  checkUniform(u, 'bernoulli');
  const mode = options.gradient ?? 'straight-through';
  if (mode !== 'straight-through' && mode !== 'jump-weighted') {
    throw new PopulaceError('invalid-argument', `bernoulli: gradient expected 'straight-through' or 'jump-weighted', received ${JSON.stringify(mode)}.`);
  }
  return tf.tidy(() => {
    const probs = broadcastLike(p, u.shape);
    const sample = binaryCustomGrad((prob: tf.Tensor, uniform: tf.Tensor, save: tf.GradSaveFunc) => {
      const x = tf.cast(tf.less(uniform, prob), 'float32');
      save([prob, x]);
      return {
        value: x,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          if (mode === 'straight-through') return [dy, tf.zerosLike(uniform)];
          const [pr, xs] = saved as [tf.Tensor, tf.Tensor];
          const clipped = tf.clipByValue(pr, EPS, 1 - EPS);
          const weight = tf.where(tf.greater(xs, 0.5), tf.div(0.5, clipped), tf.div(0.5, tf.sub(1, clipped)));
          return [tf.mul(dy, weight), tf.zerosLike(uniform)];
        },
      };
    });
    const hook = activeEventHook();
    if (!hook) return sample(probs, u);
    // estimators that replay or flip draws see this one too (no stream key: u was given)
    const one = tf.scalar(1);
    return hook({ p: probs, x: one, mask: one, key: -1, hazard: false, threshold: false, shape: u.shape }, () => sample(probs, u));
  });
}
