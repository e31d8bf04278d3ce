import { tf } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { receivedHazard } from './received-hazard.js';

describe('receivedHazard', () => {
  it('adds the hazards forward; backward, d(1 - exp(-received))/d(today) is that of a daily draw, exp(-today), finite however large the hazard before', () => {
    const before = tf.tensor1d([0, 2, 100]);
    const today = tf.tensor1d([0.5, 0.3, 0.4]);
    expect(Array.from(receivedHazard(before, today).dataSync())).toEqual(Array.from(tf.add(before, today).dataSync()));
    // the third agent is masked (already infected): its gradient is 0, not NaN
    const mask = tf.tensor1d([1, 1, 0]);
    const g = tf.grad((h: tf.Tensor) => tf.sum(tf.mul(mask, tf.sub(1, tf.exp(tf.neg(receivedHazard(before, h)))))))(today);
    const values = Array.from(g.dataSync());
    expect(values[0]).toBeCloseTo(Math.exp(-0.5), 6);
    expect(values[1]).toBeCloseTo(Math.exp(-0.3), 6);
    expect(values[2]).toBe(0);
    // no gradient reaches the hazard of earlier days
    const gb = tf.grad((b: tf.Tensor) => tf.sum(receivedHazard(b, today)))(before);
    expect(Array.from(gb.dataSync())).toEqual([0, 0, 0]);
  });

  it('a scalar hazard of the day gets the sum over agents', () => {
    const g = tf.grad((h: tf.Tensor) => tf.sum(receivedHazard(tf.tensor1d([0, 1]), h)))(tf.scalar(0.2));
    expect(g.dataSync()[0]).toBeCloseTo(1 + Math.E, 5);
  });
});
