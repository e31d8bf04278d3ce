import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../tf.js';
import { installFastSegmentSum } from './fast-segment-sum.js';
import { mulberry32 } from '../ops/gather-reduce.fixture.js';

tf.env().set('PROD', true);
const STOCK = 'segment-sum-stock'; // a cpu backend keeping tfjs's own kernel

beforeAll(async () => {
  tf.registerBackend(STOCK, () => new MathBackendCPU());
  tf.copyRegisteredKernels('cpu', STOCK);
  installFastSegmentSum();
  await tf.setBackend('cpu');
});
afterAll(() => tf.removeBackend(STOCK));

async function segmentSumOn(backend: string, x: Float32Array | Int32Array, shape: number[], ids: Int32Array, segments: number): Promise<{ values: number[]; dtype: string; shape: number[] }> {
  await tf.setBackend(backend);
  const out = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor(x, shape, x instanceof Int32Array ? 'int32' : 'float32'), tf.tensor1d(ids, 'int32'), segments));
  const result = { values: Array.from(out.dataSync()), dtype: out.dtype, shape: out.shape };
  out.dispose();
  return result;
}

describe('fast UnsortedSegmentSum on cpu', () => {
  it('gives the stock kernel\'s values, dtype and shape (rows, ids out of range, int32 data)', async () => {
    const rng = mulberry32(5);
    for (const [e, row, segments] of [[500, 1, 37], [300, 3, 20], [0, 1, 4]] as const) {
      const x = Float32Array.from({ length: e * row }, () => rng() * 2 - 1);
      const ids = Int32Array.from({ length: e }, () => Math.floor(rng() * (segments + 4)) - 2);
      const shape = row === 1 ? [e] : [e, row];
      const stock = await segmentSumOn(STOCK, x, shape, ids, segments);
      const fast = await segmentSumOn('cpu', x, shape, ids, segments);
      expect(fast.shape).toEqual(stock.shape);
      expect(fast.dtype).toBe(stock.dtype);
      fast.values.forEach((v, i) => expect(v).toBeCloseTo(stock.values[i]!, 5));
    }
    const ints = Int32Array.from({ length: 100 }, (_, i) => i % 7);
    const ids = Int32Array.from({ length: 100 }, (_, i) => i % 9);
    expect(await segmentSumOn('cpu', ints, [100], ids, 9)).toEqual(await segmentSumOn(STOCK, ints, [100], ids, 9));
  });
});
