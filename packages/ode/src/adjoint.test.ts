import { PopulaceError, tf } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { seirOde } from './compartmental.js';
import { defineOdeComponent } from './component.js';
import { solveOde } from './solve.js';

const decay = defineOdeComponent({
  id: 'decay',
  description: 'dy/dt = -k y',
  state: { y: { init: 1 } },
  parameters: { k: { default: 1, bounds: [0, 100], learnable: true }, unused: { default: 3 } },
  derivative: (_t, { y }, { k }) => ({ y: tf.neg(tf.mul(k, y)) }),
});

/** d(sum over output times and systems of every variable, weighted)/d(params, y0) by the chosen gradient. */
function gradients(gradient: 'tape' | 'adjoint', beta: tf.Variable, i0: tf.Variable, times: number[]) {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const sol = solveOde(seirOde, { y0: { s: tf.sub(1, i0), i: i0 }, params: { beta, gamma: 0.1, sigma: 0.2 }, times, method: 'rk4', dt: 0.25, gradient });
      // a loss that weights each output time and variable differently
      return tf.addN(sol.states.slice(1).map((st, k) => tf.add(tf.sum(tf.mul(st.i, k + 1)), tf.sum(tf.mul(st.r, 0.5))))) as tf.Scalar;
    }, [beta, i0]);
    return { value: value.dataSync()[0]!, beta: Array.from(grads[beta.name]!.dataSync()), i0: Array.from(grads[i0.name]!.dataSync()) };
  });
}

describe('RK4 with the discrete adjoint method', () => {
  it('gives the tape\'s gradient (per-system beta and initial state, SEIR over 60 days)', () => {
    const beta = tf.variable(tf.tensor1d([0.2, 0.3, 0.5]), true, 'adjBeta');
    const i0 = tf.variable(tf.tensor1d([1e-3, 1e-2, 1e-4]), true, 'adjI0');
    const times = [0, 10, 20, 30, 45, 60];
    const tape = gradients('tape', beta, i0, times);
    const adjoint = gradients('adjoint', beta, i0, times);
    expect(adjoint.value).toBeCloseTo(tape.value, 3);
    adjoint.beta.forEach((g, k) => expect(g).toBeCloseTo(tape.beta[k]!, 1));
    adjoint.beta.forEach((g, k) => expect(Math.abs(g - tape.beta[k]!)).toBeLessThan(1e-3 * Math.abs(tape.beta[k]!) + 1e-3));
    adjoint.i0.forEach((g, k) => expect(Math.abs(g - tape.i0[k]!)).toBeLessThan(1e-3 * Math.abs(tape.i0[k]!) + 1e-3));
    tf.dispose([beta, i0]);
  });

  it('matches the analytic sensitivity of exponential decay; a parameter the derivative ignores gets zero', () => {
    const k = tf.variable(tf.scalar(0.7), true, 'adjK');
    const unused = tf.variable(tf.scalar(3), true, 'adjUnused');
    const { grads } = tf.variableGrads(() => {
      const sol = solveOde(decay, { params: { k, unused }, times: [0, 1, 2], method: 'rk4', dt: 0.01, gradient: 'adjoint' });
      return tf.sum(sol.states[2]!.y) as tf.Scalar;
    }, [k, unused]);
    // y(2) = exp(-2k): dy/dk = -2 exp(-2k)
    expect(grads[k.name]!.dataSync()[0]!).toBeCloseTo(-2 * Math.exp(-1.4), 4);
    expect(grads[unused.name]!.dataSync()[0]!).toBe(0);
    tf.dispose([k, unused, ...Object.values(grads)]);
  });

  it('refuses an adaptive method', () => {
    expect(() => solveOde(decay, { times: [0, 1], method: 'dopri5', gradient: 'adjoint' })).toThrow(PopulaceError);
    expect(() => solveOde(decay, { times: [0, 1], method: 'rk4', gradient: 'reverse' as 'tape' })).toThrow(/gradient/);
  });
});
