/**
 * Names, inputs and attributes of Populace's custom tfjs kernels, in one place
 * (the way tfjs-core's `kernel_names.ts` does it). Every input is a tensor and
 * every attribute a plain number, so a kernel can be implemented on any backend
 * (cpu, wasm today; a WGSL one later) without changing the callers.
 */
import type { NamedTensorInfoMap } from '@tensorflow/tfjs-core';

/**
 * Weighted message passing over a CSR graph:
 * `out[i] = sum_{e in [rowPtr[i], rowPtr[i+1])} weights[e] * values[colIdx[e]]`.
 * `values` is float32 `[N]` or `[N, F]`; `rowPtr` int32 `[N + 1]`;
 * `colIdx` int32 `[E]`; `weights` float32 `[E]`. Output: float32, shape of `values`.
 */
export const GATHER_REDUCE = 'PopulaceGatherReduce';
/** Inputs of {@link GATHER_REDUCE}. */
export type GatherReduceInputs = Pick<NamedTensorInfoMap, 'values' | 'rowPtr' | 'colIdx' | 'weights'>;

/**
 * {@link GATHER_REDUCE} with all weights equal to one. A separate kernel (not an
 * optional input) because tfjs saves a gradient's `inputsToSave` by name and
 * fails on a missing input.
 */
export const GATHER_REDUCE_UNWEIGHTED = 'PopulaceGatherReduceUnweighted';
/** Inputs of {@link GATHER_REDUCE_UNWEIGHTED}. */
export type GatherReduceUnweightedInputs = Pick<NamedTensorInfoMap, 'values' | 'rowPtr' | 'colIdx'>;

/**
 * Backward of gather-reduce with respect to `values`, the transposed scatter:
 * `dValues[colIdx[e]] += weights[e] * dy[i]` for every edge `e` of row `i`.
 * `weights` is optional (absent = ones). Output: float32, shape of `dy`.
 */
export const GATHER_REDUCE_GRAD_VALUES = 'PopulaceGatherReduceGradValues';
/** Inputs of {@link GATHER_REDUCE_GRAD_VALUES}; `weights` may be absent. */
export type GatherReduceGradValuesInputs = Pick<NamedTensorInfoMap, 'dy' | 'rowPtr' | 'colIdx'> &
  Partial<Pick<NamedTensorInfoMap, 'weights'>>;

/**
 * Backward of gather-reduce with respect to `weights`:
 * `dWeights[e] = sum_f dy[i, f] * values[colIdx[e], f]` for every edge `e` of row `i`.
 * Output: float32 `[E]`.
 */
export const GATHER_REDUCE_GRAD_WEIGHTS = 'PopulaceGatherReduceGradWeights';
/** Inputs of {@link GATHER_REDUCE_GRAD_WEIGHTS}. */
export type GatherReduceGradWeightsInputs = Pick<NamedTensorInfoMap, 'dy' | 'values' | 'rowPtr' | 'colIdx'>;

/** The gather-reduce kernels take no attributes; the shapes carry everything. */
export type GatherReduceAttrs = Record<string, never>;

/**
 * Message passing over an implicit random graph whose edges are never stored:
 * agent i's in-contacts are `uint32At(key, i * degree + j) % N` for j < degree
 * (the same graph as a stored CSR built from those numbers), so
 * `out[i] = sum_j values[contact(i, j)]`. Input `values` float32 `[N]`;
 * attributes `degree` and `key`. Memory: nothing per edge.
 */
export const HASHED_GATHER = 'PopulaceHashedGather';
/** Attributes of {@link HASHED_GATHER} and its backward. */
export interface HashedGatherAttrs {
  degree: number;
  key: number;
}
/** Backward of {@link HASHED_GATHER}: `dValues[contact(i, j)] += dy[i]` (input `dy`). */
export const HASHED_GATHER_GRAD = 'PopulaceHashedGatherGrad';

/** Every kernel name Populace registers, forward and backward. */

/**
 * A fused Bernoulli event with a counter-based draw: for each element i,
 * `prob = hazard ? 1 - exp(-p[i] * x[i]) : p[i]`,
 * `u = uniformAt(key, clockedIndex(clock[i], i, N))` (../random.ts; clock 0 gives counter i),
 * `out[i] = (u < prob ? 1 : 0) * mask[i]`. `p`, `x`, `mask` and `clock` (non-negative integers
 * held as float32) are of size 1 (broadcast) or N. Attributes: `shape` (the output shape), `key` (the
 * uint32 stream key), `hazard` and `jump` (0 or 1; `jump` selects the
 * jump-weighted surrogate gradient instead of straight-through).
 */
export const BERNOULLI_EVENT = 'PopulaceBernoulliEvent';
/** Inputs of {@link BERNOULLI_EVENT}. */
export type BernoulliEventInputs = Pick<NamedTensorInfoMap, 'p' | 'x' | 'mask' | 'clock'>;
/** Attributes of {@link BERNOULLI_EVENT} (and of its backward kernel). */
export interface BernoulliEventAttrs {
  shape: number[];
  key: number;
  hazard: number;
  jump: number;
  /** 1 when a clock was given (0: the clock input is the scalar 0, and kernels may skip it). */
  clocked: number;
}
/** Backward of {@link BERNOULLI_EVENT}: inputs `dy`, `p`, `x`, `mask`, `clock`; outputs d p, d x, d mask (shapes of the inputs). */
export const BERNOULLI_EVENT_GRAD = 'PopulaceBernoulliEventGrad';

/**
 * A linear combination of same-shape inputs in one pass:
 * `out[k][i] = sum_j coefficients[k * J + j] * in[j][i]` for K outputs and J inputs
 * (compartment flows are the common case). Inputs are named `x0 .. x{J-1}`;
 * attributes `outputs` (K) and `coefficients` (K * J, row-major). Its gradient is
 * the same kernel with the transposed coefficients.
 */
export const LINEAR_COMBINE = 'PopulaceLinearCombine';
/** Attributes of {@link LINEAR_COMBINE}. */
export interface LinearCombineAttrs {
  outputs: number;
  coefficients: number[];
}

/** Every kernel name Populace registers, forward and backward. */
export const POPULACE_KERNEL_NAMES: readonly string[] = [
  GATHER_REDUCE,
  GATHER_REDUCE_UNWEIGHTED,
  GATHER_REDUCE_GRAD_VALUES,
  GATHER_REDUCE_GRAD_WEIGHTS,
  BERNOULLI_EVENT,
  BERNOULLI_EVENT_GRAD,
  LINEAR_COMBINE,
  HASHED_GATHER,
  HASHED_GATHER_GRAD,
];

/**
 * The sum of every element of a float32 tensor, as a scalar: inputs `x`. Large
 * inputs are summed on the kernel worker pool in fixed chunks with float64
 * partials added in chunk order (the same bits for any thread count).
 */
export const SUM_ALL = 'PopulaceSumAll';
