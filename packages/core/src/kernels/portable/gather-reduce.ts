/**
 * Gather-reduce (CSR message passing) and its two backward kernels from stock
 * ops: the row of every edge comes from a scatter of row starts and a cumsum,
 * then `gather` + `unsortedSegmentSum`. O(E) memory per call for the
 * per-edge messages (the cpu kernels stream them); sums are float32 in
 * tfjs's order, so values match the cpu kernels (float64 accumulation) within
 * float32 rounding.
 */
import * as tf from '@tensorflow/tfjs-core';
import { GATHER_REDUCE, GATHER_REDUCE_GRAD_VALUES, GATHER_REDUCE_GRAD_WEIGHTS, GATHER_REDUCE_UNWEIGHTED } from '../kernel-names.js';
import { portableKernel, type PortableInputs } from './portable-kernel.js';

/** The row of each edge: `rowOf[e] = i` for `rowPtr[i] <= e < rowPtr[i + 1]` (int32 [E]). */
export function edgeRows(rowPtr: tf.Tensor, edges: number): tf.Tensor {
  const n = rowPtr.size - 1;
  if (n <= 1 || edges === 0) return tf.zeros([edges], 'int32');
  // A 1 at the first edge of every row after the first (empty rows stack up), then a running sum.
  const starts = tf.slice(rowPtr, [1], [n - 1]);
  const marks = tf.unsortedSegmentSum(tf.ones([n - 1], 'int32'), starts as tf.Tensor1D, edges + 1);
  // (the cpu backend's UnsortedSegmentSum returns float32 for int32 data: cast back before the running sum)
  return tf.cumsum(tf.cast(tf.slice(marks, [0], [edges]), 'int32'));
}

/** Broadcasts per-edge weights [E] over the features of [E, F] messages. */
const perEdge = (w: tf.Tensor, rank: number): tf.Tensor => (rank === 2 ? tf.expandDims(w, 1) : w);

function forward(inputs: PortableInputs): tf.Tensor {
  const { values, rowPtr, colIdx, weights } = inputs as Record<string, tf.Tensor> & { weights?: tf.Tensor };
  const n = rowPtr.size - 1;
  const e = colIdx.size;
  if (e === 0) return tf.zeros(values.shape, 'float32');
  let messages = tf.gather(values, colIdx);
  if (weights !== undefined) messages = tf.mul(messages, perEdge(weights, values.rank));
  return tf.unsortedSegmentSum(messages, edgeRows(rowPtr, e) as tf.Tensor1D, n);
}

/** d values: `dValues[colIdx[e]] += weights[e] * dy[row(e)]`. */
function gradValues(inputs: PortableInputs): tf.Tensor {
  const { dy, rowPtr, colIdx, weights } = inputs as Record<string, tf.Tensor> & { weights?: tf.Tensor };
  const e = colIdx.size;
  if (e === 0) return tf.zeros(dy.shape, 'float32');
  let messages = tf.gather(dy, edgeRows(rowPtr, e));
  if (weights !== undefined) messages = tf.mul(messages, perEdge(weights, dy.rank));
  return tf.unsortedSegmentSum(messages, colIdx as tf.Tensor1D, dy.shape[0]!);
}

/** d weights: `dWeights[e] = sum_f dy[row(e), f] * values[colIdx[e], f]`. */
function gradWeights(inputs: PortableInputs): tf.Tensor {
  const { dy, values, rowPtr, colIdx } = inputs as Record<string, tf.Tensor>;
  const e = colIdx.size;
  if (e === 0) return tf.zeros([0], 'float32');
  const product = tf.mul(tf.gather(dy, edgeRows(rowPtr, e)), tf.gather(values, colIdx));
  return product.rank === 2 ? tf.sum(product, 1) : product;
}

/** The portable gather-reduce kernels. */
export function portableGatherReduceKernels(): Record<string, tf.KernelFunc> {
  const fwd = portableKernel(forward);
  return {
    [GATHER_REDUCE]: fwd,
    [GATHER_REDUCE_UNWEIGHTED]: fwd,
    [GATHER_REDUCE_GRAD_VALUES]: portableKernel(gradValues),
    [GATHER_REDUCE_GRAD_WEIGHTS]: portableKernel(gradWeights),
  };
}
