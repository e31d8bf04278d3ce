/**
 * A component bound to its parameters and inputs: the right-hand side the
 * solvers call, with its contract checked (every variable returned, with the
 * batch's shape), and the vector arithmetic they share. States are records of
 * tensors of one shape (the batch), one tensor per variable.
 */
import { PopulaceError, linearCombine, tf } from '@populace/core';
import type { OdeComponent } from './component.js';

/** A state or a derivative: one tensor per variable, all of the batch's shape. */
export type OdeVector = Record<string, tf.Tensor>;

/** A bound right-hand side. */
export interface OdeSystem {
  readonly id: string;
  readonly names: readonly string[];
  readonly shape: readonly number[];
  f(t: tf.Tensor, y: OdeVector): OdeVector;
  /** The component's exact Jacobian, when it declares one. */
  readonly jacobian?: (t: tf.Tensor, y: OdeVector) => Record<string, OdeVector>;
}

/** Binds a component to its parameter tensors and inputs for a batch of `shape`. */
export function bindSystem(component: OdeComponent, params: Readonly<Record<string, tf.Tensor>>, inputs: Readonly<Record<string, tf.Tensor>>, shape: readonly number[]): OdeSystem {
  const names = Object.keys(component.state);
  let checked = false;
  const f = (t: tf.Tensor, y: OdeVector): OdeVector => {
    const dy = component.derivative(t, y, params, inputs) as OdeVector;
    if (!checked) {
      checkDerivative(component.id, names, dy, shape);
      checked = true;
    }
    const out: OdeVector = {};
    for (const n of names) out[n] = tf.util.arraysEqual(dy[n]!.shape, shape as number[]) ? dy[n]! : tf.broadcastTo(dy[n]!, [...shape]);
    return out;
  };
  const jac = component.jacobian;
  return { id: component.id, names, shape, f, ...(jac ? { jacobian: (t: tf.Tensor, y: OdeVector) => jac(t, y, params, inputs) as Record<string, OdeVector> } : {}) };
}

function checkDerivative(id: string, names: readonly string[], dy: unknown, shape: readonly number[]): void {
  const fail = (what: string): never => {
    throw new PopulaceError('invalid-update', `ODE component '${id}': its derivative ${what}. It must return { ${names.join(', ')} }, each a float32 tensor of the batch's shape [${shape.join(', ')}] (or one that broadcasts to it).`, { details: { component: id, shape } });
  };
  if (typeof dy !== 'object' || dy === null) fail(`returned ${dy === null ? 'null' : typeof dy}`);
  const record = dy as Record<string, unknown>;
  for (const n of names) {
    const v = record[n];
    if (!(v instanceof tf.Tensor)) fail(`returned no tensor for '${n}'`);
    const t = v as tf.Tensor;
    if (t.dtype !== 'float32') fail(`returned a ${t.dtype} tensor for '${n}'`);
    const ok = t.rank <= shape.length && t.shape.every((d, i) => d === 1 || d === shape[shape.length - t.rank + i]);
    if (!ok) fail(`returned shape [${t.shape.join(', ')}] for '${n}'`);
  }
  const extra = Object.keys(record).filter((k) => !names.includes(k));
  if (extra.length > 0) fail(`returned unknown variables [${extra.join(', ')}]`);
}

/** `y + sum_i c_i * k_i` per variable, where each c_i is a number or a tensor (a step size times a coefficient). */
export function combine(names: readonly string[], y: OdeVector, terms: readonly (readonly [tf.Tensor | number, OdeVector])[]): OdeVector {
  const live = terms.filter(([c]) => c !== 0);
  if (live.every(([c]) => typeof c === 'number')) {
    // numeric coefficients (fixed steps): one fused pass per variable (core's linearCombine kernel)
    const out: OdeVector = {};
    for (const n of names) out[n] = linearCombine([y[n]!, ...live.map(([, k]) => k[n]!)], [[1, ...live.map(([c]) => c as number)]])[0]!;
    return out;
  }
  const out: OdeVector = {};
  for (const n of names) {
    let acc = y[n]!;
    for (const [c, k] of terms) {
      if (c === 0) continue;
      acc = tf.add(acc, tf.mul(k[n]!, c));
    }
    out[n] = acc;
  }
  return out;
}

/** `sum_i c_i * k_i` per variable (a weighted sum of stages). */
export function weighted(names: readonly string[], terms: readonly (readonly [number, OdeVector])[]): OdeVector {
  const live = terms.filter(([c]) => c !== 0);
  const out: OdeVector = {};
  for (const n of names) out[n] = linearCombine(live.map(([, k]) => k[n]!), [live.map(([c]) => c)])[0]!;
  return out;
}

/**
 * Index of the first system whose state is not finite (NaN or +-Inf), or -1. One read of a
 * scalar when everything is finite.
 */
export function firstNonFinite(names: readonly string[], y: OdeVector): number {
  const bad = tf.tidy(() => {
    let finite = tf.isFinite(y[names[0]!]!);
    for (const n of names.slice(1)) finite = tf.logicalAnd(finite, tf.isFinite(y[n]!));
    const flat = tf.reshape(tf.cast(finite, 'int32'), [-1]);
    return tf.stack([tf.min(flat), tf.cast(tf.argMin(flat), 'int32')]);
  });
  const [allFinite, index] = bad.dataSync();
  bad.dispose();
  return allFinite === 1 ? -1 : index!;
}

/** Throws the error a non-finite state gets: it names the component, the time and the batch index. */
export function nonFiniteError(id: string, names: readonly string[], y: OdeVector, index: number, time: number): PopulaceError {
  const values = names.map((n) => `${n}=${tf.reshape(y[n]!, [-1]).dataSync()[index]}`).join(', ');
  return new PopulaceError('integration-failed', `ODE component '${id}': the state of system ${index} became non-finite (${values}) by t = ${time}. Check the parameters and initial state, or use a smaller step (or method 'ros2' for a stiff system).`, { details: { component: id, index, time } });
}
