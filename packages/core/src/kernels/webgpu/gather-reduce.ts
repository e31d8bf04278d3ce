/**
 * The gather-reduce (CSR message passing) kernels in WGSL: the forward pull
 * (one invocation per row and feature, edges in CSR order), d values (a
 * scatter over the edges with float compare-and-swap atomics into a zeroed
 * output: the sums' order varies between runs, so the last bits may too), and
 * d weights (one invocation per row, writing each of its edges).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { GATHER_REDUCE, GATHER_REDUCE_GRAD_VALUES, GATHER_REDUCE_GRAD_WEIGHTS, GATHER_REDUCE_UNWEIGHTED } from '../kernel-names.js';
import { ATOMIC_ADD_F32_WGSL, checkBindings, flatProgram, run, zeros, type WebgpuBackendLike } from './program.js';

type Info = tf.TensorInfo;
const features = (shape: number[]): number => (shape.length === 2 ? shape[1]! : 1);
const rowsOf = (shape: number[]): number => shape[0] ?? 1;

function check(backend: WebgpuBackendLike, kernel: string, tensors: Record<string, Info | undefined>): void {
  checkBindings(backend, kernel, Object.entries(tensors).flatMap(([name, t]) => (t === undefined ? [] : [{ name, shape: t.shape }])));
}

const forward: tf.KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WebgpuBackendLike;
  const { values, rowPtr, colIdx, weights } = inputs as Record<string, Info>;
  check(b, GATHER_REDUCE, { values, rowPtr, colIdx, weights });
  const f = features(values.shape);
  const n = rowsOf(values.shape) * f;
  const w = weights !== undefined;
  const names = w ? ['values', 'rowPtr', 'colIdx', 'weights'] : ['values', 'rowPtr', 'colIdx'];
  const program = flatProgram(`gather_reduce_${w ? 'w' : 'u'}`, names, values.shape.slice(), n, `
    let f = uniforms.features;
    let i = index / f;
    let k = index - i * f;
    var acc = 0.0;
    for (var e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      acc = acc + ${w ? 'weights[e] * ' : ''}values[colIdx[e] * f + k];
    }
    result[index] = acc;`, { uniforms: 'features : i32,' });
  return run(b, program, w ? [values, rowPtr, colIdx, weights] : [values, rowPtr, colIdx], n, [{ type: 'int32', data: [f] }]);
};

const gradValues: tf.KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WebgpuBackendLike;
  const { dy, rowPtr, colIdx, weights } = inputs as Record<string, Info>;
  check(b, GATHER_REDUCE_GRAD_VALUES, { dy, rowPtr, colIdx, weights });
  const f = features(dy.shape);
  const n = rowsOf(dy.shape) * f;
  const w = weights !== undefined;
  const out = zeros(b, dy.shape.slice());
  const program = flatProgram(`gather_reduce_grad_values_${w ? 'w' : 'u'}`, w ? ['dy', 'rowPtr', 'colIdx', 'weights'] : ['dy', 'rowPtr', 'colIdx'], dy.shape.slice(), n, `
    let f = uniforms.features;
    let i = index / f;
    let k = index - i * f;
    let g = dy[index];
    if (g != 0.0) {
      for (var e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
        atomicAddF32(colIdx[e] * f + k, ${w ? 'weights[e] * ' : ''}g);
      }
    }`, { uniforms: 'features : i32,', atomic: true, prelude: ATOMIC_ADD_F32_WGSL });
  return run(b, program, w ? [dy, rowPtr, colIdx, weights] : [dy, rowPtr, colIdx], n, [{ type: 'int32', data: [f] }], out);
};

const gradWeights: tf.KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WebgpuBackendLike;
  const { dy, values, rowPtr, colIdx } = inputs as Record<string, Info>;
  check(b, GATHER_REDUCE_GRAD_WEIGHTS, { dy, values, rowPtr, colIdx });
  const f = features(dy.shape);
  const rows = rowsOf(dy.shape);
  const program = flatProgram('gather_reduce_grad_weights', ['dy', 'values', 'rowPtr', 'colIdx'], colIdx.shape.slice(), rows, `
    let f = uniforms.features;
    for (var e = rowPtr[index]; e < rowPtr[index + 1]; e++) {
      let s = colIdx[e] * f;
      var acc = 0.0;
      for (var k = 0; k < f; k++) { acc = acc + dy[index * f + k] * values[s + k]; }
      result[e] = acc;
    }`, { uniforms: 'features : i32,' });
  return run(b, program, [dy, values, rowPtr, colIdx], rows, [{ type: 'int32', data: [f] }]);
};

/** The gather-reduce kernel functions on webgpu. */
export function gatherReduceWebgpu(): Record<string, tf.KernelFunc> {
  return {
    [GATHER_REDUCE]: forward,
    [GATHER_REDUCE_UNWEIGHTED]: forward,
    [GATHER_REDUCE_GRAD_VALUES]: gradValues,
    [GATHER_REDUCE_GRAD_WEIGHTS]: gradWeights,
  };
}
