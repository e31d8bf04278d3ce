import { createRuntime, tf } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { beforeAll, describe, expect, it } from 'vitest';
import { weightedSum } from './weighted-sum.js';

beforeAll(async () => {
  await createRuntime({ plugins: [examplePlugin], backend: 'cpu' }).ready();
});

describe('weightedSum', () => {
  it('equals the stock-op sum and has the same gradients for the tensors and the scalar weights', () => {
    const xs = [1, 2, 3].map((s) => tf.randomNormal([200], 0, 1, 'float32', s));
    const ws = [tf.scalar(0.7), tf.scalar(-1.3), tf.scalar(2.25)];
    const probe = tf.randomNormal([200], 0, 1, 'float32', 9);
    const f = (fused: boolean) => (...args: tf.Tensor[]) => {
      const [x, w] = [args.slice(0, 3), args.slice(3)];
      const y = fused ? weightedSum(x, w) : tf.addN(x.map((t, k) => tf.mul(t, w[k]!)));
      return tf.sum(tf.mul(y, probe));
    };
    const values = [weightedSum(xs, ws), tf.addN(xs.map((t, k) => tf.mul(t, ws[k]!)))].map((t) => Array.from(t.dataSync()));
    values[0]!.forEach((v, i) => expect(v).toBeCloseTo(values[1]![i]!, 4));
    const [fused, stock] = [tf.grads(f(true))([...xs, ...ws]), tf.grads(f(false))([...xs, ...ws])];
    fused.forEach((g, k) => {
      expect(g.shape).toEqual(stock[k]!.shape);
      const [a, b] = [g.dataSync(), stock[k]!.dataSync()];
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 3));
    });
  });

  it('takes plain numbers as weights and rejects mismatched or non-scalar weights', () => {
    const x = tf.tensor1d([1, 2]);
    expect(Array.from(weightedSum([x, x], [2, 0.5]).dataSync())).toEqual([2.5, 5]);
    expect(() => weightedSum([x], [1, 2])).toThrow(/as many weights as tensors/);
    expect(() => weightedSum([x], [tf.tensor1d([1, 2])])).toThrow(/scalar weights/);
  });
});
