/**
 * The JavaScript kernels over typed arrays (one file per kernel, the large
 * calls on the worker pool of ../pool/), as the kernel set of `cpu`; ../wasm/
 * runs the same kernels on the wasm heap.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { KernelSet } from '../kernel-set.js';
import type { Backends } from './backend-io.js';
import { bernoulliEventKernels } from './bernoulli-event.js';
import { installFastBinaryKernels } from './fast-binary.js';
import { installFastSegmentSum } from './fast-segment-sum.js';
import { gatherReduceKernels } from './gather-reduce.js';
import { hashedGatherKernels } from './hashed-gather.js';
import { linearCombineKernels } from './linear-combine.js';
import { sumAllKernels } from './sum-all.js';

/** The JavaScript kernels of `kind` (cpu or wasm: where the typed arrays live), by kernel name. */
export function javascriptKernels(kind: Backends): Record<string, tf.KernelFunc> {
  return Object.assign({}, ...[gatherReduceKernels, bernoulliEventKernels, linearCombineKernels, hashedGatherKernels, sumAllKernels].map((make) => make(kind)));
}

/** The `cpu` kernel set, with cpu's faster Add/Mul and UnsortedSegmentSum installed beside it. */
export const CPU_KERNELS: KernelSet = {
  kind: 'native',
  description: 'native JavaScript kernels (worker pool)',
  kernels: () => javascriptKernels('cpu'),
  install: () => (installFastBinaryKernels(), installFastSegmentSum()),
};
