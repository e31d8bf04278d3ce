/**
 * Turning a composition of stock tfjs ops into a registered kernel function.
 * tfjs's engine runs a kernel with its tape off (kernelDepth > 0), so the ops
 * inside are not recorded: the registered gradient of the Populace kernel is.
 * A kernel function may return Tensors (tfjs-node's kernels do): the engine
 * then uses them as the outputs as they are.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The inputs of a portable kernel, as the Tensors the caller passed to `runKernel`. */
export type PortableInputs = Record<string, tf.Tensor | undefined>;

/** Wraps `body` (stock ops only) as a kernel function; intermediates are freed, the outputs kept. */
export function portableKernel<A>(body: (inputs: PortableInputs, attrs: A) => tf.Tensor | tf.Tensor[]): tf.KernelFunc {
  return ({ inputs, attrs }) => {
    for (const [name, t] of Object.entries(inputs)) {
      if (t !== undefined && typeof (t as { rank?: unknown }).rank !== 'number') {
        throw new Error(`portable kernel: input '${name}' is a TensorInfo, expected a Tensor (portable kernels run through tf.engine().runKernel with Tensors)`);
      }
    }
    return tf.tidy(() => body(inputs as PortableInputs, attrs as unknown as A)) as tf.TensorInfo | tf.TensorInfo[];
  };
}
