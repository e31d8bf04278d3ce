/**
 * One step of each method, on tensors (the tape records every op, so
 * gradients flow through the steps):
 *  - RK4: the classical fourth-order Runge-Kutta method, fixed step.
 *  - Dormand-Prince 5(4): Dormand & Prince (1980), J. Comput. Appl. Math. 6:19-26, the
 *    tableau of MATLAB's ode45 and SciPy's RK45; the fifth-order solution is propagated and
 *    the difference to the embedded fourth-order one estimates the error. First same as last:
 *    the derivative at the new point is returned for reuse as the next step's first stage.
 *  - ROS2: the two-stage, second-order, L-stable Rosenbrock (W-)method of Verwer, Spee, Blom &
 *    Hundsdorfer (1999), SIAM J. Sci. Comput. 20(4):1456-1480, gamma = 1 + 1/sqrt(2). It is
 *    second order for any approximation of the Jacobian, so a forward-difference Jacobian keeps
 *    its order; the embedded linearly implicit Euler solution estimates the error.
 * Step sizes `h` are scalars or tensors of the batch's shape (one step per system).
 */
import { tf } from '@populace/core';
import { luFactor, luSolve, type BatchMatrix } from './batched-linear.js';
import { combine, weighted, type OdeSystem, type OdeVector } from './system.js';

/** What an adaptive step returns: the new state, the error estimate and (FSAL) the derivative there. */
export interface AdaptiveStep {
  readonly y: OdeVector;
  readonly error: OdeVector;
  readonly fNew?: OdeVector;
}

/** One classical RK4 step of length `h` from time `t` (numbers: the stage combinations are fused kernels). */
export function rk4Step(sys: OdeSystem, t: number, y: OdeVector, h: number): OdeVector {
  const n = sys.names;
  const tMid = tf.scalar(t + h / 2);
  const k1 = sys.f(tf.scalar(t), y);
  const k2 = sys.f(tMid, combine(n, y, [[h / 2, k1]]));
  const k3 = sys.f(tMid, combine(n, y, [[h / 2, k2]]));
  const k4 = sys.f(tf.scalar(t + h), combine(n, y, [[h, k3]]));
  return combine(n, y, [[h / 6, k1], [h / 3, k2], [h / 3, k3], [h / 6, k4]]);
}

/** The Dormand-Prince 5(4) tableau: nodes C, stages A, error weights E (shared with the fused loops). */
export const C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1];
export const A: readonly (readonly number[])[] = [
  [],
  [1 / 5],
  [3 / 40, 9 / 40],
  [44 / 45, -56 / 15, 32 / 9],
  [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
  [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
];
/** Fifth-order weights minus the embedded fourth-order ones (b - b*). */
export const E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40];

/** One Dormand-Prince 5(4) step; `f0` is the derivative at (t, y) (first same as last). */
export function dopri5Step(sys: OdeSystem, t: tf.Tensor, y: OdeVector, h: tf.Tensor, f0: OdeVector): AdaptiveStep {
  const n = sys.names;
  const k: OdeVector[] = [f0];
  for (let s = 1; s < 7; s++) {
    const ys = combine(n, y, A[s]!.map((a, j) => [a === 0 ? 0 : tf.mul(h, a), k[j]!] as const));
    if (s === 6) {
      // the seventh stage is the derivative at the fifth-order solution
      const fNew = sys.f(tf.add(t, h), ys);
      k.push(fNew);
      const err = weighted(n, E.map((e, j) => [e, k[j]!] as const));
      const error: OdeVector = {};
      for (const name of n) error[name] = tf.mul(err[name]!, h);
      return { y: ys, error, fNew };
    }
    k.push(sys.f(tf.add(t, tf.mul(h, C[s]!)), ys));
  }
  throw new Error('unreachable');
}

const GAMMA = 1 + 1 / Math.SQRT2;
/** Relative perturbation of the forward-difference Jacobian (about sqrt of float32's epsilon). */
const FD_REL = 3.5e-4;

/** `J[i][j]` per system: the component's own, or forward differences of f on the tape. */
export function jacobian(sys: OdeSystem, t: tf.Tensor, y: OdeVector, f0: OdeVector, floor: number): Record<string, OdeVector> {
  if (sys.jacobian) return sys.jacobian(t, y);
  const J: Record<string, OdeVector> = {};
  for (const i of sys.names) J[i] = {};
  for (const j of sys.names) {
    const delta = tf.mul(tf.maximum(tf.abs(y[j]!), floor), FD_REL);
    const shifted = { ...y, [j]: tf.add(y[j]!, delta) };
    const f1 = sys.f(t, shifted);
    for (const i of sys.names) J[i]![j] = tf.div(tf.sub(f1[i]!, f0[i]!), delta);
  }
  return J;
}

/**
 * One ROS2 step: W = I - gamma h J; W k1 = f(t, y); W k2 = f(t + h, y + h k1) - 2 k1;
 * y1 = y + 3/2 h k1 + 1/2 h k2; error estimate y1 - (y + h k1) = h/2 (k1 + k2).
 */
export function ros2Step(sys: OdeSystem, t: tf.Tensor, y: OdeVector, h: tf.Tensor, f0: OdeVector, floor: number): AdaptiveStep {
  const n = sys.names;
  const J = jacobian(sys, t, y, f0, floor);
  const gh = tf.mul(h, GAMMA);
  const W: BatchMatrix = n.map((i) => n.map((j) => (i === j ? tf.sub(1, tf.mul(gh, J[i]![j]!)) : tf.neg(tf.mul(gh, J[i]![j]!)))));
  const lu = luFactor(W);
  const k1v = luSolve(lu, n.map((name) => f0[name]!));
  const k1: OdeVector = Object.fromEntries(n.map((name, i) => [name, k1v[i]!]));
  const f2 = sys.f(tf.add(t, h), combine(n, y, [[h, k1]]));
  const k2v = luSolve(lu, n.map((name, i) => tf.sub(f2[name]!, tf.mul(k1v[i]!, 2))));
  const k2: OdeVector = Object.fromEntries(n.map((name, i) => [name, k2v[i]!]));
  const y1 = combine(n, y, [[tf.mul(h, 1.5), k1], [tf.mul(h, 0.5), k2]]);
  const error: OdeVector = {};
  for (const name of n) error[name] = tf.mul(tf.add(k1[name]!, k2[name]!), tf.mul(h, 0.5));
  return { y: y1, error };
}
