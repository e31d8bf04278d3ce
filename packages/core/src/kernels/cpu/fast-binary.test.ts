import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastBinaryTuning } from './fast-binary.js';
import { registerPopulaceKernels } from '../register-kernels.js';
import { setKernelThreads } from '../pool/worker-pool.js';

tf.env().set('PROD', true);

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerPopulaceKernels('cpu');
});
afterAll(() => setKernelThreads(undefined));

/** The broadcast result computed element by element in JS, rounded to float32 (an independent reference). */
function reference(op: (x: number, y: number) => number, a: tf.Tensor, b: tf.Tensor): { shape: number[]; values: number[] } {
  const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const [av, bv] = [a.dataSync(), b.dataSync()];
  const at = (t: tf.Tensor, vals: ArrayLike<number>, idx: number[]) => {
    const offset = t.shape.length - shape.length;
    let flat = 0;
    t.shape.forEach((d, k) => (flat = flat * d + (d === 1 ? 0 : idx[k - offset]!)));
    return vals[flat]!;
  };
  const n = shape.reduce((x, d) => x * d, 1);
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const idx: number[] = [];
    for (let k = shape.length - 1, r = i; k >= 0; k--) {
      idx[k] = r % shape[k]!;
      r = Math.floor(r / shape[k]!);
    }
    values.push(Math.fround(op(at(a, av, idx), at(b, bv, idx))));
  }
  return { shape, values };
}

const SHAPES: [number[], number[]][] = [
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
];

describe.each([
  ['Add', tf.add, (x: number, y: number) => x + y, (x: number, y: number) => x + y],
  ['Multiply', tf.mul, (x: number, y: number) => x * y, (x: number, y: number) => x * y],
  ['Sub', tf.sub, (x: number, y: number) => x - y, (x: number, y: number) => x - y],
  // tf.div of two int32 tensors is a floor division (FloorDiv, not RealDiv)
  ['RealDiv', tf.div, (x: number, y: number) => x / y, (x: number, y: number) => Math.floor(x / y)],
] as const)('the cpu %s kernel', (_name, fn, op, intOp) => {
  it.each(SHAPES)('%j with %j: the reference shape and bits', (sa, sb) => {
    const a = tf.randomNormal(sa, 0, 1, 'float32', 1);
    const b = tf.randomNormal(sb, 0, 1, 'float32', 2);
    const out = fn(a, b);
    const ref = reference(op, a, b);
    expect(out.shape).toEqual(ref.shape);
    expect(Array.from(out.dataSync())).toEqual(ref.values);
  });

  it('on the pool (large calls) gives the bits of one thread, for every form', () => {
    const n = fastBinaryTuning.parallelMin + 12_345;
    const a = tf.randomNormal([n], 0, 1, 'float32', 3);
    const b = tf.randomNormal([n], 0, 1, 'float32', 4);
    const s = tf.scalar(-1.75);
    const forms = () => [fn(a, b), fn(a, s), fn(s, b)].map((t) => Array.from(t.dataSync()));
    setKernelThreads(1);
    const one = forms();
    setKernelThreads(2);
    const two = forms();
    expect(two).toEqual(one);
    const av = a.dataSync();
    const bv = b.dataSync();
    expect(one[0]!.slice(0, 50)).toEqual(Array.from(av.slice(0, 50), (x, i) => Math.fround(op(x, bv[i]!))));
    expect(one[1]!.slice(-50)).toEqual(Array.from(av.slice(-50), (x) => Math.fround(op(x, -1.75))));
  });

  it('leaves other dtypes to the stock kernel', () => {
    const ints = fn(tf.tensor1d([1, 2], 'int32'), tf.tensor1d([3, 4], 'int32'));
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([intOp(1, 3), intOp(2, 4)]);
    expect(Array.from(fn(tf.tensor1d([1.5, 2]), tf.tensor1d([3, 4], 'int32')).dataSync())).toEqual([op(1.5, 3), op(2, 4)]);
  });
});

it('gradients accumulate and multiply as before', () => {
  const x = tf.randomNormal([500], 0, 1, 'float32', 3);
  const g = tf.grad((v: tf.Tensor) => tf.sum(tf.add(tf.mul(v, 2), tf.mul(v, 3))))(x);
  expect(Array.from(g.dataSync()).every((v) => v === 5)).toBe(true);
  const h = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(v, v)))(x);
  expect(Array.from(h.dataSync())).toEqual(Array.from(x.dataSync(), (v) => Math.fround(2 * v)));
});

it('replaces the four stock kernels (under tfjs\'s names, Add, Sub, Multiply and RealDiv)', async () => {
  const profile = await tf.profile(() => tf.div(tf.sub(tf.mul(tf.add(tf.ones([4]), 1), tf.ones([4])), 0.5), 3));
  expect(profile.kernelNames).toEqual(expect.arrayContaining(['Add', 'Sub', 'Multiply', 'RealDiv']));
  for (const name of ['Add', 'Sub', 'Multiply', 'RealDiv']) expect(tf.getKernel(name, 'cpu')!.kernelFunc.name, name).toBe('kernelFunc');
});
