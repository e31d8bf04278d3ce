/**
 * The slow, stock-op reference of gather-reduce: what the fast kernels are
 * tested against, and the fallback on backends without them.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CsrTensors } from './gather-reduce.js';

/**
 * `out[i] = sum_{e in [rowPtr[i], rowPtr[i+1])} w[e] * values[colIdx[e]]`
 * from stock tfjs ops only (`gather`, `mul`, `searchSorted`,
 * `unsortedSegmentSum`), so tfjs differentiates it itself. Needs
 * `UnsortedSegmentSum` (cpu, webgl, tensorflow; not wasm). Its gradient is
 * slow (the gradient of `gather` is `UnsortedSegmentSum`); use
 * `gatherReduce`, which picks the fast kernel when one is registered.
 * Inputs are not validated.
 *
 * @example
 * ```ts
 * const out = gatherReduceReference(tf.tensor1d([1, 2]), {
 *   rowPtr: tf.tensor1d([0, 1, 2], 'int32'),
 *   colIdx: tf.tensor1d([1, 0], 'int32'),
 * }); // [2, 1]
 * ```
 */
export function gatherReduceReference(values: tf.Tensor, graph: CsrTensors): tf.Tensor {
  return tf.tidy(() => {
    const { rowPtr, colIdx, weights } = graph;
    const n = rowPtr.size - 1;
    const e = colIdx.size;
    // No agents: tfjs's UnsortedSegmentSum (also the gradient of gather) crashes on
    // 0 segments. An empty result that stays on the tape for values and weights:
    if (n === 0) return tf.mul(values, weights === undefined ? 0 : tf.sum(weights));
    // Edge e belongs to row i with rowPtr[i] <= e < rowPtr[i+1]: the number of
    // rowPtr[1..N] entries <= e (an upper bound search on the sorted rowPtr).
    const rowIds: tf.Tensor1D =
      e === 0
        ? tf.zeros([0], 'int32')
        : tf.reshape(tf.upperBound(tf.slice(rowPtr, 1, n), tf.range(0, e, 1, 'int32')), [e]);
    let messages = tf.gather(values, colIdx);
    if (weights !== undefined) {
      messages = tf.mul(messages, values.rank === 2 ? tf.expandDims(weights, 1) : weights);
    }
    return tf.unsortedSegmentSum(messages, rowIds, n);
  });
}
