/**
 * The gather-reduce (CSR message passing) kernels in WGSL: the forward pull
 * (one invocation per row and feature, edges in CSR order), d values (a
 * scatter over the edges with float compare-and-swap atomics into a zeroed
 * output: the sums' order varies between runs, so the last bits may too), and
 * d weights (one invocation per row, writing each of its edges).
 *
 * Every array is bound in blocks (./blocks.ts): the rows in row blocks (one
 * dispatch each, `rowPtr` and the row-sized arrays as views), the edges
 * (`colIdx`, `weights`) and the values read through a neighbour's index as
 * groups of blocks behind accessors. Where the blocks exceed the bindings a
 * shader may have, the edges and values are taken a group at a time, each
 * dispatch adding to what the previous one wrote (`first` says which is
 * first). With one group of each (the arrays within the binding limit) the
 * forward adds in CSR order, as before.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { GATHER_REDUCE, GATHER_REDUCE_GRAD_VALUES, GATHER_REDUCE_GRAD_WEIGHTS, GATHER_REDUCE_UNWEIGHTED } from '../kernel-names.js';
import { bindingsLeft, BLOCK_UNIT, blockElements, blockGroup, blockIndices, groups, ranges, view, zeroBlocks, type BlockGroup } from './blocks.js';
import { ATOMIC_ADD_F32_WGSL, flatProgram, run, type ProgramUniform, type WebgpuBackendLike } from './program.js';

type Info = tf.TensorInfo;
const features = (shape: number[]): number => (shape.length === 2 ? shape[1]! : 1);
const rowsOf = (shape: number[]): number => shape[0] ?? 1;
const sizeOf = (t: Info): number => t.shape.reduce((a, b) => a * b, 1);
const int = (v: number): ProgramUniform => ({ type: 'int32', data: [v] });

/** Rows per row block: `f` values per row and `rowPtr`'s extra entry within one block, in whole units. */
function rowBlock(block: number, f: number): number {
  return Math.max(BLOCK_UNIT, Math.floor((block - BLOCK_UNIT) / f / BLOCK_UNIT) * BLOCK_UNIT);
}

/** The edge groups (`colIdx` and `weights` blocks side by side) and value groups of one program, within `left` bindings. */
function plan(edges: number, values: number, block: number, left: number, weighted: boolean, withValues: boolean): { edgeGroups: number[][]; valueGroups: number[][] } {
  const vBlocks = blockIndices(values, block);
  const eBlocks = blockIndices(edges, block);
  const perEdge = weighted ? 2 : 1;
  const gv = withValues ? Math.min(vBlocks.length, Math.max(1, Math.floor(left / 2))) : 0;
  const ge = Math.max(1, Math.floor((left - gv) / perEdge));
  return { edgeGroups: groups(eBlocks, ge), valueGroups: withValues ? groups(vBlocks, gv) : [[0]] };
}

const edgeWgsl = (cols: BlockGroup, w: BlockGroup | null): string => cols.wgsl + (w === null ? '' : `\n${w.wgsl}`);

const forward: tf.KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WebgpuBackendLike;
  const { values, rowPtr, colIdx, weights } = inputs as Record<string, Info>;
  const f = features(values.shape);
  const rows = rowsOf(values.shape);
  const w = weights !== undefined;
  const edges = sizeOf(colIdx);
  const out = b.makeTensorInfo(values.shape.slice(), 'float32');
  if (rows * f === 0) return out;
  const block = blockElements(b);
  if (edges === 0) return zeroBlocks(b, out, rows * f, block);
  const { edgeGroups, valueGroups } = plan(edges, rows * f, block, bindingsLeft(b, 2), w, true);
  for (const [r0, r1] of ranges(rows, rowBlock(block, f))) {
    const n = (r1 - r0) * f;
    const target = view(out, r0 * f, n);
    const rp = view(rowPtr, r0, r1 - r0 + 1);
    let first = 1;
    for (const eg of edgeGroups) {
      const cols = blockGroup('colIdx', colIdx, block, eg, 'i32');
      const ws = w ? blockGroup('weights', weights, block, eg, 'f32') : null;
      for (const vg of valueGroups) {
        const vals = blockGroup('values', values, block, vg, 'f32');
        const program = flatProgram(`gather_reduce_${w ? 'w' : 'u'}_${block}_${eg.length}_${vg.length}`, ['rowPtr', ...cols.names, ...(ws?.names ?? []), ...vals.names], [n], n, `
    let f = uniforms.features;
    let i = index / f;
    let k = index - i * f;
    var acc = 0.0;
    if (uniforms.first == 0) { acc = result[index]; }
    let lo = max(rowPtr[i], uniforms.e0);
    let hi = min(rowPtr[i + 1], uniforms.e1);
    for (var e = lo; e < hi; e++) {
      let s = colIdxAt(e - uniforms.e0) * f + k;
      if (s >= uniforms.v0 && s < uniforms.v1) { acc = acc + ${w ? 'weightsAt(e - uniforms.e0) * ' : ''}valuesAt(s - uniforms.v0); }
    }
    result[index] = acc;`, { uniforms: 'features : i32, e0 : i32, e1 : i32, v0 : i32, v1 : i32, first : i32,', prelude: `${edgeWgsl(cols, ws)}\n${vals.wgsl}` });
        run(b, program, [rp, ...cols.inputs, ...(ws?.inputs ?? []), ...vals.inputs], n, [int(f), int(cols.start), int(cols.end), int(vals.start), int(vals.end), int(first)], target);
        first = 0;
      }
    }
  }
  return out;
};

