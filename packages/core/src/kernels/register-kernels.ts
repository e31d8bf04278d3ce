/**
 * Registration of Populace's custom kernels (forward and backward) on the cpu
 * and wasm backends, and of their backend-independent gradients (plus a
 * faster gradient for full `Sum` reductions, see ./sum-gradient.ts). Nothing
 * here runs on import: call {@link registerPopulaceKernels}.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Backends } from './backend-io.js';
import { BERNOULLI_EVENT_GRADIENTS, bernoulliEventKernels } from './bernoulli-event-kernels.js';
import { GATHER_REDUCE_GRADIENTS, gatherReduceKernels } from './gather-reduce-kernels.js';
import { installFastBinaryKernels } from './fast-binary.js';
import { HASHED_GATHER_GRADIENTS, hashedGatherKernels } from './hashed-gather-kernels.js';
import { LINEAR_COMBINE_GRADIENTS, linearCombineKernels } from './linear-combine-kernels.js';
import { SUM_ALL_GRADIENTS, sumAllKernels } from './sum-all.js';
import { installSumGradient } from './sum-gradient.js';
import { webgpuKernels } from './webgpu/index.js';

const KERNELS: ((kind: Backends) => Record<string, tf.KernelFunc>)[] = [gatherReduceKernels, bernoulliEventKernels, linearCombineKernels, hashedGatherKernels, sumAllKernels];
const GRADIENTS: tf.GradConfig[] = [...GATHER_REDUCE_GRADIENTS, ...BERNOULLI_EVENT_GRADIENTS, ...LINEAR_COMBINE_GRADIENTS, ...HASHED_GATHER_GRADIENTS, ...SUM_ALL_GRADIENTS];

/** Backends that have a Populace implementation of every kernel. */
const SUPPORTED: readonly Backends[] = ['cpu', 'wasm'];

/**
 * Registers Populace's custom kernels for `backendName` ('cpu', 'wasm' or 'webgpu'; any
 * other name registers nothing) and their gradients. Idempotent: kernels and
 * gradients already in tfjs's global registry are left alone, so no
 * duplicate-registration warnings appear however often it is called.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * await tf.setBackend('cpu');
 * registerPopulaceKernels(tf.getBackend());
 * ```
 */
export function registerPopulaceKernels(backendName: string): void {
  const kind = SUPPORTED.find((b) => b === backendName);
  // webgpu: the WGSL programs of ./webgpu/ (forward and backward)
  if (kind === undefined && backendName !== 'webgpu') return;
  const funcs: Record<string, tf.KernelFunc> = kind === undefined ? webgpuKernels() : Object.assign({}, ...KERNELS.map((make) => make(kind)));
  for (const kernelName of Object.keys(funcs)) {
    if (tf.getKernel(kernelName, backendName) == null) {
      tf.registerKernel({ kernelName, backendName, kernelFunc: funcs[kernelName] });
    }
  }
  for (const config of GRADIENTS) {
    if (tf.getGradient(config.kernelName) == null) tf.registerGradient(config);
  }
  installSumGradient();
  if (kind === 'cpu') installFastBinaryKernels();
}
