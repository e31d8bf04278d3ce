/**
 * The hashed gather and its transpose from stock ops: for each of the
 * `degree` contacts, the contact indices of every agent are hashed on the
 * backend (./counter-hash.ts, the cpu kernel's integers) and gathered
 * (forward) or scattered with `unsortedSegmentSum` (backward). Memory O(N)
 * per contact slot; no edges are stored.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PopulaceError } from '../../errors.js';
import { HASHED_GATHER, HASHED_GATHER_GRAD, type HashedGatherAttrs } from '../kernel-names.js';
import { edgeCounters, indexAtTensor, MAX_HASHED_AGENTS, xorTableTensor } from './counter-hash.js';
import { portableKernel, type PortableInputs } from './portable-kernel.js';

function checkSize(n: number): void {
  if (n > MAX_HASHED_AGENTS) {
    throw new PopulaceError('invalid-argument', `hashedGather: the portable kernels take at most ${MAX_HASHED_AGENTS} agents (exact integer remainders), received ${n}; use the cpu backend for more.`);
  }
}

/** Runs `each(contacts, j)` for every contact slot j, with the int32 [N] contact indices. */
function forEachSlot(n: number, a: HashedGatherAttrs, each: (contacts: tf.Tensor) => tf.Tensor): tf.Tensor {
  checkSize(n);
  const table = xorTableTensor();
  const agents = tf.range(0, n, 1, 'int32');
  let acc: tf.Tensor = tf.zeros([n], 'float32');
  for (let j = 0; j < a.degree; j++) {
    const next = tf.tidy(() => tf.add(acc, each(indexAtTensor(table, a.key >>> 0, edgeCounters(agents, a.degree, j), n))));
    acc.dispose();
    acc = next;
  }
  return acc;
}

function forward(inputs: PortableInputs, a: HashedGatherAttrs): tf.Tensor {
  const values = inputs.values!;
  return forEachSlot(values.size, a, (contacts) => tf.gather(values, contacts));
}

function backward(inputs: PortableInputs, a: HashedGatherAttrs): tf.Tensor {
  const dy = inputs.dy!;
  return forEachSlot(dy.size, a, (contacts) => tf.unsortedSegmentSum(dy, contacts as tf.Tensor1D, dy.size));
}

/** The portable hashed-gather kernels. */
export function portableHashedGatherKernels(): Record<string, tf.KernelFunc> {
  return {
    [HASHED_GATHER]: portableKernel(forward),
    [HASHED_GATHER_GRAD]: portableKernel(backward),
  };
}
