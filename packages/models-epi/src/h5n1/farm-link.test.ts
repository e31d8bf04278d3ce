import { tf } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { gatherFarms } from './farm-link.js';

describe('gatherFarms', () => {
  const farm = [2, 0, 2, 1, 2, 0];
  const values = [0.5, -1, 3];

  it('gathers each person\'s farm value', () => {
    const out = gatherFarms(tf.tensor1d(values), tf.tensor1d(farm, 'int32'));
    expect(Array.from(out.dataSync())).toEqual(farm.map((f) => values[f]!));
  });

  it('its gradient is the per-farm sum of the people\'s cotangents (against the gradient of a one-hot product)', () => {
    const weights = tf.tensor1d([1, 2, 3, 4, 5, 6]);
    const index = tf.tensor1d(farm, 'int32');
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(gatherFarms(v, index), weights)))(tf.tensor1d(values));
    const expected = [0, 0, 0];
    farm.forEach((f, p) => (expected[f]! += p + 1));
    expect(Array.from(g.dataSync())).toEqual(expected);
    // an independent route: people x farms one-hot matrix times the values
    const oneHot = tf.oneHot(index, 3).toFloat();
    const ref = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.reshape(tf.matMul(oneHot, tf.reshape(v, [-1, 1])), [-1]), weights)))(tf.tensor1d(values));
    expect(Array.from(g.dataSync())).toEqual(Array.from(ref.dataSync()));
    tf.dispose([weights, index, g, oneHot, ref]);
  });

  it('rejects wrong dtypes and ranks with what it expected', () => {
    expect(() => gatherFarms(tf.tensor1d([1], 'int32'), tf.tensor1d([0], 'int32'))).toThrow(/expected float32 values \[F\] and int32 farm indices \[P\], received int32 \[1\]/);
    expect(() => gatherFarms(tf.tensor1d([1]), tf.tensor1d([0]))).toThrow(/received float32 \[1\] and float32 \[1\]/);
  });
});
