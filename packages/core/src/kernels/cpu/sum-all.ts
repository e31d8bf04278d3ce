/**
 * The sum-all kernel on cpu and wasm (the op: ../ops/sum-all.ts): the total of
 * a float32 tensor, on both cores for large inputs. Metrics sum every
 * compartment every step (a dozen passes over 8.7M agents in `epi/covid`), so
 * this is the one reduction worth a kernel of its own.
 */
import * as tf from '@tensorflow/tfjs-core';
import { execute, type Backends, type Info } from './backend-io.js';
import { SUM_ALL } from '../kernel-names.js';
import { poolThreads, runParallel, workerReadable, type PoolProgram } from '../pool/worker-pool.js';

/** Chunk size and the size from which a sum runs in chunks on the pool (fixed, so results do not depend on threads). */
export const sumAllTuning = { chunk: 1 << 16, parallelMin: 1 << 18 };

interface SumJob {
  x: Float32Array;
  n: number;
  chunk: number;
  partials: Float64Array;
}

const SUM_PROGRAM: PoolProgram<SumJob> = {
  name: 'populace.sum-all.v1',
  source: String.raw`
'use strict';
return function sumChunk(job, c) {
  const x = job.x;
  const i0 = c * job.chunk;
  const i1 = Math.min(job.n, i0 + job.chunk);
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  let i = i0;
  for (; i + 3 < i1; i += 4) { a0 += x[i]; a1 += x[i + 1]; a2 += x[i + 2]; a3 += x[i + 3]; }
  for (; i < i1; i++) a0 += x[i];
  job.partials[c] = (a0 + a1) + (a2 + a3);
};
`,
};

/** Chunks of a sum over `n` elements. */
const chunksOf = (n: number): number => (n < sumAllTuning.parallelMin ? 1 : Math.ceil(n / sumAllTuning.chunk));

function total(x: Float32Array): number {
  const n = x.length;
  const chunks = chunksOf(n);
  const parallel = chunks > 1 && poolThreads() > 1;
  const input = parallel ? workerReadable(x, 'sum-all/x') : x;
  const partials = new Float64Array(parallel ? new SharedArrayBuffer(8 * chunks) : new ArrayBuffer(8 * chunks));
  // Without threads the chunks run in order on this thread: the same partials, the same sum.
  runParallel(SUM_PROGRAM, { x: input, n, chunk: chunks === 1 ? Math.max(n, 1) : sumAllTuning.chunk, partials }, chunks);
  let sum = 0;
  for (let c = 0; c < chunks; c++) sum += partials[c]!;
  return sum;
}

/** The sum-all kernel function of one backend. */
export function sumAllKernels(kind: Backends): Record<string, tf.KernelFunc> {
  return {
    [SUM_ALL]: ({ inputs, backend }) => {
      const { x } = inputs as Record<string, Info>;
      const parallel = chunksOf(tf.util.sizeFromShape(x.shape)) > 1 && poolThreads() > 1;
      return execute(kind, backend, [x], [[]], ([v], [out]) => {
        out![0] = total(v as Float32Array);
      }, { sharedInputs: parallel })[0]!;
    },
  };
}
