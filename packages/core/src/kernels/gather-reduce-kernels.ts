/**
 * The gather-reduce (CSR message passing) kernels on cpu and wasm: forward,
 * the transposed scatter for d values, the per-edge product for d weights,
 * and their backend-independent gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { PopulaceError } from '../errors.js';
import { execute, type Backends, type Info } from './backend-io.js';
import {
  GATHER_REDUCE,
  GATHER_REDUCE_GRAD_VALUES,
  GATHER_REDUCE_GRAD_WEIGHTS,
  GATHER_REDUCE_UNWEIGHTED,
} from './kernel-names.js';

// ---------------------------------------------------------------- loops
// Rows are receivers: row i owns edges [rowPtr[i], rowPtr[i+1]); f = features.

function forward(v: Float32Array, rp: Int32Array, ci: Int32Array, w: Float32Array | null, f: number, out: Float32Array): void {
  const n = rp.length - 1;
  if (f === 1) {
    for (let i = 0; i < n; i++) {
      const end = rp[i + 1];
      let acc = 0;
      if (w === null) for (let e = rp[i]; e < end; e++) acc += v[ci[e]];
      else for (let e = rp[i]; e < end; e++) acc += w[e] * v[ci[e]];
      out[i] = acc;
    }
    return;
  }
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const end = rp[i + 1];
    const o = i * f;
    for (let e = rp[i]; e < end; e++) {
      const we = w === null ? 1 : w[e];
      const s = ci[e] * f;
      for (let k = 0; k < f; k++) out[o + k] += we * v[s + k];
    }
  }
}

/** The transposed scatter: dv[colIdx[e]] += w[e] * dy[i]. */
function scatterTransposed(dy: Float32Array, rp: Int32Array, ci: Int32Array, w: Float32Array | null, f: number, out: Float32Array): void {
  const n = rp.length - 1;
  out.fill(0);
  if (f === 1) {
    for (let i = 0; i < n; i++) {
      const end = rp[i + 1];
      const g = dy[i];
      if (w === null) for (let e = rp[i]; e < end; e++) out[ci[e]] += g;
      else for (let e = rp[i]; e < end; e++) out[ci[e]] += w[e] * g;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const end = rp[i + 1];
    const o = i * f;
    for (let e = rp[i]; e < end; e++) {
      const we = w === null ? 1 : w[e];
      const s = ci[e] * f;
      for (let k = 0; k < f; k++) out[s + k] += we * dy[o + k];
    }
  }
}

/** dw[e] = sum_k dy[i, k] * v[colIdx[e], k]. */
function edgeGrad(dy: Float32Array, v: Float32Array, rp: Int32Array, ci: Int32Array, f: number, out: Float32Array): void {
  const n = rp.length - 1;
  for (let i = 0; i < n; i++) {
    const end = rp[i + 1];
    const o = i * f;
    for (let e = rp[i]; e < end; e++) {
      const s = ci[e] * f;
      let acc = 0;
      for (let k = 0; k < f; k++) acc += dy[o + k] * v[s + k];
      out[e] = acc;
    }
  }
}

// ---------------------------------------------------------------- graph check
// A CSR graph is checked once per (rowPtr, colIdx) data pair: tfjs data is
// immutable, so the check is cached on the data ids (a static contact graph
// reused every step costs nothing after the first call).
const checkedGraphs = new WeakMap<object, object>();

function checkGraph(rowPtr: Info, colIdx: Info, rp: Int32Array, ci: Int32Array): void {
  if (checkedGraphs.get(colIdx.dataId) === rowPtr.dataId) return;
  const n = rp.length - 1;
  const bad = (what: string, details: Record<string, unknown>): never => {
    throw new PopulaceError('invalid-argument', `gatherReduce: invalid CSR graph: ${what}.`, { details });
  };
  if (rp[0] !== 0) bad(`expected rowPtr[0] = 0, received ${rp[0]}`, { rowPtr0: rp[0] });
  for (let i = 0; i < n; i++) {
    if (rp[i + 1] < rp[i]) bad(`expected rowPtr non-decreasing, received rowPtr[${i + 1}] = ${rp[i + 1]} < rowPtr[${i}] = ${rp[i]}`, { row: i });
  }
  if (rp[n] !== ci.length) bad(`expected rowPtr[N] = E = ${ci.length}, received ${rp[n]}`, { rowPtrLast: rp[n], edges: ci.length });
  for (let e = 0; e < ci.length; e++) {
    const c = ci[e];
    if (c < 0 || c >= n) bad(`expected colIdx in [0, ${n}), received colIdx[${e}] = ${c}`, { edge: e, colIdx: c });
  }
  checkedGraphs.set(colIdx.dataId, rowPtr.dataId);
}

const features = (shape: number[]): number => (shape.length === 2 ? shape[1] : 1);

/** The gather-reduce kernel functions of one backend. */
export function gatherReduceKernels(kind: Backends): Record<string, tf.KernelFunc> {
  const fwd: tf.KernelFunc = ({ inputs, backend }) => {
    const { values, rowPtr, colIdx, weights } = inputs as Record<string, Info>;
    return execute(kind, backend, [values, rowPtr, colIdx, weights], [values.shape.slice()], (ins, [out]) => {
      const [v, rp, ci, w] = ins as [Float32Array, Int32Array, Int32Array, Float32Array | null];
      checkGraph(rowPtr, colIdx, rp, ci);
      forward(v, rp, ci, w, features(values.shape), out!);
    })[0]!;
  };
  return {
    [GATHER_REDUCE]: fwd,
    [GATHER_REDUCE_UNWEIGHTED]: fwd,
    [GATHER_REDUCE_GRAD_VALUES]: ({ inputs, backend }) => {
      const { dy, rowPtr, colIdx, weights } = inputs as Record<string, Info>;
      return execute(kind, backend, [dy, rowPtr, colIdx, weights], [dy.shape.slice()], (ins, [out]) => {
        const [g, rp, ci, w] = ins as [Float32Array, Int32Array, Int32Array, Float32Array | null];
        scatterTransposed(g, rp, ci, w, features(dy.shape), out!);
      })[0]!;
    },
    [GATHER_REDUCE_GRAD_WEIGHTS]: ({ inputs, backend }) => {
      const { dy, values, rowPtr, colIdx } = inputs as Record<string, Info>;
      return execute(kind, backend, [dy, values, rowPtr, colIdx], [colIdx.shape.slice()], (ins, [out]) => {
        const [g, v, rp, ci] = ins as [Float32Array, Float32Array, Int32Array, Int32Array];
        edgeGrad(g, v, rp, ci, features(dy.shape), out!);
      })[0]!;
    },
  };
}

// ---------------------------------------------------------------- gradients

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

