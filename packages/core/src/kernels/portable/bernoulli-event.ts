/**
 * The Bernoulli event and its backward from stock ops. The uniforms are the
 * cpu kernel's, integer for integer (./counter-hash.ts); the hazard
 * probability `1 - exp(-p x)` is float32 here and float64 in the cpu loop, so
 * a draw can differ only when the uniform lies within float32 rounding of the
 * probability (about 1e-7 of draws).
 */
import * as tf from '@tensorflow/tfjs-core';
import { BERNOULLI_EVENT, BERNOULLI_EVENT_GRAD, type BernoulliEventAttrs } from '../kernel-names.js';
import { uniformTensor } from './counter-hash.js';
import { portableKernel, type PortableInputs } from './portable-kernel.js';

/** The clamp of the jump-weighted surrogate (the cpu loop's EPS). */
const EPS = 1e-6;

interface Drawn {
  prob: tf.Tensor;
  drawn: tf.Tensor;
  /** d prob / d p and d prob / d x. */
  dProbDp: tf.Tensor;
  dProbDx: tf.Tensor;
}

function draw(p: tf.Tensor, x: tf.Tensor, clock: tf.Tensor | undefined, a: BernoulliEventAttrs): Drawn {
  const u = uniformTensor(a.key >>> 0, a.shape, a.clocked ? clock : undefined);
  if (a.hazard) {
    const e = tf.exp(tf.neg(tf.mul(p, x)));
    const prob = tf.sub(1, e);
    return { prob, drawn: tf.cast(tf.less(u, prob), 'float32'), dProbDp: tf.mul(x, e), dProbDx: tf.mul(p, e) };
  }
  return { prob: p, drawn: tf.cast(tf.less(u, p), 'float32'), dProbDp: tf.onesLike(p), dProbDx: tf.zerosLike(x) };
}

function forward(inputs: PortableInputs, a: BernoulliEventAttrs): tf.Tensor {
  const { p, x, mask, clock } = inputs as Record<string, tf.Tensor>;
  return tf.mul(draw(p, x, clock, a).drawn, mask);
}

/** A per-element gradient, or its total for a broadcast (single-value) input. */
const fit = (g: tf.Tensor, like: tf.Tensor): tf.Tensor => tf.reshape(like.size === 1 ? tf.sum(g) : g, like.shape);

function backward(inputs: PortableInputs, a: BernoulliEventAttrs): tf.Tensor[] {
  const { dy, p, x, mask, clock } = inputs as Record<string, tf.Tensor>;
  const d = draw(p, x, clock, a);
  let dProb = tf.mul(dy, mask);
  if (a.jump) {
    const q = tf.clipByValue(d.prob, EPS, 1 - EPS);
    dProb = tf.mul(dProb, tf.where(tf.cast(d.drawn, 'bool'), tf.div(0.5, q), tf.div(0.5, tf.sub(1, q))));
  }
  return [fit(tf.mul(dProb, d.dProbDp), p), fit(tf.mul(dProb, d.dProbDx), x), fit(tf.mul(dy, d.drawn), mask)];
}

/** The portable Bernoulli-event kernels. */
export function portableBernoulliEventKernels(): Record<string, tf.KernelFunc> {
  return {
    [BERNOULLI_EVENT]: portableKernel(forward),
    [BERNOULLI_EVENT_GRAD]: portableKernel(backward),
  };
}
