/**
 * Populace's kernels on tfjs's `webgpu` backend (WGSL compute programs, forward
 * and backward), for registration by ../register-kernels.ts. Importing this
 * file loads nothing optional: Dawn and tfjs-backend-webgpu are loaded by
 * ./dawn.ts when the backend is installed.
 */
import type * as tf from '@tensorflow/tfjs-core';
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
