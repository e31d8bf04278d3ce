/**
 * Message passing over hashed random contacts (see HASHED_GATHER).
 */
import { PopulaceError } from '../../errors.js';
import { indexAt } from '../../random.js';
import { tf } from '../../tf.js';
import { gatherReduceReference } from './gather-reduce-reference.js';
import { HASHED_GATHER } from '../kernel-names.js';

/** An implicit contact graph: agent i's in-contacts are uint32At(key, i * degree + j) % N, j < degree. */
export interface HashedContacts {
  readonly kind: 'hashed';
  readonly degree: number;
  /** uint32 key of the hash (from streamKey). */
  readonly key: number;
}

/** The explicit CSR arrays of a hashed graph (for references, tests and small exports). */
export function hashedContactsCsr(agents: number, degree: number, key: number): { rowPtr: Int32Array; colIdx: Int32Array } {
  const rowPtr = new Int32Array(agents + 1);
  const colIdx = new Int32Array(agents * degree);
  for (let i = 0; i < agents; i++) {
    rowPtr[i + 1] = (i + 1) * degree;
    for (let j = 0; j < degree; j++) colIdx[i * degree + j] = indexAt(key, i * degree + j, agents);
  }
  return { rowPtr, colIdx };
}

/**
 * `out[i] = sum over i's hashed in-contacts c of values[c]` for float32 values [N], differentiable,
 * with no stored edges (a kernel on cpu and wasm; an explicit CSR and stock ops elsewhere).
 *
 * @example
 * ```ts
 * const pressure = hashedGather(infected, { kind: 'hashed', degree: 10, key });
 * ```
 */
export function hashedGather(values: tf.Tensor, graph: HashedContacts): tf.Tensor {
  if (values.dtype !== 'float32' || values.rank !== 1) {
    throw new PopulaceError('invalid-argument', `hashedGather: expected float32 values [N], received ${values.dtype} [${values.shape.join(', ')}].`);
  }
  if (!Number.isInteger(graph.degree) || graph.degree < 0 || values.size * graph.degree > 2 ** 32) {
    throw new PopulaceError('invalid-argument', `hashedGather: expected a non-negative integer degree with agents * degree <= 2^32, received degree ${graph.degree} for ${values.size} agents.`);
  }
  if (tf.getKernel(HASHED_GATHER, tf.getBackend()) != null) {
    return tf.engine().runKernel(HASHED_GATHER, { values }, { degree: graph.degree, key: graph.key >>> 0 } as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  return tf.tidy(() => {
    const csr = hashedContactsCsr(values.size, graph.degree, graph.key >>> 0);
    return gatherReduceReference(values, { rowPtr: tf.tensor1d(csr.rowPtr, 'int32'), colIdx: tf.tensor1d(csr.colIdx, 'int32') });
  });
}
