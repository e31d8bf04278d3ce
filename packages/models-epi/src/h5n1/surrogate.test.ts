import { tf } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { zeroWithGradient } from './surrogate.js';

describe('zeroWithGradient', () => {
  it('is zero in value and has the given weights as its derivative, even after the weights are freed', () => {
    const x = tf.tensor1d([1, 0, 1, 0]);
    const weight = tf.tensor1d([0.5, 2, 0, -1]);
    expect(Array.from(zeroWithGradient(x, weight).dataSync())).toEqual([0, 0, 0, 0]);
    const g = tf.grad((v: tf.Tensor) => {
      const w = tf.mul(weight, 1); // a weight made inside the taped function, freed before the backward pass
      return tf.sum(tf.mul(tf.add(v, zeroWithGradient(v, w)), tf.tensor1d([1, 1, 1, 3])));
    })(x);
    expect(Array.from(g.dataSync())).toEqual([1.5, 3, 1, 0]);
    tf.dispose([x, weight, g]);
  });
});
