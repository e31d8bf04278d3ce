/**
 * Bounds by reparameterisation, not clipping: an optimiser moves an
 * unconstrained u, and the parameter is a smooth bijection of it onto its
 * bounds, so it can approach a bound but never cross it.
 *  - [lo, hi]:  theta = lo + (hi - lo) * sigmoid(u)
 *  - [lo, inf): theta = lo + softplus(u)
 *  - (-inf, hi]: theta = hi - softplus(u)
 *  - unbounded: theta = u
 */
import { tf } from '../tf.js';

export type Bounds = readonly [number, number];

/** Keeps starting points strictly inside the bounds (the bijection never reaches them). */
const MARGIN = 1e-6;

function inverseSoftplus(y: number): number {
  return y > 30 ? y : Math.log(Math.expm1(Math.max(y, MARGIN)));
}

/** u for a parameter value (elementwise for arrays). */
export function toUnconstrained(value: number, bounds: Bounds | undefined): number {
  const [lo, hi] = bounds ?? [-Infinity, Infinity];
  const finiteLo = Number.isFinite(lo);
  const finiteHi = Number.isFinite(hi);
  if (finiteLo && finiteHi) {
    if (hi === lo) return 0;
    const x = Math.min(1 - MARGIN, Math.max(MARGIN, (value - lo) / (hi - lo)));
    return Math.log(x / (1 - x));
  }
  if (finiteLo) return inverseSoftplus(value - lo);
  if (finiteHi) return inverseSoftplus(hi - value);
  return value;
}

/** theta(u) as a differentiable tensor expression. */
export function fromUnconstrained(u: tf.Tensor, bounds: Bounds | undefined): tf.Tensor {
  const [lo, hi] = bounds ?? [-Infinity, Infinity];
  return tf.tidy(() => {
    if (Number.isFinite(lo) && Number.isFinite(hi)) return tf.add(lo, tf.mul(hi - lo, tf.sigmoid(u)));
    if (Number.isFinite(lo)) return tf.add(lo, tf.softplus(u));
    if (Number.isFinite(hi)) return tf.sub(hi, tf.softplus(u));
    return tf.clone(u);
  });
}
