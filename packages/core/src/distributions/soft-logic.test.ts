import { describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { and, greaterThan, lessThan, not, or, select, softMax, softMin } from './soft-logic.js';

tf.env().set('PROD', true);
const M = 200_000;

/** Logistic(0, tau) noise from uniforms. */
const logistic = (u: tf.Tensor, tau: number) => tf.mul(tau, tf.log(tf.div(u, tf.sub(1, u))));

describe('soft logic', () => {
  it('is exact on 0/1 inputs', () => {
    const a = tf.tensor1d([0, 0, 1, 1]);
    const b = tf.tensor1d([0, 1, 0, 1]);
    expect(Array.from(and(a, b).dataSync())).toEqual([0, 0, 0, 1]);
    expect(Array.from(or(a, b).dataSync())).toEqual([0, 1, 1, 1]);
    expect(Array.from(not(a).dataSync())).toEqual([1, 1, 0, 0]);
    expect(Array.from(select(a, 5, 7).dataSync())).toEqual([7, 7, 5, 5]);
    expect(Array.from(greaterThan(tf.tensor1d([1, 2, 3]), 2).dataSync())).toEqual([0, 0, 1]);
    expect(Array.from(lessThan(tf.tensor1d([1, 2, 3]), 2).dataSync())).toEqual([1, 0, 0]);
    expect(Array.from(softMax(tf.tensor1d([1, 5]), tf.tensor1d([3, 2])).dataSync())).toEqual([3, 5]);
    expect(Array.from(softMin(tf.tensor1d([1, 5]), tf.tensor1d([3, 2])).dataSync())).toEqual([1, 2]);
  });

  it('greaterThan: gradient equals the derivative of E[1[x + noise > t]] under logistic noise (finite differences, 3%)', () => {
    const tau = 0.5;
    const noise = logistic(tf.randomUniform([M], 1e-7, 1 - 1e-7, 'float32', 9), tau);
    const expected = (x: number) => tf.tidy(() => tf.mean(tf.cast(tf.greater(tf.add(noise, x), 1), 'float32')).dataSync()[0]!);
    for (const x of [0.2, 0.9, 1.4]) {
      const h = 0.05;
      const fd = (expected(x + h) - expected(x - h)) / (2 * h);
      const g = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(greaterThan(v, 1, { temperature: tau })))(tf.scalar(x)).dataSync()[0]!);
      expect(Math.abs(g - fd)).toBeLessThan(0.03 * Math.abs(fd) + 0.01);
    }
    noise.dispose();
  });

  it('softMax/softMin: gradients equal the derivatives of E[max/min(a + noise, b)] (finite differences, 3%)', () => {
    const tau = 0.4;
    const noise = logistic(tf.randomUniform([M], 1e-7, 1 - 1e-7, 'float32', 10), tau);
    const b = 1;
    for (const [op, name] of [[tf.maximum, 'max'], [tf.minimum, 'min']] as const) {
      const expected = (a: number) => tf.tidy(() => tf.mean(op(tf.add(noise, a), b)).dataSync()[0]!);
      const a = 0.8;
      const h = 0.02;
      const fd = (expected(a + h) - expected(a - h)) / (2 * h);
      const soft = name === 'max' ? softMax : softMin;
      const [ga, gb] = tf.tidy(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => soft(x, y, { temperature: tau }))([tf.scalar(a), tf.scalar(b)]).map((t) => t.dataSync()[0]!));
      expect(Math.abs(ga! - fd)).toBeLessThan(0.03 * fd + 0.01);
      expect(ga! + gb!).toBeCloseTo(1, 6);
    }
    noise.dispose();
  });

  it('and/or/not/select have the gradients of their relaxations (finite differences)', () => {
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.add(or(and(a, b), not(c)), select(c, a, b)));
    const args = [tf.tensor1d([0.3, 0.7]), tf.tensor1d([0.6, 0.2]), tf.tensor1d([0.4, 0.9])];
    const analytic = tf.grads(f)(args).map((g) => Array.from(g.dataSync()));
    const h = 1e-3;
    args.forEach((arg, i) => {
      for (let k = 0; k < 2; k++) {
        const shift = (d: number) => args.map((t, j) => (j === i ? tf.add(t, tf.oneHot([k], 2).reshape([2]).mul(d)) : t));
        const fd = (f(...(shift(h) as [tf.Tensor, tf.Tensor, tf.Tensor])).dataSync()[0]! - f(...(shift(-h) as [tf.Tensor, tf.Tensor, tf.Tensor])).dataSync()[0]!) / (2 * h);
        expect(analytic[i]![k]).toBeCloseTo(fd, 2);
      }
    });
  });

  it('rejects bad temperatures', () => {
    expect(() => greaterThan(tf.scalar(1), 0, { temperature: -1 })).toThrow(/temperature expected a positive number/);
    expect(() => softMax(tf.scalar(1), tf.scalar(2), { temperature: Number.NaN })).toThrow(/temperature/);
  });
});
