/**
 * Message passing over implicit (hashed) random contacts on cpu and wasm:
 * the contacts are recomputed from a counter-based hash instead of read from
 * memory, so a 100-million-agent graph costs no edge storage.
 */
import * as tf from '@tensorflow/tfjs';
import { uint32At } from '../random.js';
import { execute, type Backends, type Info } from './backend-io.js';
import { HASHED_GATHER, HASHED_GATHER_GRAD, type HashedGatherAttrs } from './kernel-names.js';

/** Pull: out[i] = sum_j v[contact(i, j)]. */
function gatherLoop(v: Float32Array, degree: number, key: number, out: Float32Array): void {
  const n = v.length;
  for (let i = 0; i < n; i++) {
    let acc = 0;
    const base = i * degree;
    for (let j = 0; j < degree; j++) acc += v[uint32At(key, base + j) % n]!;
    out[i] = acc;
  }
}

/** Push (the transpose): dv[contact(i, j)] += dy[i]. */
function scatterLoop(dy: Float32Array, degree: number, key: number, out: Float32Array): void {
  const n = dy.length;
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const g = dy[i]!;
    if (g === 0) continue;
    const base = i * degree;
    for (let j = 0; j < degree; j++) out[uint32At(key, base + j) % n] += g;
  }
}

/** The hashed-gather kernel functions of one backend. */
export function hashedGatherKernels(kind: Backends): Record<string, tf.KernelFunc> {
  return {
    [HASHED_GATHER]: ({ inputs, backend, attrs }) => {
      const { values } = inputs as Record<string, Info>;
      const a = attrs as unknown as HashedGatherAttrs;
      return execute(kind, backend, [values], [values.shape.slice()], ([v], [out]) => gatherLoop(v as Float32Array, a.degree, a.key >>> 0, out!))[0]!;
    },
    [HASHED_GATHER_GRAD]: ({ inputs, backend, attrs }) => {
      const { dy } = inputs as Record<string, Info>;
      const a = attrs as unknown as HashedGatherAttrs;
      return execute(kind, backend, [dy], [dy.shape.slice()], ([g], [out]) => scatterLoop(g as Float32Array, a.degree, a.key >>> 0, out!))[0]!;
    },
  };
}

/** Gradient of the hashed gather: its transpose. */
export const HASHED_GATHER_GRADIENTS: tf.GradConfig[] = [
  {
    kernelName: HASHED_GATHER,
    gradFunc: (dy, _saved, attrs) => ({ values: () => tf.engine().runKernel(HASHED_GATHER_GRAD, { dy: dy as tf.Tensor }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor }),
  },
];
