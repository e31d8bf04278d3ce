/**
 * RK4 with the discrete adjoint method: the gradient of a long solve without a tape that holds
 * every internal step. The forward pass runs off the tape and keeps the state at each output
 * time (checkpoints). The backward pass walks the output intervals from last to first: it
 * recomputes the interval's internal states from its checkpoint, then propagates the adjoint
 * a_k = (d step / d y_k)^T a_(k+1) and accumulates (d step / d theta)^T a_(k+1) one RK4 step at
 * a time (each step's vector-Jacobian product from a one-step tape). The gradient is that of the
 * discrete scheme, so it equals the tape's up to float32 rounding; memory is the checkpoints
 * (outputs x batch x variables), one interval's internal states and one step's tape, against
 * the tape's every op of every internal step.
 *
 * Inputs (exogenous tensors) are held constant and get no gradient.
 */
import { tf } from '@populace/core';
import { rk4Step } from './steppers.js';
import type { OdeSystem, OdeVector } from './system.js';

/** The internal steps of each output interval: count and length. */
export function rk4Grid(times: readonly number[], dt: number): { n: number; h: number }[] {
  return times.slice(1).map((t1, i) => {
    const t0 = times[i]!;
    const n = Math.max(1, Math.ceil((t1 - t0) / dt - 1e-9));
    return { n, h: (t1 - t0) / n };
  });
}

/** `make(params)` binds the system to parameter tensors (called inside the one-step tapes). */
export type SystemFactory = (params: Readonly<Record<string, tf.Tensor>>) => OdeSystem;

/**
 * The states at `times[1..]`, differentiable with respect to `y0` and `params` by the adjoint
 * recurrence (one tf.customGrad op on the caller's tape).
 */
export function rk4AdjointSolve(make: SystemFactory, names: readonly string[], y0: OdeVector, params: Readonly<Record<string, tf.Tensor>>, times: readonly number[], dt: number): OdeVector[] {
  const paramNames = Object.keys(params);
  const grid = rk4Grid(times, dt);
  const advance = (sys: OdeSystem, y: OdeVector, t0: number, h: number, n: number, keep?: OdeVector[]): OdeVector => {
    let cur = y;
    for (let k = 0; k < n; k++) {
      keep?.push(cur);
      const prev = cur;
      cur = tf.tidy(() => rk4Step(sys, t0 + k * h, prev, h));
      if (k > 0 && !keep) tf.dispose(Object.values(prev));
    }
    return cur;
  };
  const inputs = [...names.map((v) => y0[v]!), ...paramNames.map((p) => params[p]!)];
  const op = tf.customGrad(((...args: (tf.Tensor | ((tensors: tf.Tensor[]) => void))[]) => {
    const xs = args.slice(0, inputs.length) as tf.Tensor[];
    const save = args[inputs.length] as (tensors: tf.Tensor[]) => void;
    const p = Object.fromEntries(paramNames.map((q, j) => [q, xs[names.length + j]!]));
    const sys = make(p);
    let cur: OdeVector = Object.fromEntries(names.map((v, j) => [v, xs[j]!]));
    const outputs: tf.Tensor[] = [];
    grid.forEach(({ n, h }, i) => {
      const next = advance(sys, cur, times[i]!, h, n);
      names.forEach((v) => outputs.push(next[v]!));
      cur = next;
    });
    save([...xs]);
    // customGrad returns one tensor: the outputs stacked (times x variables first)
    const value = tf.stack(outputs);
    tf.dispose(outputs);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const dys = tf.unstack(dy);
        try {
          return backward(make, names, paramNames, grid, times, dys, saved);
        } finally {
          tf.dispose(dys);
        }
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const stacked = (op as unknown as (...xs: tf.Tensor[]) => tf.Tensor)(...inputs);
  const flat = tf.unstack(stacked);
  stacked.dispose();
  return grid.map((_, i) => Object.fromEntries(names.map((v, j) => [v, flat[i * names.length + j]!])));
}

function backward(make: SystemFactory, names: readonly string[], paramNames: readonly string[], grid: readonly { n: number; h: number }[], times: readonly number[], dys: readonly tf.Tensor[], saved: readonly tf.Tensor[]): tf.Tensor[] {
  const y0 = saved.slice(0, names.length);
  const pv = saved.slice(names.length);
  const params = Object.fromEntries(paramNames.map((q, j) => [q, pv[j]!]));
  const sys = make(params);
  // checkpoints: the state at the start of every interval, recomputed off the tape
  const checkpoints: OdeVector[] = [Object.fromEntries(names.map((v, j) => [v, y0[j]!]))];
  for (let i = 0; i < grid.length - 1; i++) {
    const { n, h } = grid[i]!;
    let cur = checkpoints[i]!;
    for (let k = 0; k < n; k++) {
      const prev = cur;
      cur = tf.tidy(() => rk4Step(sys, times[i]! + k * h, prev, h));
      if (k > 0) tf.dispose(Object.values(prev));
    }
    checkpoints.push(cur);
  }
  let a: tf.Tensor[] = names.map((_, j) => tf.zerosLike(y0[j]!));
  let g: tf.Tensor[] = pv.map((p) => tf.zerosLike(p));
  for (let i = grid.length - 1; i >= 0; i--) {
    const { n, h } = grid[i]!;
    const withOutput = a.map((x, j) => tf.add(x, dys[i * names.length + j]!));
    tf.dispose(a);
    a = withOutput;
    // the interval's internal states
    const states: OdeVector[] = [checkpoints[i]!];
    for (let k = 0; k < n - 1; k++) {
      const prev = states[k]!;
      states.push(tf.tidy(() => rk4Step(sys, times[i]! + k * h, prev, h)));
    }
    for (let k = n - 1; k >= 0; k--) {
      const y = states[k]!;
      const t = times[i]! + k * h;
      const cot = a;
      const grads = nested(() =>
        tf.grads((...xs: tf.Tensor[]) => {
          const yk = Object.fromEntries(names.map((v, j) => [v, xs[j]!]));
          const pk = Object.fromEntries(paramNames.map((q, j) => [q, xs[names.length + j]!]));
          const out = rk4Step(make(pk), t, yk, h);
          // + 0 x every input, so that one the step does not use gets a zero gradient, not an error
          return tf.addN([...names.map((v, j) => tf.sum(tf.mul(out[v]!, cot[j]!))), ...xs.map((x) => tf.mul(0, tf.sum(x)))]);
        })([...names.map((v) => y[v]!), ...pv]),
      );
      tf.dispose(a);
      a = grads.slice(0, names.length);
      const gNext = g.map((x, j) => tf.add(x, grads[names.length + j]!));
      tf.dispose([...g, ...grads.slice(names.length)]);
      g = gNext;
      if (k > 0) tf.dispose(Object.values(y));
    }
    if (i > 0) tf.dispose(Object.values(checkpoints[i]!));
  }
  return [...a, ...g];
}

/**
 * Runs a gradient computation inside another one's backward pass. tfjs keeps one active tape in
 * its engine state and clears it when a gradient finishes, which would drop the outer tape's
 * record while it is being walked: it is saved and put back.
 */
function nested<T extends tf.TensorContainer>(fn: () => T): T {
  const state = (tf.engine() as unknown as { state: { activeTape: unknown } }).state;
  const outer = state.activeTape;
  try {
    return tf.tidy(fn);
  } finally {
    state.activeTape = outer;
  }
}
