/**
 * The gradients of every Populace kernel (one file per kernel), shared by all
 * kernel sets: each is written in terms of Populace's own backward kernels,
 * which every set implements. ./sum.ts is a faster gradient for tfjs's `Sum`.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { BERNOULLI_EVENT_GRADIENTS } from './bernoulli-event.js';
import { GATHER_REDUCE_GRADIENTS } from './gather-reduce.js';
import { HASHED_GATHER_GRADIENTS } from './hashed-gather.js';
import { LINEAR_COMBINE_GRADIENTS } from './linear-combine.js';
import { SUM_ALL_GRADIENTS } from './sum-all.js';

export { installSumGradient } from './sum.js';

export const POPULACE_GRADIENTS: readonly tf.GradConfig[] = [...GATHER_REDUCE_GRADIENTS, ...BERNOULLI_EVENT_GRADIENTS, ...LINEAR_COMBINE_GRADIENTS, ...HASHED_GATHER_GRADIENTS, ...SUM_ALL_GRADIENTS];
