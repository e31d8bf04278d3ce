/**
 * The `wasm` kernel set: the JavaScript kernels of ../cpu/, reading and
 * writing tensors on the wasm heap (see ../cpu/backend-io.ts).
 */
import { javascriptKernels } from '../cpu/index.js';
import type { KernelSet } from '../kernel-set.js';

export const WASM_KERNELS: KernelSet = { kind: 'native', description: 'native JavaScript kernels on the wasm heap', kernels: () => javascriptKernels('wasm') };
