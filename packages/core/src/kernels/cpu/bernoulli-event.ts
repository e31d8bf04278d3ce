/**
 * The fused Bernoulli-event kernels on cpu and wasm: the draw (counter-based,
 * generated inside the loop: no uniform tensor is materialised), the hazard
 * transform, the mask, and a one-pass backward for all three inputs (the
 * gradient that runs it: ../gradients/bernoulli-event.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { execute, type Backends, type Info } from './backend-io.js';
import { BERNOULLI_PROGRAM, bernoulliTuning, type BernoulliJob } from './bernoulli-event-worker.js';
import { BERNOULLI_EVENT, BERNOULLI_EVENT_GRAD, type BernoulliEventAttrs } from '../kernel-names.js';
import { isShared, poolThreads, runParallel, sharedFloat32, workerReadable } from '../pool/worker-pool.js';

/** Chunks of a call over `n` elements: one below the parallel threshold, else fixed-size ones. */
const chunksOf = (n: number): number => (n < bernoulliTuning.parallelMin ? 1 : Math.ceil(n / bernoulliTuning.chunk));

/** Runs a job's chunks (over the pool when there are several and it has threads), writing through shared copies where needed. */
function run(job: BernoulliJob, chunks: number, outs: Float32Array[], targets: Float32Array[]): void {
  runParallel(BERNOULLI_PROGRAM, job, chunks);
  outs.forEach((out, k) => {
    if (targets[k] !== out) out.set(targets[k]!);
  });
}

/** The Bernoulli-event kernel functions of one backend. */
export function bernoulliEventKernels(kind: Backends): Record<string, tf.KernelFunc> {
  return {
    [BERNOULLI_EVENT]: ({ inputs, backend, attrs }) => {
      const { p, x, mask, clock } = inputs as Record<string, Info>;
      const a = attrs as unknown as BernoulliEventAttrs;
      const n = a.shape.reduce((s, d) => s * d, 1);
      const chunks = chunksOf(n);
      const parallel = chunks > 1 && poolThreads() > 1;
      return execute(kind, backend, [p, x, mask, clock], [[...a.shape]], (ins, [out]) => {
        const [pv, xv, mv, cv] = (ins as Float32Array[]).map((v, k) => (parallel ? workerReadable(v, `bernoulli/${k}`) : v));
        const target = parallel && !isShared(out!) ? sharedFloat32(n) : out!;
        const common = { n, p: pv!, x: xv!, m: mv!, c: cv!, key: a.key >>> 0, hazard: a.hazard, jump: a.jump, chunk: chunks === 1 ? Math.max(n, 1) : bernoulliTuning.chunk };
        run({ op: 'forward', ...common, out: target }, chunks, [out!], [target]);
      }, { sharedOutputs: parallel, sharedInputs: parallel })[0]!;
    },
    [BERNOULLI_EVENT_GRAD]: ({ inputs, backend, attrs }) => {
      const { dy, p, x, mask, clock } = inputs as Record<string, Info>;
      const a = attrs as unknown as BernoulliEventAttrs;
      const n = dy.shape.reduce((s, d) => s * d, 1);
      const chunks = chunksOf(n);
      const parallel = chunks > 1 && poolThreads() > 1;
      return execute(kind, backend, [dy, p, x, mask, clock], [p.shape.slice(), x.shape.slice(), mask.shape.slice()], (ins, outs) => {
        const [g, pv, xv, mv, cv] = (ins as Float32Array[]).map((v, k) => (parallel ? workerReadable(v, `bernoulli/${k}`) : v));
        // Every per-element output is written by its chunk; broadcast ones get the chunk sums in order.
        const targets = outs.map((o) => (parallel && o.length > 1 && !isShared(o) ? sharedFloat32(o.length) : o));
        const partials = new Float64Array(parallel ? new SharedArrayBuffer(24 * chunks) : new ArrayBuffer(24 * chunks));
        const common = { n, p: pv!, x: xv!, m: mv!, c: cv!, key: a.key >>> 0, hazard: a.hazard, jump: a.jump, chunk: chunks === 1 ? Math.max(n, 1) : bernoulliTuning.chunk };
        const [dp, dx, dm] = targets as [Float32Array, Float32Array, Float32Array];
        run({ op: 'backward', ...common, dy: g!, dp, dx, dm, partials }, chunks, outs, targets);
        outs.forEach((o, k) => {
          if (o.length !== 1) return;
          let acc = 0;
          for (let c = 0; c < chunks; c++) acc += partials[3 * c + k]!;
          o[0] = acc;
        });
      }, { sharedOutputs: parallel, sharedInputs: parallel });
    },
  };
}
