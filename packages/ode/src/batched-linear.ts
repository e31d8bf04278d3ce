/**
 * Small dense linear systems solved for a whole batch at once: an n x n matrix
 * whose entries are tensors of the batch's shape (one matrix per system),
 * factorised by Gaussian elimination with tf ops, so that gradients flow.
 *
 * No pivoting: the implicit solvers factorise W = I - gamma h J, whose diagonal
 * dominates for the dissipative (stiff) systems they are meant for, and a
 * per-system row exchange would need a gather per row. A zero or non-finite
 * pivot shows up as a non-finite state, which the solver reports.
 */
import { tf } from '@populace/core';

/** An n x n matrix of batch tensors, `m[i][j]`. */
export type BatchMatrix = tf.Tensor[][];

/** The LU factors of a batch matrix: unit-lower multipliers and the upper triangle. */
export interface BatchLu {
  readonly n: number;
  readonly lower: tf.Tensor[][];
  readonly upper: tf.Tensor[][];
}

/** LU factorisation without pivoting: `m = L U` for every system of the batch. */
export function luFactor(m: BatchMatrix): BatchLu {
  const n = m.length;
  const u = m.map((row) => [...row]);
  const lower: tf.Tensor[][] = Array.from({ length: n }, () => []);
  for (let k = 0; k < n; k++) {
    const pivot = u[k]![k]!;
    for (let i = k + 1; i < n; i++) {
      const l = tf.div(u[i]![k]!, pivot);
      lower[i]![k] = l;
      for (let j = k + 1; j < n; j++) u[i]![j] = tf.sub(u[i]![j]!, tf.mul(l, u[k]![j]!));
    }
  }
  return { n, lower, upper: u };
}

/** Solves `L U x = b` for every system of the batch (`b` one tensor per row). */
export function luSolve(lu: BatchLu, b: readonly tf.Tensor[]): tf.Tensor[] {
  const { n, lower, upper } = lu;
  const z: tf.Tensor[] = [];
  for (let i = 0; i < n; i++) {
    let acc = b[i]!;
    for (let j = 0; j < i; j++) acc = tf.sub(acc, tf.mul(lower[i]![j]!, z[j]!));
    z.push(acc);
  }
  const x: tf.Tensor[] = new Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let acc = z[i]!;
    for (let j = i + 1; j < n; j++) acc = tf.sub(acc, tf.mul(upper[i]![j]!, x[j]!));
    x[i] = tf.div(acc, upper[i]![i]!);
  }
  return x;
}
