import { describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { categorical } from './categorical.js';

tf.env().set('PROD', true);
const M = 100_000;
const logits = [0.5, -0.2, 0.1];
const values = [1, -0.5, 2];

describe('categorical (Gumbel-softmax)', () => {
  it('draws exact samples of softmax(logits), one-hot', () => {
    const u = tf.randomUniform([M, 3], 1e-7, 1 - 1e-7, 'float32', 7);
    const x = categorical(tf.tile(tf.tensor2d([logits]), [M, 1]), u);
    const freq = tf.mean(x, 0).dataSync();
    const p = tf.softmax(tf.tensor1d(logits)).dataSync();
    p.forEach((pk, k) => expect(Math.abs(freq[k]! - pk)).toBeLessThan(4 * Math.sqrt((pk * (1 - pk)) / M)));
    expect(Array.from(tf.sum(x, 1).dataSync()).every((s) => s === 1)).toBe(true);
    tf.dispose([u, x]);
  });

  // The straight-through Gumbel-softmax gradient is biased; at temperature 0.3 the bias measured
  // here is ~4% of the gradient's norm, so the stated tolerance is 10% of the norm.
  it('gradient of E[sum c * onehot] matches finite differences of the expected value within 10% (temperature 0.3)', () => {
    const u = tf.randomUniform([M, 3], 1e-7, 1 - 1e-7, 'float32', 8);
    const c = tf.tensor1d(values);
    const expected = (l: number[]) => tf.tidy(() => tf.sum(tf.mul(categorical(tf.tile(tf.tensor2d([l]), [M, 1]), u), c)).dataSync()[0]! / M);
    const h = 0.1;
    const fd = logits.map((_, k) => (expected(logits.map((v, j) => (j === k ? v + h : v))) - expected(logits.map((v, j) => (j === k ? v - h : v)))) / (2 * h));
    const grad = tf.tidy(() => Array.from(tf.sum(tf.grad((l: tf.Tensor) => tf.div(tf.sum(tf.mul(categorical(l, u, { temperature: 0.3 }), c)), M))(tf.tile(tf.tensor2d([logits]), [M, 1])), 0).dataSync()));
    // the exact gradient: p_k (c_k - E[c])
    const p = Array.from(tf.softmax(tf.tensor1d(logits)).dataSync());
    const mean = p.reduce((a, pk, k) => a + pk * values[k]!, 0);
    const exact = p.map((pk, k) => pk * (values[k]! - mean));
    const norm = (v: number[]) => Math.sqrt(v.reduce((a, b) => a + b * b, 0));
    expect(norm(fd.map((d, k) => d - exact[k]!)) / norm(exact)).toBeLessThan(0.05); // the FD reference is sound
    expect(norm(grad.map((g, k) => g - fd[k]!)) / norm(fd)).toBeLessThan(0.1);
    tf.dispose([u, c]);
  });

  it('rejects bad temperatures and mismatched uniforms', () => {
    const l = tf.zeros([2, 3]);
    expect(() => categorical(l, tf.zeros([2, 3]), { temperature: 0 })).toThrow(/temperature expected a positive number/);
    expect(() => categorical(l, tf.zeros([2, 2]))).toThrow(/uniforms of the logits' shape \[2, 3\]/);
    l.dispose();
  });
});
