/**
 * Metrics: declared reporters evaluated after every step, one time series
 * each. Full state snapshots are never taken by default.
 */
import type { StatePath } from './state-path.js';
import { tf } from './tf.js';
import { sumAll } from './kernels/ops/sum-all.js';

/** What a metric sees after a step (`P`: the paths it reads). */
export interface MetricContext<P extends string = StatePath> {
  /** Index of the step just completed. */
  readonly step: number;
  /** @deprecated Read parameters with `ctx.param(name)` (see SubstepContext.params). */
  readonly params: Readonly<Record<string, tf.Tensor>>;
  /** A parameter's value at this step, the one way to read a parameter (see SubstepContext.param). */
  param(name: string): tf.Tensor;
  get(path: P): tf.Tensor;
  count(agentType: string): number;
  /** A declared input's value at this step (see SubstepContext.input). */
  input(name: string): tf.Tensor;
}

/** A metric; `P` is the paths it reads (literals are checked against the model's state by `defineModel`). */
export interface MetricSpec<P extends StatePath = StatePath> {
  readonly description?: string;
  /** Its unit, e.g. `birds/day`: a link from it to an input with another declared unit is refused. */
  readonly unit?: string;
  /** State the metric reads; checked like a substep's reads. */
  readonly reads: readonly P[];
  /** A scalar tensor (differentiable where the state is) or a number. */
  readonly compute: (ctx: MetricContext<P>) => tf.Tensor | number;
}

/** What a `countWhere` reporter counts, keyed by its compute function (which survives the model's deep copy). */
const COUNTS = new WeakMap<MetricSpec['compute'], { readonly path: StatePath; readonly value: number }>();

/** @internal the path and value a metric made with `countWhere` counts, or undefined for any other metric. */
export function countWhereTarget(spec: MetricSpec): { readonly path: StatePath; readonly value: number } | undefined {
  return COUNTS.get(spec.compute);
}

/**
 * The number of elements of a float32 0/1 indicator equal to `value` (0 or 1), with the gradient of
 * its linear interpolation on [0, 1]: that of `sum(x)` for 1 and of `n - sum(x)` for 0 (the
 * gradient `sumOf` has on the same indicator). Elements outside [0, 1] get none.
 */
function indicatorCount(value: 0 | 1): (x: tf.Tensor) => tf.Scalar {
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const inside = tf.cast(tf.logicalAnd(tf.greaterEqual(x, 0), tf.lessEqual(x, 1)), 'float32');
    save([value === 1 ? inside : tf.neg(inside)]);
    return { value: sumAll(tf.cast(tf.equal(x, value), 'float32')), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, saved[0]!)] };
  }) as Parameters<typeof tf.customGrad>[0]);
  return (x) => op(x) as tf.Scalar;
}

const COUNT_ONES = indicatorCount(1);
const COUNT_ZEROS = indicatorCount(0);

/**
 * Counts agents whose property equals `value`. Counting is differentiable where the property is a
 * float32 0/1 indicator and `value` is 0 or 1 (the gradient of `sum(x)`, resp. `n - sum(x)`); on
 * integer, boolean or multi-valued states it has no gradient, and `calibrate`/`sensitivity` say so
 * (report a float32 indicator with `sumOf` instead).
 *
 * @example
 * ```ts
 * metrics: { I: countWhere('agents/people/status', 1, 'infected agents') }
 * ```
 */
export function countWhere<const P extends StatePath>(path: P, value: number, description?: string): MetricSpec<P> {
  const compute = (ctx: MetricContext<P>): tf.Tensor => {
    const x = ctx.get(path);
    if (x.dtype === 'float32' && (value === 0 || value === 1)) return (value === 1 ? COUNT_ONES : COUNT_ZEROS)(x);
    return sumAll(tf.cast(tf.equal(x, value), 'float32'));
  };
  COUNTS.set(compute, { path, value });
  return { description: description ?? `number of agents with ${path} = ${value}`, reads: [path], compute };
}

/** Sum of a property over all agents (or of an environment value). */
export function sumOf<const P extends StatePath>(path: P, description?: string): MetricSpec<P> {
  return { description: description ?? `sum of ${path}`, reads: [path], compute: (ctx) => sumAll(ctx.get(path)) };
}

/** Mean of a property over all agents. */
export function meanOf<const P extends StatePath>(path: P, description?: string): MetricSpec<P> {
  return { description: description ?? `mean of ${path}`, reads: [path], compute: (ctx) => { const x = ctx.get(path); return tf.div(sumAll(x), x.size); } };
}
