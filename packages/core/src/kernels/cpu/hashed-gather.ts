/**
 * Message passing over implicit (hashed) random contacts on cpu and wasm:
 * the contacts are recomputed from a counter-based hash instead of read from
 * memory, so a 100-million-agent graph costs no edge storage.
 */
import * as tf from '@tensorflow/tfjs-core';
import { indexAt } from '../../random.js';
import { execute, type Backends, type Info } from './backend-io.js';
import { packBinary } from './binary-bits.js';
import { chunksFor, gatherReduceTuning } from './gather-reduce-graphs.js';
import { HASHED_GATHER_PROGRAM } from './hashed-gather-worker.js';
import { HASHED_GATHER, HASHED_GATHER_GRAD, type HashedGatherAttrs } from '../kernel-names.js';
import { isShared, poolThreads, runParallel, sharedFloat32, workerReadable } from '../pool/worker-pool.js';

/**
 * Pull: out[i] = sum_j v[contact(i, j)]. From `gatherReduceTuning.minEdges`
 * contacts it runs on the worker pool; 0/1 values are bit-packed first (as
 * the stored-graph gather does), other values are shared as they are or copied.
 */
function gather(kind: Backends, v: Float32Array, degree: number, key: number, out: Float32Array): void {
  const n = v.length;
  const threads = n * degree >= gatherReduceTuning.minEdges ? poolThreads() : 1;
  const chunks = chunksFor(threads);
  const bits = gatherReduceTuning.packBinary ? packBinary(v, n) : null;
  const values = bits !== null ? null : threads > 1 ? workerReadable(v, 'hashed-gather/values') : v;
  const bounds = Int32Array.from({ length: chunks + 1 }, (_, c) => Math.floor((n * c) / chunks));
  const dst = threads > 1 && !isShared(out) ? sharedFloat32(n) : out;
  runParallel(HASHED_GATHER_PROGRAM, { n, degree, key, v: values, bits, out: dst, bounds }, chunks);
  if (dst !== out) out.set(dst);
}

/** Push (the transpose): dv[contact(i, j)] += dy[i]. */
function scatterLoop(dy: Float32Array, degree: number, key: number, out: Float32Array): void {
  const n = dy.length;
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const g = dy[i]!;
    if (g === 0) continue;
    const base = i * degree;
    for (let j = 0; j < degree; j++) out[indexAt(key, base + j, n)] += g;
  }
}

/** The hashed-gather kernel functions of one backend. */
export function hashedGatherKernels(kind: Backends): Record<string, tf.KernelFunc> {
  return {
    [HASHED_GATHER]: ({ inputs, backend, attrs }) => {
      const { values } = inputs as Record<string, Info>;
      const a = attrs as unknown as HashedGatherAttrs;
      const large = values.shape[0]! * a.degree >= gatherReduceTuning.minEdges;
      const shared = { sharedOutputs: large, sharedInputs: large };
      return execute(kind, backend, [values], [values.shape.slice()], ([v], [out]) => gather(kind, v as Float32Array, a.degree, a.key >>> 0, out!), shared)[0]!;
    },
    [HASHED_GATHER_GRAD]: ({ inputs, backend, attrs }) => {
      const { dy } = inputs as Record<string, Info>;
      const a = attrs as unknown as HashedGatherAttrs;
      return execute(kind, backend, [dy], [dy.shape.slice()], ([g], [out]) => scatterLoop(g as Float32Array, a.degree, a.key >>> 0, out!))[0]!;
    },
  };
}
