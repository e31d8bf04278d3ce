/**
 * The fused fast paths (RK4, and Dormand-Prince with independent steps per system): when a component also declares `pointwise` (its
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
import { A, C, E } from './steppers.js';

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

/** The per-system arrays of a fused loop: state, parameters and inputs of system `i` loaded by `load(i)` into `state`, `p`, `x`. */
function pointwiseSystems(component: OdeComponent, y: OdeVector, params: Readonly<Record<string, tf.Tensor>>, inputs: Readonly<Record<string, tf.Tensor>>, shape: readonly number[]) {
  const f = component.pointwise!;
  const names = Object.keys(component.state);
  const size = shape.reduce((a, b) => a * b, 1);
  const nv = names.length;
  const ys = names.map((k) => y[k]!.dataSync());
  const ps = Object.keys(component.parameters).map((k) => column(params[k]!, size, `parameter '${k}'`));
  const xs = Object.keys(component.inputs).map((k) => column(inputs[k]!, size, `input '${k}'`));
  const state = new Float64Array(nv);
  const p = new Float64Array(ps.length);
  const x = new Float64Array(xs.length);
  const load = (i: number) => {
    for (let v = 0; v < nv; v++) state[v] = ys[v]![i]!;
    for (let q = 0; q < ps.length; q++) p[q] = ps[q]!.values[i * ps[q]!.stride]!;
    for (let q = 0; q < xs.length; q++) x[q] = xs[q]!.values[i * xs[q]!.stride]!;
  };
  return { f, names, size, nv, out: names.map(() => new Float32Array(size)), state, p, x, load };
}

/** `n` RK4 steps of length `h` from `t0` for every system. */
export function fusedRk4(component: OdeComponent, y: OdeVector, params: Readonly<Record<string, tf.Tensor>>, inputs: Readonly<Record<string, tf.Tensor>>, shape: readonly number[], t0: number, h: number, n: number): OdeVector {
  const { f, names, size, nv, out, state, p, x, load } = pointwiseSystems(component, y, params, inputs, shape);
  const stage = new Float64Array(nv);
  const k1 = new Float64Array(nv);
  const k2 = new Float64Array(nv);
  const k3 = new Float64Array(nv);
  const k4 = new Float64Array(nv);
  const half = h / 2;
  for (let i = 0; i < size; i++) {
    load(i);
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


/** What the fused Dormand-Prince loop reports besides the states. */
export interface FusedAdaptiveResult {
  readonly y: OdeVector;
  /** The most steps any system took (accepted and rejected). */
  readonly steps: number;
  readonly rejected: number;
  /** Each system's last step size, to start the next interval with. */
  readonly h: Float64Array;
  /** A system that hit the step limit (-1 if none), and where. */
  readonly stuck: { readonly index: number; readonly time: number; readonly h: number };
}

/**
 * Dormand-Prince 5(4) with truly independent steps per system (the same tableau, error norm and
 * controller as the tensor path): each system's loop runs to `t1` on its own.
 */
export function fusedDopri5(component: OdeComponent, y: OdeVector, params: Readonly<Record<string, tf.Tensor>>, inputs: Readonly<Record<string, tf.Tensor>>, shape: readonly number[], t0: number, t1: number, tol: { rtol: number; atol: number; maxSteps: number }, h0: Float64Array | number): FusedAdaptiveResult {
  const { f, names, size, nv, out, state, p, x, load } = pointwiseSystems(component, y, params, inputs, shape);
  const hOut = new Float64Array(size);
  const stage = new Float64Array(nv);
  const k = Array.from({ length: 7 }, () => new Float64Array(nv));
  let maxIterations = 0;
  let rejected = 0;
  let stuck = { index: -1, time: 0, h: 0 };
  for (let i = 0; i < size && stuck.index < 0; i++) {
    load(i);
    let t = t0;
    let h = typeof h0 === 'number' ? h0 : h0[i]!;
    let iterations = 0;
    f(t, state, p, x, k[0]!);
    while (t < t1) {
      if (iterations >= tol.maxSteps) {
        stuck = { index: i, time: t, h };
        break;
      }
      iterations++;
      const last = h >= t1 - t;
      const step = last ? t1 - t : h;
      for (let s = 1; s < 7; s++) {
        const a = A[s]!;
        for (let v = 0; v < nv; v++) {
          let acc = state[v]!;
          for (let j = 0; j < s; j++) acc += step * a[j]! * k[j]![v]!;
          stage[v] = acc;
        }
        f(t + C[s]! * step, stage, p, x, k[s]!);
      }
      // stage holds the fifth-order solution (the seventh stage's argument)
      let sum = 0;
      for (let v = 0; v < nv; v++) {
        let err = 0;
        for (let j = 0; j < 7; j++) err += E[j]! * k[j]![v]!;
        const scale = tol.atol + tol.rtol * Math.max(Math.abs(state[v]!), Math.abs(stage[v]!));
        sum += ((step * err) / scale) ** 2;
      }
      const norm = Math.sqrt(sum / nv);
      if (norm <= 1) {
        for (let v = 0; v < nv; v++) {
          state[v] = stage[v]!;
          k[0]![v] = k[6]![v]!;
        }
        t = last ? t1 : t + step;
      } else rejected++;
      const factor = Number.isNaN(norm) ? 0.2 : Math.min(5, Math.max(0.2, 0.9 * Math.max(norm, 1e-10) ** -0.2));
      h = step * factor;
    }
    maxIterations = Math.max(maxIterations, iterations);
    hOut[i] = h;
    for (let v = 0; v < nv; v++) out[v]![i] = state[v]!;
  }
  const result = Object.fromEntries(names.map((name, v) => [name, tf.tensor(out[v]!, [...shape], 'float32')]));
  return { y: result, steps: maxIterations, rejected, h: hOut, stuck };
}
