/**
 * Metrics: declared reporters evaluated after every step, one time series
 * each. Full state snapshots are never taken by default.
 */
import type { StatePath } from './state-path.js';
import { tf } from './tf.js';
import { sumAll } from './kernels/sum-all.js';

/** What a metric sees after a step. */
export interface MetricContext {
  /** Index of the step just completed. */
  readonly step: number;
  readonly params: Readonly<Record<string, tf.Tensor>>;
  /** A parameter's value at this step (see SubstepContext.param). */
  param(name: string): tf.Tensor;
  get(path: StatePath): tf.Tensor;
  count(agentType: string): number;
}

export interface MetricSpec {
  readonly description?: string;
  /** State the metric reads; checked like a substep's reads. */
  readonly reads: readonly StatePath[];
  /** A scalar tensor (differentiable where the state is) or a number. */
  readonly compute: (ctx: MetricContext) => tf.Tensor | number;
}

/**
 * Counts agents whose property equals `value`.
 *
 * @example
 * ```ts
 * metrics: { I: countWhere('agents/people/status', 1, 'infected agents') }
 * ```
 */
export function countWhere(path: StatePath, value: number, description?: string): MetricSpec {
  return {
    description: description ?? `number of agents with ${path} = ${value}`,
    reads: [path],
    compute: (ctx) => sumAll(tf.cast(tf.equal(ctx.get(path), value), 'float32')),
  };
}

/** Sum of a property over all agents (or of an environment value). */
export function sumOf(path: StatePath, description?: string): MetricSpec {
  return { description: description ?? `sum of ${path}`, reads: [path], compute: (ctx) => sumAll(ctx.get(path)) };
}

/** Mean of a property over all agents. */
export function meanOf(path: StatePath, description?: string): MetricSpec {
  return { description: description ?? `mean of ${path}`, reads: [path], compute: (ctx) => { const x = ctx.get(path); return tf.div(sumAll(x), x.size); } };
}
