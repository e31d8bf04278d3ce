/**
 * `sumAll` on webgpu: the workgroup tree reduction of ./program.ts (chunks of
 * 2,048 elements in a fixed order, then the partial sums the same way).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { SUM_ALL } from '../kernel-names.js';
import { checkBindings, sumAllTo, type WebgpuBackendLike } from './program.js';

/** The sum-all kernel function on webgpu. */
export function sumAllWebgpu(): Record<string, tf.KernelFunc> {
  return {
    [SUM_ALL]: ({ inputs, backend }) => {
      const b = backend as unknown as WebgpuBackendLike;
      const x = (inputs as Record<string, tf.TensorInfo>)['x']!;
      checkBindings(b, SUM_ALL, [{ name: 'x', shape: x.shape }]);
      return sumAllTo(b, x, []);
    },
  };
}
