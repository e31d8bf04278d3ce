/**
 * A kernel set: the implementations of every Populace kernel for one tfjs
 * backend. register-kernels.ts keeps a table of native sets (cpu, wasm, and
 * any backend with kernels of its own) and uses the portable set (stock tfjs
 * ops, ./portable/) for every other backend. A new backend plugs in as one
 * entry of that table; the gradients are shared by all sets, because they are
 * written in terms of Populace's own backward kernels.
 */
import type * as tf from '@tensorflow/tfjs-core';

export interface KernelSet {
  /** `native` (written for the backend) or `portable` (stock tfjs ops, any backend). */
  readonly kind: 'native' | 'portable';
  /** One line for `populace backends`: what implements the kernels. */
  readonly description: string;
  /** Every kernel in POPULACE_KERNEL_NAMES (and SUM_ALL), by name. */
  kernels(): Record<string, tf.KernelFunc>;
  /** Backend-specific set-up run after registration (e.g. cpu's faster Add and Mul). Idempotent. */
  install?(backendName: string): void;
}
