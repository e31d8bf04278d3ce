/**
 * The fused RK4 fast path: when a component also declares `pointwise` (its
 * derivative for one system, in plain numbers) and no gradient is being
 * recorded, RK4 runs every system's steps in one JavaScript loop over typed
 * arrays (each system's stages stay in a small Float64Array) instead of ~70
 * tensor ops per step over the whole batch, each allocating a new array. The
 * tensor path stays the reference (and the only path on the tape); the tests
 * check that both agree.
 */
import { tf } from '@populace/core';
import type { OdeComponent } from './component.js';
import type { OdeVector } from './system.js';

/** True when the fused path applies: a pointwise derivative, no tape, a backend that keeps data on the CPU. */
export function canFuse(component: OdeComponent): boolean {
  if (typeof component.pointwise !== 'function') return false;
  const recording = (tf.engine() as unknown as { state?: { gradientDepth?: number } }).state?.gradientDepth ?? 1;
  return recording === 0 && (tf.getBackend() === 'cpu' || tf.getBackend() === 'wasm');
}

/** Values of a scalar or per-system tensor, with the stride to index them by system (0 for a scalar). */
function column(t: tf.Tensor, size: number, what: string): { values: ArrayLike<number>; stride: number } {
  if (t.size === 1) return { values: t.dataSync(), stride: 0 };
  if (t.size !== size) throw new Error(`fused RK4: ${what} has ${t.size} values for ${size} systems`);
  return { values: t.dataSync(), stride: 1 };
}

/** `n` RK4 steps of length `h` from `t0` for every system. */
export function fusedRk4(component: OdeComponent, y: OdeVector, params: Readonly<Record<string, tf.Tensor>>, inputs: Readonly<Record<string, tf.Tensor>>, shape: readonly number[], t0: number, h: number, n: number): OdeVector {
  const f = component.pointwise!;
  const names = Object.keys(component.state);
  const size = shape.reduce((a, b) => a * b, 1);
  const nv = names.length;
  const ys = names.map((k) => y[k]!.dataSync());
  const ps = Object.keys(component.parameters).map((k) => column(params[k]!, size, `parameter '${k}'`));
  const xs = Object.keys(component.inputs).map((k) => column(inputs[k]!, size, `input '${k}'`));
  const out = names.map(() => new Float32Array(size));
  const state = new Float64Array(nv);
  const stage = new Float64Array(nv);
  const k1 = new Float64Array(nv);
  const k2 = new Float64Array(nv);
  const k3 = new Float64Array(nv);
  const k4 = new Float64Array(nv);
  const p = new Float64Array(ps.length);
  const x = new Float64Array(xs.length);
  const half = h / 2;
  for (let i = 0; i < size; i++) {
    for (let v = 0; v < nv; v++) state[v] = ys[v]![i]!;
    for (let q = 0; q < ps.length; q++) p[q] = ps[q]!.values[i * ps[q]!.stride]!;
    for (let q = 0; q < xs.length; q++) x[q] = xs[q]!.values[i * xs[q]!.stride]!;
    for (let s = 0; s < n; s++) {
      const t = t0 + s * h;
      f(t, state, p, x, k1);
      for (let v = 0; v < nv; v++) stage[v] = state[v]! + half * k1[v]!;
      f(t + half, stage, p, x, k2);
      for (let v = 0; v < nv; v++) stage[v] = state[v]! + half * k2[v]!;
      f(t + half, stage, p, x, k3);
      for (let v = 0; v < nv; v++) stage[v] = state[v]! + h * k3[v]!;
      f(t + h, stage, p, x, k4);
      for (let v = 0; v < nv; v++) state[v] = state[v]! + (h / 6) * (k1[v]! + 2 * (k2[v]! + k3[v]!) + k4[v]!);
    }
    for (let v = 0; v < nv; v++) out[v]![i] = state[v]!;
  }
  return Object.fromEntries(names.map((k, v) => [k, tf.tensor(out[v]!, [...shape], 'float32')]));
}
