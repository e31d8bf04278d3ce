/**
 * Message passing over a CSR contact graph: the hot population operation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PopulaceError } from '../../errors.js';
import { gatherReduceReference } from './gather-reduce-reference.js';
import { GATHER_REDUCE, GATHER_REDUCE_UNWEIGHTED } from '../kernel-names.js';

/**
 * A contact graph in compressed sparse row form. Row `i` lists agent `i`'s
 * in-contacts (the agents it receives from): edges `rowPtr[i] .. rowPtr[i+1]-1`,
 * whose senders are `colIdx[e]` and whose weights are `weights[e]`.
 */
export interface CsrTensors {
  /** int32 `[N + 1]`: `rowPtr[0] = 0`, non-decreasing, `rowPtr[N] = E`. */
  rowPtr: tf.Tensor1D;
  /** int32 `[E]`: the sender of each edge, in `[0, N)`. */
  colIdx: tf.Tensor1D;
  /** float32 `[E]`: the weight of each edge; absent means all ones. */
  weights?: tf.Tensor1D;
}

function describe(t: tf.Tensor): string {
  return `${t.dtype} [${t.shape.join(', ')}]`;
}

function invalid(message: string, details: Record<string, unknown>): never {
  throw new PopulaceError('invalid-argument', `gatherReduce: ${message}.`, { details });
}

function validate(values: tf.Tensor, graph: CsrTensors): void {
  const { rowPtr, colIdx, weights } = graph;
  if (rowPtr.dtype !== 'int32' || rowPtr.rank !== 1 || rowPtr.size < 1) {
    invalid(`expected rowPtr int32 [N + 1] with N >= 0, received ${describe(rowPtr)}`, { rowPtr: describe(rowPtr) });
  }
  if (colIdx.dtype !== 'int32' || colIdx.rank !== 1) {
    invalid(`expected colIdx int32 [E], received ${describe(colIdx)}`, { colIdx: describe(colIdx) });
  }
  const n = rowPtr.size - 1;
  const e = colIdx.size;
  if (values.dtype !== 'float32' || (values.rank !== 1 && values.rank !== 2) || values.shape[0] !== n) {
    invalid(
      `expected values float32 [${n}] or [${n}, F] (N = rowPtr.size - 1 = ${n}), received ${describe(values)}`,
      { values: describe(values), n },
    );
  }
  if (weights !== undefined && (weights.dtype !== 'float32' || weights.rank !== 1 || weights.size !== e)) {
    invalid(`expected weights float32 [${e}] (E = colIdx.size), received ${describe(weights)}`, {
      weights: describe(weights),
      edges: e,
    });
  }
}

/**
 * Weighted message passing over a CSR contact graph:
 * `out[i] = sum_{e in [rowPtr[i], rowPtr[i+1])} w[e] * values[colIdx[e]]`,
 * per feature when `values` is `[N, F]`. Empty rows give 0; self-loops and
 * duplicate edges count once per edge.
 *
 * Runs as the custom kernel `PopulaceGatherReduce` when the active backend has
 * it (see `registerPopulaceKernels`: native on cpu and wasm, the portable
 * stock-op set of ./portable/ on any other backend), recorded on the tape with
 * a hand-written O(E) gradient (for `values`, a pull over the transposed
 * graph; for `weights`, a per-edge dot product). On a backend where nothing
 * was registered it falls back to a stock-op composition that tfjs
 * differentiates itself. The kernel interface is backend-neutral (tensors in,
 * no attributes), so a WGSL implementation registers under the same name.
 *
 * On cpu and wasm, graphs of 100k edges or more run on all cores (a worker
 * thread pool, see `setKernelThreads`; the graph is copied to shared memory
 * once), and when at most 3% of `values` rows are non-zero (early epidemics)
 * only the rows those senders reach are computed. Results are the same bits
 * whatever the thread count and path: each row sums its edges in CSR order
 * in float64 and rounds once. A graph used more than once gets a cached
 * transposed copy (O(E) memory, built on its second use).
 *
 * The graph's contents (rowPtr monotone, colIdx in range) are checked by the
 * kernel once per graph and cached; shapes and dtypes are checked on every call.
 *
 * @throws PopulaceError `invalid-argument` on wrong dtypes, ranks or sizes.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * registerPopulaceKernels(tf.getBackend()); // once, else the slow reference runs
 * // 3 agents; agent 0 hears 1 and 2, agent 1 hears nobody, agent 2 hears itself.
 * const graph = {
 *   rowPtr: tf.tensor1d([0, 2, 2, 3], 'int32'),
 *   colIdx: tf.tensor1d([1, 2, 2], 'int32'),
 *   weights: tf.tensor1d([0.5, 1, 2]),
 * };
 * const infected = tf.tensor1d([0, 1, 1]);
 * gatherReduce(infected, graph).print(); // [1.5, 0, 2]
 * ```
 */
export function gatherReduce(values: tf.Tensor, graph: CsrTensors): tf.Tensor {
  validate(values, graph);
  const { rowPtr, colIdx, weights } = graph;
  const name = weights === undefined ? GATHER_REDUCE_UNWEIGHTED : GATHER_REDUCE;
  if (tf.getKernel(name, tf.getBackend()) == null) return gatherReduceReference(values, graph);
  const inputs: tf.NamedTensorMap = weights === undefined ? { values, rowPtr, colIdx } : { values, rowPtr, colIdx, weights };
  return tf.engine().runKernel<tf.Tensor>(name, inputs, {});
}
