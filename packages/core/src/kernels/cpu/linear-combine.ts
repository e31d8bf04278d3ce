/**
 * The linear-combination kernel on cpu and wasm: K outputs from J same-shape
 * inputs in one pass. Its gradient (../gradients/linear-combine.ts) is itself
 * with the transposed coefficients.
 */
import * as tf from '@tensorflow/tfjs-core';
import { execute, type Backends, type Info } from './backend-io.js';
import { chunksFor } from './gather-reduce-graphs.js';
import { LINEAR_COMBINE, type LinearCombineAttrs } from '../kernel-names.js';
import { isShared, poolThreads, runParallel, sharedFloat32, workerReadable, type PoolProgram } from '../pool/worker-pool.js';

/** Elements per block of the generated loops (4096 float32 = 16 KiB per array). */
const BLOCK = 4096;
/** Calls over at least this many elements run on the kernel worker pool. */
export const linearCombineTuning = { parallelMin: 1 << 18 };

/** A chunk of elements `[bounds[c], bounds[c + 1])`: xs and outs on shared memory when chunks run on workers. */
interface LinearCombineJob {
  xs: Float32Array[];
  outs: Float32Array[];
  c: readonly number[];
  bounds: Int32Array;
}

const programs = new Map<string, PoolProgram<LinearCombineJob>>();

/** How a coefficient appears in the generated loop: skipped, added, subtracted, or multiplied by its value. */
const termKind = (c: number): string => (c === 0 ? '0' : c === 1 ? '+' : c === -1 ? '-' : '*');

/**
 * One fused loop per coefficient pattern, generated once and cached (here and in each pool
 * worker, as a pool program): every output element is written once with its non-zero terms
 * inlined (`o0[i] = x0[i] - c3 * x3[i];`). The pattern records only which coefficients are 0, 1,
 * -1 or another value; the other values come with each call, so coefficients that change from
 * call to call (learnable or step-dependent values) reuse one loop. The source is built only from
 * array indices.
 *
 * The loop goes block by block, one output at a time: each inner loop streams only the few arrays
 * its output reads (the block's inputs stay in cache for the next output). One loop streaming all
 * J + K arrays at once thrashes the cache and the prefetchers: 8 compartments and 9 flows at 8.7M
 * agents took 0.95 s flat and 0.36 s blocked on one thread.
 */
function programFor(coefficients: readonly number[], k: number, j: number): PoolProgram<LinearCombineJob> {
  for (const c of coefficients) if (!Number.isFinite(c)) throw new Error(`linear combination coefficient ${c} is not finite`);
  const pattern = `${k}:${j}:${coefficients.map(termKind).join('')}`;
  let program = programs.get(pattern);
  if (!program) {
    const body: string[] = [];
    const values: string[] = [];
    for (let r = 0; r < k; r++) {
      const terms: string[] = [];
      for (let q = 0; q < j; q++) {
        const at = r * j + q;
        const c = coefficients[at]!;
        if (c === 0) continue;
        if (c !== 1 && c !== -1) values.push(`const c${at} = c[${at}];`);
        terms.push(c === 1 ? `+ x${q}[i]` : c === -1 ? `- x${q}[i]` : `+ c${at} * x${q}[i]`);
      }
      body.push(`for (let i = b; i < e; i++) o${r}[i] = 0 ${terms.join(' ')};`);
    }
    const decl = [
      'const xs = job.xs, outs = job.outs, c = job.c;',
      ...Array.from({ length: j }, (_, q) => `const x${q} = xs[${q}];`),
      ...Array.from({ length: k }, (_, r) => `const o${r} = outs[${r}];`),
      ...values,
    ];
    const source = `'use strict';
return function linearCombineChunk(job, chunk) {
${decl.join('\n')}
const end = job.bounds[chunk + 1];
for (let b = job.bounds[chunk]; b < end; b += ${BLOCK}) {
const e = b + ${BLOCK} < end ? b + ${BLOCK} : end;
${body.join('\n')}
}
};`;
    program = { name: `populace.linear-combine.${pattern}`, source };
    programs.set(pattern, program);
  }
  return program;
}

/** The linear-combination kernel function of one backend. */
export function linearCombineKernels(kind: Backends): Record<string, tf.KernelFunc> {
  return {
    [LINEAR_COMBINE]: ({ inputs, backend, attrs }) => {
      const a = attrs as unknown as LinearCombineAttrs;
      const ins = Object.keys(inputs).sort((u, v) => Number(u.slice(1)) - Number(v.slice(1))).map((k) => (inputs as Record<string, Info>)[k]!);
      const j = ins.length;
      const shape = ins[0]!.shape.slice();
      const program = programFor(a.coefficients, a.outputs, j);
      const n = shape.reduce((x, d) => x * d, 1);
      const threads = n >= linearCombineTuning.parallelMin ? poolThreads() : 1;
      const chunks = chunksFor(threads);
      // Chunks start on block boundaries; the last ends at n.
      const bounds = Int32Array.from({ length: chunks + 1 }, (_, c) => (c === chunks ? n : Math.floor((n * c) / chunks / BLOCK) * BLOCK));
      const shared = { sharedOutputs: threads > 1, sharedInputs: threads > 1 };
      return execute(kind, backend, ins, Array.from({ length: a.outputs }, () => shape), (arrays, outs) => {
        const xs = (arrays as Float32Array[]).map((x, q) => (threads > 1 ? workerReadable(x, `linear-combine/${q}`) : x));
        const targets = outs.map((o) => (threads > 1 && !isShared(o) ? sharedFloat32(n) : o));
        runParallel(program, { xs, outs: targets, c: a.coefficients, bounds }, chunks);
        outs.forEach((o, r) => {
          if (targets[r] !== o) o.set(targets[r]!);
        });
      }, shared);
    },
  };
}
