/**
 * The fused RK4 path (a component's `pointwise` derivative, no tape) against the tensor path it
 * replaces, and the tape still taking the tensor path.
 */
import { tf } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { seirOde } from './compartmental.js';
import { canFuse, fusedRk4 } from './fused-solvers.js';
import { solveOde } from './solve.js';
import { BACCAM_2006, viralTcl } from './viral.js';

const withoutPointwise = <C extends object>(c: C): C => Object.freeze({ ...c, pointwise: undefined });

describe('fused solvers', () => {
  it('agrees with the tensor path on the viral model, per-system parameters included', () => {
    const n = 64;
    const y0 = { T: tf.fill([n], BACCAM_2006.T0), I: tf.zeros([n]), V: tf.linspace(0.01, 10, n) };
    const p = tf.linspace(0.006, 0.02, n);
    expect(canFuse(viralTcl)).toBe(true);
    const fused = solveOde(viralTcl, { y0, params: { p }, times: [0, 1, 2, 3], method: 'rk4', dt: 0.1 });
    const reference = solveOde(withoutPointwise(viralTcl), { y0, params: { p }, times: [0, 1, 2, 3], method: 'rk4', dt: 0.1 });
    for (let d = 1; d <= 3; d++) {
      for (const k of ['T', 'I', 'V'] as const) {
        const [a, b] = [fused.states[d]![k].dataSync(), reference.states[d]![k].dataSync()];
        for (let i = 0; i < n; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-4 * Math.abs(b[i]!) + 1e-3);
      }
    }
  });

  it('agrees with the tensor path on SEIR fractions', () => {
    const y0 = { s: tf.tensor1d([0.99, 0.5]), e: tf.tensor1d([0, 0.1]), i: tf.tensor1d([0.01, 0.2]), r: tf.tensor1d([0, 0.2]) };
    const direct = fusedRk4(seirOde, y0, { beta: tf.scalar(0.3), gamma: tf.scalar(0.1), sigma: tf.scalar(0.2) }, {}, [2], 0, 0.1, 50);
    const reference = solveOde(withoutPointwise(seirOde), { y0, times: [0, 5], method: 'rk4', dt: 0.1 }).states[1]!;
    for (const k of ['s', 'e', 'i', 'r'] as const) {
      const [a, b] = [direct[k]!.dataSync(), reference[k].dataSync()];
      for (let i = 0; i < 2; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
    }
  });

  it('Dormand-Prince with independent steps per system agrees with the masked tensor path', () => {
    const n = 16;
    const y0 = { T: tf.fill([n], BACCAM_2006.T0), I: tf.zeros([n]), V: tf.linspace(0.01, 1e4, n) };
    const options = { y0, times: [0, 1, 3], method: 'dopri5' as const, rtol: 1e-6, atol: 1e-3 };
    const fused = solveOde(viralTcl, options);
    const reference = solveOde(withoutPointwise(viralTcl), options);
    for (const k of ['T', 'I', 'V'] as const) {
      const [a, b] = [fused.states[2]![k].dataSync(), reference.states[2]![k].dataSync()];
      for (let i = 0; i < n; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-4 * Math.abs(b[i]!) + 1e-2);
    }
    expect(fused.steps).toBeGreaterThan(2);
  });

  it('is not used while a gradient is recorded (the tape needs the tensor ops)', () => {
    const g = tf.grad((p: tf.Tensor) => {
      expect(canFuse(viralTcl)).toBe(false);
      const sol = solveOde(viralTcl, { y0: { V: BACCAM_2006.V0 }, params: { p }, times: [0, 2], method: 'rk4', dt: 0.1 });
      return tf.log(sol.states[1]!.V);
    })(tf.scalar(BACCAM_2006.p));
    expect(g.dataSync()[0]).toBeGreaterThan(0);
  });
});
