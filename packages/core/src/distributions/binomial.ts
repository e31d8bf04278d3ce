/**
 * Binomial sampling by inversion of one uniform per element, with a
 * straight-through gradient of the mean.
 */
import { PopulaceError } from '../errors.js';
import { tf } from '../tf.js';
import { binaryCustomGrad, broadcastLike } from './custom-grad.js';

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(u: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (u < lo) {
    const q = Math.sqrt(-2 * Math.log(u));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (u > 1 - lo) return -normalQuantile(1 - u);
  const q = u - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** Above this mean (and n(1-p)), a rounded normal approximation replaces exact inversion. */
const NORMAL_ABOVE = 200;

/** The smallest k with P(X <= k) >= u for X ~ Binomial(n, p). */
export function binomialQuantile(n: number, p: number, u: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const mean = n * p;
  if (mean > NORMAL_ABOVE && n * (1 - p) > NORMAL_ABOVE) {
    const k = Math.round(mean + Math.sqrt(mean * (1 - p)) * normalQuantile(u));
    return Math.min(n, Math.max(0, k));
  }
  // inversion, walking the pmf up from k = 0 with the ratio recurrence
  const q = 1 - p;
  let pmf = Math.exp(n * Math.log(q));
  let cdf = pmf;
  let k = 0;
  const ratio = p / q;
  while (cdf < u && k < n) {
    pmf *= ((n - k) / (k + 1)) * ratio;
    k += 1;
    cdf += pmf;
  }
  return k;
}

/**
 * Draws X ~ Binomial(n, p) elementwise from one uniform per element (exact inversion; a normal
 * approximation when both n p and n (1 - p) exceed 200). Gradient: straight-through of the mean,
 * dX/dp := n (exact for objectives linear in X); no gradient with respect to n.
 *
 * @example
 * ```ts
 * const cases = binomial(householdSize, pAttack, ctx.random.uniform('households', 'attack'));
 * ```
 */
export function binomial(n: tf.Tensor | number, p: tf.Tensor | number, u: tf.Tensor): tf.Tensor {
  if (u.dtype !== 'float32') throw new PopulaceError('invalid-argument', `binomial: expected float32 uniforms (ctx.random.uniform), received ${u.dtype}.`);
  return tf.tidy(() => {
    const counts = broadcastLike(typeof n === 'number' ? n : tf.cast(n, 'float32'), u.shape);
    const probs = broadcastLike(p, u.shape);
    const ns = counts.dataSync();
    for (let i = 0; i < ns.length; i++) {
      if (!Number.isInteger(ns[i]!) || ns[i]! < 0) throw new PopulaceError('invalid-argument', `binomial: n must be non-negative integers, received ${ns[i]} at index ${i}.`);
    }
    const sample = binaryCustomGrad((prob: tf.Tensor, uniform: tf.Tensor, save: tf.GradSaveFunc) => {
      const ps = prob.dataSync();
      const us = uniform.dataSync();
      const out = new Float32Array(us.length);
      for (let i = 0; i < out.length; i++) out[i] = binomialQuantile(ns[i]!, Math.min(1, Math.max(0, ps[i]!)), us[i]!);
      save([counts]);
      return { value: tf.tensor(out, uniform.shape, 'float32'), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, saved[0]!), tf.zerosLike(uniform)] };
    });
    return sample(probs, u);
  });
}
