/** The gradient of the Bernoulli event, shared by every backend (via its backward kernel). */
import * as tf from '@tensorflow/tfjs-core';
import { BERNOULLI_EVENT, BERNOULLI_EVENT_GRAD } from '../kernel-names.js';

/** Gradient of the Bernoulli event: the fused backward kernel, computed once for all three inputs. */
export const BERNOULLI_EVENT_GRADIENTS: tf.GradConfig[] = [
  {
    kernelName: BERNOULLI_EVENT,
    inputsToSave: ['p', 'x', 'mask', 'clock'],
    gradFunc: (dy, saved, attrs) => {
      const [p, x, mask, clock] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      // Computed eagerly, once: tfjs calls each input's closure inside its own tidy, which would
      // dispose the other outputs of a lazily shared call. Unrequested outputs are freed with the
      // backward pass's scope.
      const [dp, dx, dm] = tf.engine().runKernel(BERNOULLI_EVENT_GRAD, { dy: dy as tf.Tensor, p, x, mask, clock }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      // the clocks are integers that only pick the uniforms: no gradient
      return { p: () => dp!, x: () => dx!, mask: () => dm!, clock: () => tf.zerosLike(clock) };
    },
  },
];
