/**
 * Registration of Populace's custom kernels (forward and backward) on a tfjs
 * backend, and of their backend-independent gradients (plus a faster gradient
 * for full `Sum` reductions, see ./gradients/sum.ts). Backends with kernels of
 * their own are entries of {@link NATIVE_KERNEL_SETS}; every other backend
 * gets the portable set (./portable/). Nothing here runs on import: call
 * {@link registerPopulaceKernels}.
 */
import * as tf from '@tensorflow/tfjs-core';
import { CPU_KERNELS } from './cpu/index.js';
import { installSumGradient, POPULACE_GRADIENTS } from './gradients/index.js';
import type { KernelSet } from './kernel-set.js';
import { PORTABLE_KERNELS } from './portable/index.js';
import { WASM_KERNELS } from './wasm/index.js';
import { WEBGPU_KERNELS } from './webgpu/index.js';

/**
 * Backends with a native kernel set, by tfjs backend name. A new backend's
 * kernels are one new folder (beside ./cpu/, ./wasm/, ./webgpu/) whose
 * index.ts exports its set, plugged in as one entry here; any backend not
 * listed gets {@link PORTABLE_KERNELS}.
 */
export const NATIVE_KERNEL_SETS: Readonly<Record<string, KernelSet>> = {
  cpu: CPU_KERNELS,
  wasm: WASM_KERNELS,
  webgpu: WEBGPU_KERNELS,
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
  for (const config of POPULACE_GRADIENTS) {
    if (tf.getGradient(config.kernelName) == null) tf.registerGradient(config);
  }
  installSumGradient();
  set.install?.(backendName);
}
