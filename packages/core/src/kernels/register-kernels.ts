/**
 * Registration of Populace's custom kernels (forward and backward) on a tfjs
 * backend, and of their backend-independent gradients (plus a faster gradient
 * for full `Sum` reductions, see ./sum-gradient.ts). Backends with kernels of
 * their own are entries of {@link NATIVE_KERNEL_SETS}; every other backend
 * gets the portable set (./portable/). Nothing here runs on import: call
 * {@link registerPopulaceKernels}.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Backends } from './backend-io.js';
import { BERNOULLI_EVENT_GRADIENTS, bernoulliEventKernels } from './bernoulli-event-kernels.js';
import { GATHER_REDUCE_GRADIENTS, gatherReduceKernels } from './gather-reduce-kernels.js';
import { installFastBinaryKernels } from './fast-binary.js';
import { installFastSegmentSum } from './fast-segment-sum.js';
import { HASHED_GATHER_GRADIENTS, hashedGatherKernels } from './hashed-gather-kernels.js';
import type { KernelSet } from './kernel-set.js';
import { LINEAR_COMBINE_GRADIENTS, linearCombineKernels } from './linear-combine-kernels.js';
import { PORTABLE_KERNELS } from './portable/portable-kernels.js';
import { SUM_ALL_GRADIENTS, sumAllKernels } from './sum-all.js';
import { installSumGradient } from './sum-gradient.js';
import { webgpuKernels } from './webgpu/index.js';

const GRADIENTS: tf.GradConfig[] = [...GATHER_REDUCE_GRADIENTS, ...BERNOULLI_EVENT_GRADIENTS, ...LINEAR_COMBINE_GRADIENTS, ...HASHED_GATHER_GRADIENTS, ...SUM_ALL_GRADIENTS];

/** The JavaScript kernels over typed arrays (worker pool for large calls) of cpu or wasm. */
function javascriptKernels(kind: Backends): Record<string, tf.KernelFunc> {
  return Object.assign({}, ...[gatherReduceKernels, bernoulliEventKernels, linearCombineKernels, hashedGatherKernels, sumAllKernels].map((make) => make(kind)));
}

/**
 * Backends with a native kernel set, by tfjs backend name. A new backend's
 * kernels plug in as one entry here; any backend not listed gets
 * {@link PORTABLE_KERNELS}.
 */
export const NATIVE_KERNEL_SETS: Readonly<Record<string, KernelSet>> = {
  cpu: { kind: 'native', description: 'native JavaScript kernels (worker pool)', kernels: () => javascriptKernels('cpu'), install: () => (installFastBinaryKernels(), installFastSegmentSum()) },
  wasm: { kind: 'native', description: 'native JavaScript kernels on the wasm heap', kernels: () => javascriptKernels('wasm') },
  webgpu: { kind: 'native', description: 'WGSL compute kernels, forward and backward (./webgpu/)', kernels: () => webgpuKernels() },
};

/** The kernel set Populace registers for `backendName`: its native set, or the portable one. */
export function kernelSetFor(backendName: string): KernelSet {
  return Object.hasOwn(NATIVE_KERNEL_SETS, backendName) ? NATIVE_KERNEL_SETS[backendName]! : PORTABLE_KERNELS;
}

/**
 * Registers Populace's custom kernels for `backendName` (its native set, or the
 * portable set of stock tfjs ops for any backend without one, see
 * {@link kernelSetFor}) and their gradients. Idempotent: kernels and
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
  registerKernelSet(backendName, kernelSetFor(backendName));
}

/**
 * Registers `set` under `backendName`, for tests, benchmarks and embedders (e.g.
 * the portable set on cpu, to compare it with the native one). With `replace`,
 * kernels already registered under those names are unregistered first;
 * otherwise they are left alone.
 *
 * @example
 * ```ts
 * registerKernelSet('cpu', PORTABLE_KERNELS, { replace: true }); // cpu now runs the stock-op kernels
 * ```
 */
export function registerKernelSet(backendName: string, set: KernelSet, options: { replace?: boolean } = {}): void {
  const funcs = set.kernels();
  for (const kernelName of Object.keys(funcs)) {
    if (options.replace === true && tf.getKernel(kernelName, backendName) != null) tf.unregisterKernel(kernelName, backendName);
    if (tf.getKernel(kernelName, backendName) == null) {
      tf.registerKernel({ kernelName, backendName, kernelFunc: funcs[kernelName]! });
    }
  }
  for (const config of GRADIENTS) {
    if (tf.getGradient(config.kernelName) == null) tf.registerGradient(config);
  }
  installSumGradient();
  set.install?.(backendName);
}
