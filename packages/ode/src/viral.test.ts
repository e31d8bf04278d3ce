/**
 * The Baccam et al. (2006) target-cell-limited component: its declared Jacobian against forward
 * differences of its derivative, the three solvers against each other, and the course of one
 * infection (peak titer and timing, clearance).
 */
import { tf } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { parameterTensors } from './component.js';
import { solveOde } from './solve.js';
import { bindSystem } from './system.js';
import { BACCAM_2006, viralTcl } from './viral.js';

const y0 = { T: BACCAM_2006.T0, I: 0, V: BACCAM_2006.V0 };
const times = Array.from({ length: 11 }, (_, d) => d);

describe('ode/viral-tcl', () => {
  it('declares the Jacobian of its derivative (checked against central differences in float64 arithmetic)', () => {
    const state = { T: tf.tensor1d([4e8, 1e8]), I: tf.tensor1d([0, 3e6]), V: tf.tensor1d([0.1, 2e5]) };
    const params = parameterTensors(viralTcl);
    const J = viralTcl.jacobian!(tf.scalar(0), state, params, {});
    const p = BACCAM_2006;
    const f = (T: number, I: number, V: number) => [-p.beta * T * V, p.beta * T * V - p.delta * I, p.p * I - p.c * V];
    const names = ['T', 'I', 'V'] as const;
    for (let b = 0; b < 2; b++) {
      const point = names.map((n) => state[n].dataSync()[b]!);
      names.forEach((col, j) => {
        const h = Math.max(Math.abs(point[j]!), 1) * 1e-6;
        const up = [...point];
        const down = [...point];
        up[j]! += h;
        down[j]! -= h;
        const fu = f(up[0]!, up[1]!, up[2]!);
        const fd = f(down[0]!, down[1]!, down[2]!);
        names.forEach((row, i) => {
          const fdValue = (fu[i]! - fd[i]!) / (2 * h);
          expect(J[row]![col]!.dataSync()[b]).toBeCloseTo(fdValue, Math.abs(fdValue) > 1 ? 0 : 4);
        });
      });
    }
  });

  it('RK4 (dt 0.1), Dormand-Prince and ROS2 agree; the titer peaks near 2e5 TCID50/ml around day 2 and is cleared by day 8', () => {
    const rk4 = solveOde(viralTcl, { y0, times, method: 'rk4', dt: 0.1 });
    const dp = solveOde(viralTcl, { y0, times, method: 'dopri5', rtol: 1e-6, atol: 1e-4 });
    const ros = solveOde(viralTcl, { y0, times, method: 'ros2', rtol: 1e-3, atol: 1e-2 });
    const log = (s: typeof rk4) => s.states.map((x) => Math.log10(Math.max(x.V.dataSync()[0]!, 1e-6)));
    const [a, b, c] = [log(rk4), log(dp), log(ros)];
    for (let d = 0; d <= 8; d++) {
      expect(Math.abs(a[d]! - b[d]!)).toBeLessThan(0.02);
      expect(Math.abs(c[d]! - b[d]!)).toBeLessThan(0.1);
    }
    const peakDay = b.indexOf(Math.max(...b));
    expect(peakDay).toBeGreaterThanOrEqual(2);
    expect(peakDay).toBeLessThanOrEqual(3);
    expect(Math.max(...b)).toBeGreaterThan(5);
    expect(Math.max(...b)).toBeLessThan(6);
    expect(b[8]!).toBeLessThan(0);
  });

  it('an uninfected host (V = 0) stays at its equilibrium', () => {
    const sys = bindSystem(viralTcl, parameterTensors(viralTcl), {}, [3]);
    const dy = sys.f(tf.scalar(0), { T: tf.fill([3], BACCAM_2006.T0), I: tf.zeros([3]), V: tf.zeros([3]) });
    for (const n of ['T', 'I', 'V']) expect(Array.from(dy[n]!.dataSync()).map((x) => x + 0)).toEqual([0, 0, 0]);
  });
});
