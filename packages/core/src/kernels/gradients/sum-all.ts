/** The gradient of sum-all, shared by every backend. */
import * as tf from '@tensorflow/tfjs-core';
import { broadcastLike } from '../../distributions/custom-grad.js';
import { SUM_ALL } from '../kernel-names.js';

/** Gradient: dy broadcast to x's shape. */
export const SUM_ALL_GRADIENTS: tf.GradConfig[] = [
  { kernelName: SUM_ALL, inputsToSave: ['x'], gradFunc: (dy, saved) => ({ x: () => broadcastLike(dy as tf.Tensor, (saved[0] as tf.Tensor).shape) }) },
];
