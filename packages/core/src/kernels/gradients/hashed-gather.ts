/** The gradient of the hashed gather, shared by every backend (via its backward kernel). */
import * as tf from '@tensorflow/tfjs-core';
import { HASHED_GATHER, HASHED_GATHER_GRAD } from '../kernel-names.js';

/** Gradient of the hashed gather: its transpose. */
export const HASHED_GATHER_GRADIENTS: tf.GradConfig[] = [
  {
    kernelName: HASHED_GATHER,
    gradFunc: (dy, _saved, attrs) => ({ values: () => tf.engine().runKernel(HASHED_GATHER_GRAD, { dy: dy as tf.Tensor }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor }),
  },
];
