import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerPopulaceKernels } from '../register-kernels.js';

tf.env().set('PROD', true);

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerPopulaceKernels('cpu');
});

/** d/dx of sum(sum(x, axis, keepDims) * w): w broadcast back over the reduced axes, computed by hand. */
function expected(x: tf.Tensor, axis: number[] | undefined, w: tf.Tensor): number[] {
  const shape = x.shape;
  const all = axis === undefined ? shape.map((_, i) => i) : axis.map((a) => (a < 0 ? a + shape.length : a));
  const wv = w.dataSync();
  const keptShape = shape.filter((_, i) => !all.includes(i));
  const strides = keptShape.map((_, i) => keptShape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out: number[] = [];
  for (let flat = 0; flat < x.size; flat++) {
    let rest = flat;
    const loc = shape.map((_, i) => {
      const below = shape.slice(i + 1).reduce((a, b) => a * b, 1);
      const v = Math.floor(rest / below);
      rest -= v * below;
      return v;
    });
    const kept = loc.filter((_, i) => !all.includes(i));
    out.push(wv[kept.reduce((acc, v, i) => acc + v * strides[i]!, 0)]!);
  }
  return out;
}

describe('the Sum gradient', () => {
  it.each([
    { shape: [7], axis: undefined, keepDims: false },
    { shape: [7], axis: [0], keepDims: true },
    { shape: [3, 4], axis: undefined, keepDims: false },
    { shape: [3, 4], axis: [0, 1], keepDims: true },
    { shape: [3, 4], axis: [-1, 0], keepDims: false },
    { shape: [3, 4], axis: [1], keepDims: false },
    { shape: [2, 3, 4], axis: [0, 2], keepDims: true },
    { shape: [], axis: undefined, keepDims: false },
  ])('is the reduced-axes broadcast of dy: shape $shape, axis $axis, keepDims $keepDims', ({ shape, axis, keepDims }) => {
    const x = tf.randomNormal(shape, 0, 1, 'float32', 5);
    const reducedShape = tf.sum(x, axis, keepDims).shape;
    const w = tf.randomNormal(reducedShape, 0, 1, 'float32', 6);
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.sum(a, axis, keepDims), w)))(x);
    expect(g.shape).toEqual(shape);
    const want = expected(x, axis, tf.reshape(w, [w.size]));
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
  });

  it('no longer goes through the broadcasting multiply for full reductions', async () => {
    const x = tf.ones([50_000]);
    const info = await tf.profile(() => tf.grad((a: tf.Tensor) => tf.sum(a))(x));
    expect(info.kernels.some((k) => k.name === 'Multiply')).toBe(false);
    expect(Array.from(tf.grad((a: tf.Tensor) => tf.mul(tf.sum(a), 3))(x).dataSync()).every((v) => v === 3)).toBe(true);
  });
});
