/**
 * Reading inputs and allocating outputs of Populace's JavaScript kernels on
 * the cpu and wasm backends, so kernel bodies are plain loops over typed arrays.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { sharedData, sharedOutput } from '../pool/shared-output-pool.js';

export type Arr = Float32Array | Int32Array;
export type Info = tf.TensorInfo;
/** Backends with JavaScript implementations of Populace's kernels. */
export type Backends = 'cpu' | 'wasm';
/** A kernel body: fills `outs` from the input arrays (null for an absent input). */
export type Body = (ins: (Arr | null)[], outs: Float32Array[]) => void;

/** Options of {@link execute}. */
export interface ExecuteOptions {
  /**
   * On cpu, allocate the outputs on SharedArrayBuffers, so worker threads can
   * write them in place (the tensor keeps that memory; large ones are reused
   * once freed, see ../pool/shared-output-pool.ts). Ignored on wasm, whose outputs
   * live in the wasm heap.
   */
  sharedOutputs?: boolean;
  /**
   * On cpu, move float32 inputs not yet on shared memory there for good (one copy per tensor,
   * see ../pool/shared-output-pool.ts `sharedData`), so worker threads read them in place.
   * Ignored on wasm (its heap is not shared: `workerReadable` copies per call there).
   */
  sharedInputs?: boolean;
}

/**
 * Runs `body` on `backend`, reading `inputs` and allocating one float32 output per shape.
 * Returns one TensorInfo, or an array when several shapes are given.
 */
export function execute(
  kind: Backends,
  backend: object,
  inputs: (Info | undefined)[],
  shapes: number[][],
  body: Body,
  options: ExecuteOptions = {},
): Info[] {
  const sizes = shapes.map((shape) => shape.reduce((a, b) => a * b, 1));
  if (kind === 'cpu') {
    const cpu = backend as MathBackendCPU;
    const ins = inputs.map((t) => (t === undefined ? null : options.sharedInputs === true ? sharedData(cpu, t.dataId) : (cpu.data.get(t.dataId).values as Arr)));
    const outs = sizes.map((n) => (options.sharedOutputs === true ? sharedOutput(cpu, n) : new Float32Array(n)));
    body(ins, outs);
    return outs.map((out, k) => cpu.makeTensorInfo(shapes[k]!, 'float32', out));
  }
  const wasm = backend as BackendWasm;
  const infos = shapes.map((shape) => wasm.makeOutput(shape, 'float32'));
  try {
    // Views are taken after every allocation: a heap growth detaches older views.
    const outs = infos.map((info) => wasm.typedArrayFromHeap(info) as Float32Array);
    const ins = inputs.map((t) => (t === undefined ? null : (wasm.typedArrayFromHeap(t) as Arr)));
    body(ins, outs);
  } catch (err) {
    for (const info of infos) wasm.disposeData(info.dataId, true);
    throw err;
  }
  return infos;
}