const gradValues: tf.KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WebgpuBackendLike;
  const { dy, rowPtr, colIdx, weights } = inputs as Record<string, Info>;
  const f = features(dy.shape);
  const rows = rowsOf(dy.shape);
  const total = rows * f;
  const w = weights !== undefined;
  const edges = sizeOf(colIdx);
  const block = blockElements(b);
  const out = b.makeTensorInfo(dy.shape.slice(), 'float32');
  if (total === 0) return out;
  zeroBlocks(b, out, total, block);
  if (edges === 0) return out;
  const { edgeGroups } = plan(edges, total, block, bindingsLeft(b, 3), w, false);
  for (const [v0, v1] of ranges(total, block)) {
    const target = view(out, v0, v1 - v0);
    for (const [r0, r1] of ranges(rows, rowBlock(block, f))) {
      const n = (r1 - r0) * f;
      const g = view(dy, r0 * f, n);
      const rp = view(rowPtr, r0, r1 - r0 + 1);
      for (const eg of edgeGroups) {
        const cols = blockGroup('colIdx', colIdx, block, eg, 'i32');
        const ws = w ? blockGroup('weights', weights, block, eg, 'f32') : null;
        const program = flatProgram(`gather_reduce_grad_values_${w ? 'w' : 'u'}_${block}_${eg.length}`, ['dy', 'rowPtr', ...cols.names, ...(ws?.names ?? [])], [v1 - v0], n, `
    let f = uniforms.features;
    let i = index / f;
    let k = index - i * f;
    let g = dy[index];
    if (g != 0.0) {
      let lo = max(rowPtr[i], uniforms.e0);
      let hi = min(rowPtr[i + 1], uniforms.e1);
      for (var e = lo; e < hi; e++) {
        let s = colIdxAt(e - uniforms.e0) * f + k;
        if (s >= uniforms.v0 && s < uniforms.v1) { atomicAddF32(s - uniforms.v0, ${w ? 'weightsAt(e - uniforms.e0) * ' : ''}g); }
      }
    }`, { uniforms: 'features : i32, e0 : i32, e1 : i32, v0 : i32, v1 : i32,', atomic: true, prelude: `${edgeWgsl(cols, ws)}\n${ATOMIC_ADD_F32_WGSL}` });
        run(b, program, [g, rp, ...cols.inputs, ...(ws?.inputs ?? [])], n, [int(f), int(cols.start), int(cols.end), int(v0), int(v1)], target);
      }
    }
  }
  return out;
};

const gradWeights: tf.KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WebgpuBackendLike;
  const { dy, values, rowPtr, colIdx } = inputs as Record<string, Info>;
  const f = features(dy.shape);
  const rows = rowsOf(dy.shape);
  const edges = sizeOf(colIdx);
  const block = blockElements(b);
  const out = b.makeTensorInfo(colIdx.shape.slice(), 'float32');
  if (edges === 0) return out;
  const { valueGroups } = plan(0, sizeOf(values), block, bindingsLeft(b, 4), false, true);
  for (const [e0, e1] of ranges(edges, block)) {
    const target = view(out, e0, e1 - e0);
    const cols = view(colIdx, e0, e1 - e0);
    let first = 1;
    for (const vg of valueGroups) {
      const vals = blockGroup('values', values, block, vg, 'f32');
      for (const [r0, r1] of ranges(rows, rowBlock(block, f))) {
        const n = r1 - r0;
        const program = flatProgram(`gather_reduce_grad_weights_${block}_${vg.length}`, ['dy', 'rowPtr', 'colIdx', ...vals.names], [e1 - e0], n, `
    let f = uniforms.features;
    let lo = max(rowPtr[index], uniforms.e0);
    let hi = min(rowPtr[index + 1], uniforms.e1);
    for (var e = lo; e < hi; e++) {
      var acc = 0.0;
      if (uniforms.first == 0) { acc = result[e - uniforms.e0]; }
      let c = colIdx[e - uniforms.e0] * f;
      for (var k = 0; k < f; k++) {
        let s = c + k;
        if (s >= uniforms.v0 && s < uniforms.v1) { acc = acc + dy[index * f + k] * valuesAt(s - uniforms.v0); }
      }
      result[e - uniforms.e0] = acc;
    }`, { uniforms: 'features : i32, e0 : i32, e1 : i32, v0 : i32, v1 : i32, first : i32,', prelude: vals.wgsl });
        run(b, program, [view(dy, r0 * f, n * f), view(rowPtr, r0, n + 1), cols, ...vals.inputs], n, [int(f), int(e0), int(e1), int(vals.start), int(vals.end), int(first)], target);
      }
      first = 0;
    }
  }
  return out;
};

/** The gather-reduce kernel functions on webgpu. */
export function gatherReduceWebgpu(): Record<string, tf.KernelFunc> {
  return {
    [GATHER_REDUCE]: forward,
    [GATHER_REDUCE_UNWEIGHTED]: forward,
    [GATHER_REDUCE_GRAD_VALUES]: gradValues,
    [GATHER_REDUCE_GRAD_WEIGHTS]: gradWeights,
  };
}
