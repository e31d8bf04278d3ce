/**
 * The gradient of gather-reduce, shared by every backend: it is written in
 * terms of the backward kernels (d values, d weights) that each kernel set
 * implements.
 */
import * as tf from '@tensorflow/tfjs-core';
import { GATHER_REDUCE, GATHER_REDUCE_GRAD_VALUES, GATHER_REDUCE_GRAD_WEIGHTS, GATHER_REDUCE_UNWEIGHTED } from '../kernel-names.js';

/**
 * Saved tensors are `[values, rowPtr, colIdx, weights?]`. The integer graph
 * inputs get float32 zeros: tfjs checks that every gradient it computes is
 * float32, and asks for them only when an int input lies on the path from `x`.
 */
const gradFunc: tf.GradFunc = (dy, saved) => {
  const [values, rowPtr, colIdx, weights] = saved;
  const g = dy as tf.Tensor;
  const grads: ReturnType<tf.GradFunc> = {
    values: () => {
      const ins: tf.NamedTensorMap = weights === undefined ? { dy: g, rowPtr, colIdx } : { dy: g, rowPtr, colIdx, weights };
      return tf.engine().runKernel<tf.Tensor>(GATHER_REDUCE_GRAD_VALUES, ins, {});
    },
    rowPtr: () => tf.zeros(rowPtr.shape, 'float32'),
    colIdx: () => tf.zeros(colIdx.shape, 'float32'),
  };
  if (weights !== undefined) {
    grads.weights = () =>
      tf.engine().runKernel<tf.Tensor>(GATHER_REDUCE_GRAD_WEIGHTS, { dy: g, values, rowPtr, colIdx }, {});
  }
  return grads;
};

/** Gradients of the gather-reduce kernels. */
export const GATHER_REDUCE_GRADIENTS: tf.GradConfig[] = [
  { kernelName: GATHER_REDUCE, inputsToSave: ['values', 'rowPtr', 'colIdx', 'weights'], gradFunc },
  { kernelName: GATHER_REDUCE_UNWEIGHTED, inputsToSave: ['values', 'rowPtr', 'colIdx'], gradFunc },
];

