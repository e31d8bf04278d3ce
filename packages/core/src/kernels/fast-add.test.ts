import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerPopulaceKernels } from './register-kernels.js';

tf.env().set('PROD', true);

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerPopulaceKernels('cpu');
});

describe('the cpu Add kernel', () => {
  it.each([
    [[1000], [1000]],
    [[40, 25], [40, 25]],
    [[1000], []],
    [[], [1000]],
    [[1000], [1]],
    [[1], [4, 5]],
    [[], [1]],
    [[3, 1], [1, 4]],
    [[4, 5], [5]],
    [[1, 1, 1], [6]],
  ])('adds %j and %j like a - (-b) (the stock Sub), shape and bits', (sa, sb) => {
    const a = tf.randomNormal(sa, 0, 1, 'float32', 1);
    const b = tf.randomNormal(sb, 0, 1, 'float32', 2);
    const sum = tf.add(a, b);
    const ref = tf.sub(a, tf.neg(b));
    expect(sum.shape).toEqual(ref.shape);
    expect(Array.from(sum.dataSync())).toEqual(Array.from(ref.dataSync()));
  });

  it('leaves other dtypes to the stock kernel', () => {
    expect(Array.from(tf.add(tf.tensor1d([1, 2], 'int32'), tf.tensor1d([3, 4], 'int32')).dataSync())).toEqual([4, 6]);
    expect(tf.add(tf.tensor1d([1, 2], 'int32'), tf.tensor1d([3, 4], 'int32')).dtype).toBe('int32');
    expect(Array.from(tf.add(tf.tensor1d([1.5, 2]), tf.tensor1d([3, 4], 'int32')).dataSync())).toEqual([4.5, 6]);
  });

  it('accumulates gradients as before', () => {
    const x = tf.randomNormal([500], 0, 1, 'float32', 3);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.add(tf.mul(v, 2), tf.mul(v, 3))))(x);
    expect(Array.from(g.dataSync()).every((v) => v === 5)).toBe(true);
  });
});
