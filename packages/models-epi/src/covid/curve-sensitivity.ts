/**
 * How the reproduction curve moves with the parameters, so that derivatives see what finite
 * differences see. R_mix = g(R; theta) inverts the curve R_real(R_mix; theta) measured by branching
 * runs on the population (reproduction.ts); a layer weight, a duration or the asymptomatic
 * infectiousness moves that curve, and a simulation built at other parameter values measures
 * another one. A derivative that held the curve fixed missed this term and was off by an order of
 * magnitude on nyc (the direct effect of a household weight, say, is mostly cancelled by R_mix
 * adjusting to keep R the realised R). So R_mix carries the first-order term
 *
 *   sum_p s_p (theta_p - theta_p0),   s_p = d g(R; theta) / d theta_p at theta0,
 *
 * over the learnable parameters the curve depends on, theta0 being the values the curve was measured
 * at (its source, curve-source.ts) and s_p the least-squares slope of the curve itself re-measured at
 * theta_p0 x (1 - 20%, 10%, 0, +10%, +20%) (within bounds; the branching runs share their draws across
 * parameter values, but what is left of their noise, 0.2-0.9% of R_mix, rules out a narrow central
 * difference), with the same branching seeds. At theta0 the
 * term is zero and costs nothing: on the tape its gradient is s_p, measured only if a backward pass
 * reaches it. Away from theta0 (the replays of the stochastic derivative, a calibration step before
 * the next reset re-measures the curve) it is s_p (theta_p - theta_p0). Slopes are cached per source,
 * parameter and R.
 */
import { tf } from '@populace/core';
import { curveSource } from './curve-source.js';
import { TRANSMISSION_PARAMETERS } from './parameters.js';
import { CURVE_LENGTH, CURVE_PARAMS, curveSegment, reproductionCurve } from './reproduction.js';
import { LAYERS, weightParam } from '../layers.js';

/** Relative spacing of the points the curve's slope is fitted to (five points, -2..2 steps). */
export const CURVE_STEP = 0.1;

const layerWeights = new Set(LAYERS.map(weightParam));
/** The learnable parameters the curve depends on. */
export const LEARNABLE_CURVE_PARAMS: readonly string[] = CURVE_PARAMS.filter((p) => layerWeights.has(p) || TRANSMISSION_PARAMETERS[p]?.learnable === true);

const boundsOf = (name: string): readonly [number, number] => (layerWeights.has(name) ? [0, 100] : (TRANSMISSION_PARAMETERS[name]?.bounds ?? [-Infinity, Infinity]));

const slopes = new Map<string, number>();

/** s_p: the change of R_mix at R per unit of parameter `name`, around the values the curve of `token` was measured at (0 if the source is gone or the curve does not depend on it). */
export function curveSlope(token: number, name: string, r: number): number {
  const key = `${token}:${name}:${r}`;
  const known = slopes.get(key);
  if (known !== undefined) return known;
  const source = curveSource(token);
  const population = source?.population?.deref();
  let slope = 0;
  if (source && population) {
    const base = Number(source.params[name]);
    const [lo, hi] = boundsOf(name);
    const h = CURVE_STEP * Math.max(Math.abs(base), 0.1);
    const xs = [...new Set([-2, -1, 0, 1, 2].map((k) => Math.min(hi, Math.max(lo, base + k * h))))];
    const ys = xs.map((v) => {
      const { intercept, slope: s } = curveSegment(r, reproductionCurve(population, { ...source.params, [name]: v }));
      return intercept + s * r;
    });
    // least squares over the points: the curve is measured by a stochastic run (0.2-0.9% noise)
    const mx = xs.reduce((a, x) => a + x, 0) / xs.length;
    const my = ys.reduce((a, y) => a + y, 0) / ys.length;
    const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    if (sxx > 0) slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / sxx;
  }
  if (slopes.size > 10_000) slopes.clear();
  slopes.set(key, slope);
  return slope;
}

/** A zero whose gradient in x is slope(), evaluated only when a backward pass asks. */
const lazyLinear = (x: tf.Tensor, slope: () => number): tf.Tensor =>
  tf.customGrad((input: tf.Tensor | tf.GradSaveFunc) => ({ value: tf.zerosLike(input as tf.Tensor), gradFunc: (dy: tf.Tensor) => tf.mul(dy, slope()) }))(x);

/**
 * The first-order curve term of R_mix (a scalar tensor) for the week's R value `r`, given the step's
 * parameter tensors and the environment's curve value (curve then source token).
 */
export function curveShift(param: (name: string) => tf.Tensor, curveValue: ArrayLike<number>, r: number): tf.Tensor | undefined {
  const token = curveValue[CURVE_LENGTH];
  if (token === undefined || !(token > 0)) return undefined;
  const source = curveSource(token);
  if (!source?.population?.deref()) return undefined;
  const terms = LEARNABLE_CURVE_PARAMS.flatMap((name) => {
    const base = source.params[name];
    if (typeof base !== 'number') return [];
    const x = param(name);
    const value = x.dataSync()[0]!;
    if (value === Math.fround(base) || value === base) return [lazyLinear(x, () => curveSlope(token, name, r))];
    return [tf.mul(curveSlope(token, name, r), tf.sub(x, base))];
  });
  return terms.length === 0 ? undefined : terms.length === 1 ? terms[0] : tf.addN(terms);
}
