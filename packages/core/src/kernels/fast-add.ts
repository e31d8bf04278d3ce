/**
 * A faster `Add` for the cpu backend's commonest cases: two float32 tensors
 * of one shape, or one of them a single value. tfjs's generic loop takes an
 * index modulo per element and calls the op through a closure (about 10 ms
 * per 1M elements); the reverse pass of a population step adds agent-sized
 * gradients several times per step (tfjs accumulates the gradient of a tensor
 * used by several ops with `Add`). Same values, bit for bit: both compute
 * a + b in double precision and store float32. Every other case (other
 * dtypes, broadcasting between shapes) goes to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

const ADD = 'Add';
let installed = false;

/** Replaces the cpu backend's `Add` kernel with the fast one (delegating to the stock one). Idempotent. */
export function installFastAdd(): void {
  if (installed) return;
  const stock = tf.getKernel(ADD, 'cpu');
  if (stock == null) return;
  installed = true;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const cpu = args.backend as MathBackendCPU;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return stock.kernelFunc(args);
    const na = tf.util.sizeFromShape(a.shape);
    const nb = tf.util.sizeFromShape(b.shape);
    const same = tf.util.arraysEqual(a.shape, b.shape);
    // A single value broadcast only when the other operand's shape is the result's.
    const scalarB = nb === 1 && b.shape.length <= a.shape.length;
    const scalarA = na === 1 && a.shape.length <= b.shape.length;
    if (!same && !scalarB && !scalarA) return stock.kernelFunc(args);
    const av = cpu.data.get(a.dataId)!.values as Float32Array;
    const bv = cpu.data.get(b.dataId)!.values as Float32Array;
    const shape = same || scalarB ? a.shape.slice() : b.shape.slice();
    const n = tf.util.sizeFromShape(shape);
    const out = new Float32Array(n);
    if (same) for (let i = 0; i < n; i++) out[i] = av[i]! + bv[i]!;
    else if (scalarB) {
      const s = bv[0]!;
      for (let i = 0; i < n; i++) out[i] = av[i]! + s;
    } else {
      const s = av[0]!;
      for (let i = 0; i < n; i++) out[i] = s + bv[i]!;
    }
    return cpu.makeTensorInfo(shape, 'float32', out);
  };
  tf.unregisterKernel(ADD, 'cpu');
  tf.registerKernel({ kernelName: ADD, backendName: 'cpu', kernelFunc });
}
