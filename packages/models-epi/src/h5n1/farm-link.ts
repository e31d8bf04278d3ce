/**
 * The link from people to the farm they belong to: a bipartite gather
 * (`out[p] = values[farm[p]]`) whose gradient is the O(people) scatter-add
 * back to the farms. Core's message passing covers graphs within one agent
 * type; this covers the one cross-type link the H5N1 model needs, without
 * tfjs's generic gather gradient (UnsortedSegmentSum, O(people x farms) on cpu).
 */
import { PopulaceError, tf } from '@populace/core';

/**
 * `out[p] = values[farm[p]]` for float32 `values` [F] and int32 `farm` [P] with entries in [0, F),
 * differentiable in `values` (backward: `grad[f] = sum of dy[p] over people p of farm f`).
 *
 * @example
 * ```ts
 * const exposure = gatherFarms(infectedBirdsPresent, ctx.get('agents/people/farm'));
 * ```
 */
export function gatherFarms(values: tf.Tensor, farm: tf.Tensor): tf.Tensor {
  if (values.dtype !== 'float32' || values.rank !== 1 || farm.dtype !== 'int32' || farm.rank !== 1) {
    throw new PopulaceError('invalid-argument', `gatherFarms: expected float32 values [F] and int32 farm indices [P], received ${values.dtype} [${values.shape.join(', ')}] and ${farm.dtype} [${farm.shape.join(', ')}].`);
  }
  const farms = values.shape[0]!;
  // tf.customGrad's typing mixes the inputs and the save function in one rest parameter. The
  // indices are saved for the backward pass: the caller's tensor may be gone by then (a reverse
  // pass frees the tensors its forward pass created).
  const gather = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    (args[1] as tf.GradSaveFunc)([farm]);
    return {
      value: tf.gather(args[0] as tf.Tensor, farm),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.scatterND(tf.expandDims(saved[0]!, 1), dy, [farms]),
    };
  }) as Parameters<typeof tf.customGrad>[0]);
  return gather(values) as tf.Tensor;
}
