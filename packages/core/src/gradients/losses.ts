/**
 * Losses between simulated metric series and observed data, decomposed per
 * step so that gradients can be computed segment by segment (checkpointing).
 */
import { PopulaceError } from '../errors.js';
import { tf } from '../tf.js';
import { describeValue, isPlainObject } from '../validate.js';

/** Observed series by metric name: one value per step from step 1, `null` (or NaN) where unobserved. */
export type ObservedData = Readonly<Record<string, readonly (number | null)[]>>;

/** A loss on one observed point: predicted (a scalar tensor) against observed (a number). */
export type PointLoss = (predicted: tf.Scalar, observed: number) => tf.Scalar;

/**
 * - `mse`: mean squared error per metric (summed over metrics).
 * - `poisson`: Poisson negative log-likelihood of the observed counts, mean per point.
 * - `negative-binomial`: negative-binomial NLL with a dispersion (default 10; variance = mu + mu^2 / dispersion).
 * - a function: any per-point loss.
 */
export type LossSpec = 'mse' | 'poisson' | 'negative-binomial' | { readonly type: 'negative-binomial'; readonly dispersion: number } | PointLoss;

/** log Gamma by the Lanczos approximation (for the constant terms of likelihoods). */
function logGamma(x: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xm = x - 1;
  let a = c[0]!;
  const t = xm + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (xm + i);
  return 0.5 * Math.log(2 * Math.PI) + (xm + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPS = 1e-6;

/** The per-point loss (tensor part) and its constant (so reported values are true likelihoods). */
export function pointLoss(spec: LossSpec): { loss: PointLoss; constant: (observed: number) => number; counts: boolean } {
  if (typeof spec === 'function') return { loss: spec, constant: () => 0, counts: false };
  if (spec === 'mse') return { loss: (p, y) => tf.square(tf.sub(p, y)) as tf.Scalar, constant: () => 0, counts: false };
  if (spec === 'poisson') {
    return {
      loss: (p, y) => tf.tidy(() => {
        const mu = tf.add(tf.relu(p), EPS);
        return tf.sub(mu, tf.mul(y, tf.log(mu))) as tf.Scalar;
      }),
      constant: (y) => logGamma(y + 1),
      counts: true,
    };
  }
  const r = spec === 'negative-binomial' ? 10 : spec?.dispersion;
  if (!(isPlainObject(spec) || spec === 'negative-binomial') || typeof r !== 'number' || !(r > 0) || !Number.isFinite(r)) {
    throw new PopulaceError('invalid-argument', `loss: expected 'mse', 'poisson', 'negative-binomial', { type: 'negative-binomial', dispersion > 0 } or a function, received ${describeValue(spec)}.`);
  }
  return {
    // -log NB(y | mu, r) = -(lgamma(y+r) - lgamma(r) - lgamma(y+1)) - r log r - y log mu + (r + y) log(r + mu)
    loss: (p, y) => tf.tidy(() => {
      const mu = tf.add(tf.relu(p), EPS);
      return tf.sub(tf.mul(r + y, tf.log(tf.add(mu, r))), tf.mul(y, tf.log(mu))) as tf.Scalar;
    }),
    constant: (y) => -(logGamma(y + r) - logGamma(r) - logGamma(y + 1)) - r * Math.log(r),
    counts: true,
  };
}

/** Whether a loss is a likelihood of counts (observed values must then be non-negative). Validates the spec. */
export function isCountLoss(spec: LossSpec): boolean {
  return pointLoss(spec).counts;
}

/** Observed data checked against the model's metrics; returns the number of steps it covers. */
export function validateObserved(observed: unknown, metrics: readonly string[], counts: boolean, where: string): { steps: number; series: Map<string, (number | null)[]> } {
  if (!isPlainObject(observed) || Object.keys(observed).length === 0) {
    throw new PopulaceError('invalid-argument', `${where}: observed expected an object { <metric>: [values per step] } with at least one metric of [${metrics.join(', ')}], received ${describeValue(observed)}.`);
  }
  const series = new Map<string, (number | null)[]>();
  let steps = 0;
  for (const [name, values] of Object.entries(observed)) {
    if (!metrics.includes(name)) {
      throw new PopulaceError('invalid-argument', `${where}: observed metric '${name}' is not a metric of the model; expected one of [${metrics.join(', ')}].`, { details: { metric: name, metrics } });
    }
    if (!Array.isArray(values) || values.length === 0) {
      throw new PopulaceError('invalid-argument', `${where}: observed '${name}' expected a non-empty array of numbers (null where unobserved), received ${describeValue(values)}.`);
    }
    const clean = values.map((v, i) => {
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) return null;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new PopulaceError('invalid-argument', `${where}: observed '${name}'[${i}] expected a finite number or null, received ${describeValue(v)}.`, { details: { metric: name, index: i } });
      }
      if (counts && v < 0) {
        throw new PopulaceError('invalid-argument', `${where}: observed '${name}'[${i}] is ${v}, but a count likelihood needs non-negative counts. Fix the data or use loss 'mse'.`, { details: { metric: name, index: i } });
      }
      return v;
    });
    if (clean.every((v) => v === null)) throw new PopulaceError('invalid-argument', `${where}: observed '${name}' has no observed value (all null).`);
    series.set(name, clean);
    steps = Math.max(steps, clean.length);
  }
  return { steps, series };
}
