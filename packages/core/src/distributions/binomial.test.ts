import { describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { binomial, binomialQuantile, normalQuantile } from './binomial.js';

tf.env().set('PROD', true);

describe('binomial', () => {
  it('inverts the exact CDF: P(X <= k) brackets u', () => {
    const n = 12;
    const p = 0.3;
    const cdf: number[] = [];
    let acc = 0;
    for (let k = 0; k <= n; k++) {
      let c = 1;
      for (let j = 0; j < k; j++) c = (c * (n - j)) / (j + 1);
      acc += c * p ** k * (1 - p) ** (n - k);
      cdf.push(acc);
    }
    for (const u of [0.001, 0.1, 0.37, 0.5, 0.9, 0.999]) {
      const k = binomialQuantile(n, p, u);
      expect(cdf[k]!).toBeGreaterThanOrEqual(u - 1e-12);
      if (k > 0) expect(cdf[k - 1]!).toBeLessThan(u);
    }
    expect(binomialQuantile(10, 0, 0.9)).toBe(0);
    expect(binomialQuantile(10, 1, 0.1)).toBe(10);
    expect(binomialQuantile(0, 0.5, 0.5)).toBe(0);
  });

  it('normalQuantile is the inverse of the normal CDF', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 8);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });

  for (const [n, p] of [[20, 0.15], [5000, 0.4]] as const) {
    it(`has mean n p and variance n p (1 - p) (n = ${n}, p = ${p}${n * p > 200 ? ', normal approximation' : ''})`, () => {
      const M = 100_000;
      const u = tf.randomUniform([M], 1e-7, 1 - 1e-7, 'float32', 5);
      const x = Array.from(binomial(n, p, u).dataSync());
      const mean = x.reduce((a, b) => a + b, 0) / M;
      const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / M;
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(mean - n * p)).toBeLessThan((4 * sd) / Math.sqrt(M));
      expect(Math.abs(variance / (sd * sd) - 1)).toBeLessThan(0.03);
      u.dispose();
    });
  }

  it('straight-through gradient dE[X]/dp = n matches finite differences of the expected value within 3%', () => {
    const M = 100_000;
    const n = tf.fill([M], 8);
    const u = tf.randomUniform([M], 1e-7, 1 - 1e-7, 'float32', 6);
    const expected = (p: number) => tf.tidy(() => tf.mean(binomial(n, p, u)).dataSync()[0]!);
    const h = 0.02;
    const fd = (expected(0.35 + h) - expected(0.35 - h)) / (2 * h);
    const grad = tf.tidy(() => tf.grad((p: tf.Tensor) => tf.mean(binomial(n, p, u)))(tf.scalar(0.35)).dataSync()[0]!);
    expect(Math.abs(fd - 8) / 8).toBeLessThan(0.03);
    expect(Math.abs(grad - fd) / fd).toBeLessThan(0.03);
    tf.dispose([n, u]);
  });

  it('rejects counts that are not non-negative integers', () => {
    const u = tf.fill([2], 0.5);
    expect(() => binomial(tf.tensor1d([3, -1]), 0.5, u)).toThrow(/non-negative integers, received -1 at index 1/);
    expect(() => binomial(2.5, 0.5, u)).toThrow(/non-negative integers/);
    u.dispose();
  });
});
