/**
 * A linear-time `UnsortedSegmentSum` for the cpu backend. tfjs's stock cpu
 * kernel builds one equality mask per segment (O(segments x elements): about
 * 10^13 operations for a 1M-agent, 10M-edge scatter), while the portable
 * kernels (../portable/) and the stock-op references scatter with it on every
 * call. This one adds each row of `x` into its segment's float64 accumulator,
 * in element order, and rounds once (the stock kernel also accumulates in
 * double precision); ids outside [0, numSegments) are dropped, as the stock
 * kernel drops them. Other cases (complex, rank > 1 segment ids) go to the
 * stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

const NAME = 'UnsortedSegmentSum';

/** `out[s] = sum of x[e] (rows) with ids[e] = s`, float64 accumulators; `row` elements per id. */
export function segmentSum(x: ArrayLike<number>, ids: ArrayLike<number>, segments: number, row: number): Float64Array {
  const acc = new Float64Array(segments * row);
  const e = ids.length;
  if (row === 1) {
    for (let i = 0; i < e; i++) {
      const s = ids[i]!;
      if (s >= 0 && s < segments) acc[s] += x[i]!;
    }
    return acc;
  }
  for (let i = 0; i < e; i++) {
    const s = ids[i]!;
    if (s < 0 || s >= segments) continue;
    for (let k = 0, o = s * row, j = i * row; k < row; k++) acc[o + k] += x[j + k]!;
  }
  return acc;
}

let installed = false;

/** Replaces the cpu backend's `UnsortedSegmentSum` with the linear-time one (delegating odd cases to the stock one). Idempotent. */
export function installFastSegmentSum(): void {
  if (installed) return;
  const stock = tf.getKernel(NAME, 'cpu');
  if (stock == null) return;
  installed = true;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
    const { numSegments } = args.attrs as unknown as { numSegments: number };
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || segmentIds.shape.length !== 1 || x.shape[0] !== segmentIds.shape[0]) return stock.kernelFunc(args);
    const cpu = args.backend as MathBackendCPU;
    const values = cpu.data.get(x.dataId)!.values as Float32Array | Int32Array;
    const ids = cpu.data.get(segmentIds.dataId)!.values as Int32Array;
    const row = tf.util.sizeFromShape(x.shape.slice(1));
    // the stock kernel returns float32 whatever x's dtype (it multiplies x by a float32 mask)
    return cpu.makeTensorInfo([numSegments, ...x.shape.slice(1)], 'float32', Float32Array.from(segmentSum(values, ids, numSegments, row)));
  };
  tf.unregisterKernel(NAME, 'cpu');
  tf.registerKernel({ kernelName: NAME, backendName: 'cpu', kernelFunc });
}
