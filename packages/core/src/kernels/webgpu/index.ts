/**
 * Populace's kernels on tfjs's `webgpu` backend (WGSL compute programs, forward
 * and backward, one file per kernel), as a kernel set for ../register-kernels.ts.
 * Importing this file loads nothing optional: Dawn and tfjs-backend-webgpu are
 * loaded by ./dawn.ts when the backend is installed.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { KernelSet } from '../kernel-set.js';
import { bernoulliEventWebgpu } from './bernoulli-event.js';
import { gatherReduceWebgpu } from './gather-reduce.js';
import { hashedGatherWebgpu } from './hashed-gather.js';
import { linearCombineWebgpu } from './linear-combine.js';
import { sumAllWebgpu } from './sum-all.js';

export { detectWebgpuAdapter, installDawnWebgpu, type DawnDevice, type WebgpuAdapterInfo } from './dawn.js';

/** Every Populace kernel function for the `webgpu` backend, by kernel name. */
export function webgpuKernels(): Record<string, tf.KernelFunc> {
  return { ...gatherReduceWebgpu(), ...hashedGatherWebgpu(), ...bernoulliEventWebgpu(), ...linearCombineWebgpu(), ...sumAllWebgpu() };
}

/** The `webgpu` kernel set. */
export const WEBGPU_KERNELS: KernelSet = { kind: 'native', description: 'WGSL compute kernels, forward and backward (./webgpu/)', kernels: () => webgpuKernels() };
