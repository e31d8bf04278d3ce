/**
 * The portable kernel set: every Populace kernel composed of stock tfjs ops
 * (gather, unsortedSegmentSum, cumsum, floorDiv, mod, ...), with no round trip
 * to JavaScript. Used for every backend without a native set: `tensorflow`
 * (tfjs-node, tfjs-node-gpu), `webgl`, and any registered later. Tested
 * against the cpu kernels in ./portable-kernels.test.ts.
 */
import { installFastSegmentSum } from '../cpu/fast-segment-sum.js';
import type { KernelSet } from '../kernel-set.js';
import { portableBernoulliEventKernels } from './bernoulli-event.js';
import { portableGatherReduceKernels } from './gather-reduce.js';
import { portableHashedGatherKernels } from './hashed-gather.js';
import { portableLinearKernels } from './linear-combine.js';

export const PORTABLE_KERNELS: KernelSet = {
  kind: 'portable',
  description: 'portable kernels (stock tfjs ops)',
  kernels: () => ({ ...portableGatherReduceKernels(), ...portableBernoulliEventKernels(), ...portableHashedGatherKernels(), ...portableLinearKernels() }),
  // On cpu (the portable set swapped in for comparison) the stock UnsortedSegmentSum is O(segments x elements).
  install: (backendName) => {
    if (backendName === 'cpu') installFastSegmentSum();
  },
};
