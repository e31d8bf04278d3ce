import { describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { bernoulli } from './bernoulli.js';

tf.env().set('PROD', true);
const M = 100_000; // samples per probability
const probs = [0.05, 0.3, 0.5, 0.8, 0.97];
const weights = [1.5, -2, 0.5, 3, -1];

/** Uniforms [M, K] from tfjs's seeded generator (independent of the counter-based one under test elsewhere). */
const uniforms = (seed: number) => tf.randomUniform([M, probs.length], 1e-7, 1 - 1e-7, 'float32', seed);

/** Mean over samples of f(x) = sum_k w_k x_k, at probabilities p (common random numbers). */
function expectedLinear(p: number[], u: tf.Tensor): number {
  return tf.tidy(() => tf.sum(tf.mul(bernoulli(tf.tensor1d(p), u), tf.tensor1d(weights))).dataSync()[0]! / M);
}

function surrogate(mode: 'straight-through' | 'jump-weighted', u: tf.Tensor, objective: (x: tf.Tensor) => tf.Tensor): number[] {
  return tf.tidy(() => Array.from(tf.grad((p: tf.Tensor) => tf.div(objective(bernoulli(p, u, { gradient: mode })), M))(tf.tensor1d(probs)).dataSync()));
}

describe('bernoulli', () => {
  it('samples with the right frequencies and gives float 0/1', () => {
    const u = uniforms(1);
    const x = bernoulli(tf.tensor1d(probs), u);
    const means = tf.mean(x, 0).dataSync();
    probs.forEach((p, k) => expect(Math.abs(means[k]! - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / M)));
    expect(new Set(x.dataSync())).toEqual(new Set([0, 1]));
    tf.dispose([u, x]);
  });

  for (const mode of ['straight-through', 'jump-weighted'] as const) {
    it(`${mode}: gradient of a linear objective matches finite differences of its expected value within 3%`, () => {
      const u = uniforms(2);
      const fd = probs.map((pk, k) => {
        // the objective is linear, so any h inside (0, 1) is unbiased; larger h, less Monte Carlo noise
        const h = Math.min(0.04, pk / 2, (1 - pk) / 2);
        const up = probs.map((p, j) => (j === k ? p + h : p));
        const down = probs.map((p, j) => (j === k ? p - h : p));
        return (expectedLinear(up, u) - expectedLinear(down, u)) / (2 * h);
      });
      const grad = surrogate(mode, u, (x) => tf.sum(tf.mul(x, tf.tensor1d(weights))));
      fd.forEach((d, k) => {
        expect(Math.abs(d - weights[k]!)).toBeLessThan(0.03 * Math.abs(weights[k]!) + 0.02); // FD itself is right
        expect(Math.abs(grad[k]! - d)).toBeLessThan(0.03 * Math.abs(d) + 0.02);
      });
      u.dispose();
    });
  }

  it('broadcasts a scalar probability and returns its gradient summed over agents', () => {
    const u = tf.randomUniform([50_000], 1e-7, 1 - 1e-7, 'float32', 3);
    const g = tf.grad((p: tf.Tensor) => tf.mean(bernoulli(p, u)))(tf.scalar(0.25));
    expect(g.shape).toEqual([]);
    expect(g.dataSync()[0]).toBeCloseTo(1, 2);
    tf.dispose([u, g]);
  });

  it('leaks no tensors and rejects bad input', () => {
    const u = tf.randomUniform([100], 0, 1, 'float32', 4);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grad((p: tf.Tensor) => tf.sum(bernoulli(p, u, { gradient: 'jump-weighted' })))(tf.fill([100], 0.5));
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(() => bernoulli(0.5, tf.zeros([3], 'int32'))).toThrow(/float32 uniforms/);
    expect(() => bernoulli(0.5, u, { gradient: 'reinforce' as never })).toThrow(/'straight-through' or 'jump-weighted'/);
    u.dispose();
  });
});
