/**
 * Linear combinations of same-shape tensors in one pass, and compartment
 * flows built on them.
 */
import { PopulaceError } from '../../errors.js';
import { tf } from '../../tf.js';
import { LINEAR_COMBINE } from '../kernel-names.js';

/**
 * `out[k] = sum_j coefficients[k][j] * inputs[j]` for same-shape float32 inputs, as one kernel on
 * cpu and wasm (stock ops elsewhere); differentiable.
 *
 * @example
 * ```ts
 * const [sNext, iNext] = linearCombine([s, i, infected], [[1, 0, -1], [0, 1, 1]]);
 * ```
 */
export function linearCombine(inputs: readonly tf.Tensor[], coefficients: readonly (readonly number[])[]): tf.Tensor[] {
  const j = inputs.length;
  if (j === 0 || coefficients.length === 0 || coefficients.some((row) => row.length !== j || row.some((c) => !Number.isFinite(c)))) {
    throw new PopulaceError('invalid-argument', `linearCombine: expected one row of ${j} finite coefficients per output for ${j} inputs.`);
  }
  const shape = inputs[0]!.shape;
  for (const t of inputs) {
    if (t.dtype !== 'float32' || !tf.util.arraysEqual(t.shape, shape)) {
      throw new PopulaceError('invalid-argument', `linearCombine: inputs must be float32 tensors of one shape [${shape.join(', ')}]; received ${t.dtype} [${t.shape.join(', ')}].`);
    }
  }
  if (tf.getKernel(LINEAR_COMBINE, tf.getBackend()) != null) {
    const out = tf.engine().runKernel(LINEAR_COMBINE, Object.fromEntries(inputs.map((t, q) => [`x${q}`, t])), { outputs: coefficients.length, coefficients: coefficients.flat() } as unknown as tf.NamedAttrMap);
    return [out].flat() as tf.Tensor[];
  }
  return coefficients.map((row) => tf.tidy(() => tf.addN(row.map((c, q) => (c === 0 ? null : tf.mul(c, inputs[q]!))).filter((t): t is tf.Tensor => t !== null).concat([tf.zerosLike(inputs[0]!)]))));
}

/**
 * Moves amounts between compartments: each compartment gains the amounts flowing in and loses
 * those flowing out, in one fused pass.
 *
 * @example
 * ```ts
 * const next = applyFlows({ s, i, r }, [['s', 'i', infected], ['i', 'r', recovered]]);
 * ```
 */
export function applyFlows<K extends string>(compartments: Readonly<Record<K, tf.Tensor>>, flows: readonly (readonly [K, K, tf.Tensor])[]): Record<K, tf.Tensor> {
  const names = Object.keys(compartments) as K[];
  for (const [from, to] of flows) {
    if (!names.includes(from) || !names.includes(to)) {
      throw new PopulaceError('invalid-argument', `applyFlows: flow ${from} -> ${to} names a compartment outside [${names.join(', ')}].`);
    }
  }
  const inputs = [...names.map((n) => compartments[n]), ...flows.map(([, , amount]) => amount)];
  const rows = names.map((n) => [...names.map((m) => (m === n ? 1 : 0)), ...flows.map(([from, to]) => (to === n ? 1 : 0) - (from === n ? 1 : 0))]);
  const out = linearCombine(inputs, rows);
  return Object.fromEntries(names.map((n, k) => [n, out[k]!])) as Record<K, tf.Tensor>;
}
