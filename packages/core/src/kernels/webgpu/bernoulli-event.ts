/**
 * The fused Bernoulli event in WGSL: the draw `uniformAt(key, i)` (the same
 * float as on cpu: see ./program.ts), the hazard transform, the mask, and the
 * backward for p, exposure and mask. A broadcast (one-value) input's gradient
 * is the per-element gradient summed on the device.
 *
 * On cpu the threshold `1 - exp(-p x)` is computed in float64; here in
 * float32 (with a series for small `p x`, where `1 - exp` would cancel), so an
 * event can differ only where the uniform lies within float32 rounding of the
 * threshold: about once in 10^7 draws. Without an exposure the threshold is
 * `p` itself and every event is the cpu's.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { BERNOULLI_EVENT, BERNOULLI_EVENT_GRAD, type BernoulliEventAttrs } from '../kernel-names.js';
import { checkBindings, flatProgram, MIX32_WGSL, run, sumAllTo, type WebgpuBackendLike } from './program.js';

type Info = tf.TensorInfo;
const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Reads of p, x, mask and clock (`pAt(i)` etc.) for one broadcast pattern, the threshold and the clocked counter. */
function prelude(broadcast: boolean[]): string {
  const at = (name: string, one: boolean): string => `fn ${name}At(i : i32) -> f32 { return f32(${name}[${one ? '0' : 'i'}]); }`;
  return `${MIX32_WGSL}
${at('p', broadcast[0]!)}
${at('x', broadcast[1]!)}
${at('mask', broadcast[2]!)}
${at('clock', broadcast[3]!)}
// clockedIndex of ../../random.ts: (clock * n + i) mod 2^32 (u32 arithmetic wraps)
fn counterAt(i : i32) -> u32 {
  if (uniforms.clocked == 0) { return u32(i); }
  return u32(clockAt(i)) * uniforms.count + u32(i);
}
// 1 - exp(-r) without the cancellation of small r (series to r^4, error below r^5 / 120).
fn hazardProb(r : f32) -> f32 {
  if (r < 0.01) { return r * (1.0 - r * 0.5 * (1.0 - r / 3.0 * (1.0 - r * 0.25))); }
  return 1.0 - exp(-r);
}`;
}

const UNIFORMS = 'key : u32, hazard : i32, jump : i32, clocked : i32, count : u32,';
const uniformValues = (a: BernoulliEventAttrs, n: number) => [
  { type: 'uint32' as const, data: [a.key >>> 0] },
  { type: 'int32' as const, data: [a.hazard ? 1 : 0] },
  { type: 'int32' as const, data: [a.jump ? 1 : 0] },
  { type: 'int32' as const, data: [a.clocked ? 1 : 0] },
  { type: 'uint32' as const, data: [n >>> 0] },
];

const forward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as WebgpuBackendLike;
  const { p, x, mask, clock } = inputs as Record<string, Info>;
  const a = attrs as unknown as BernoulliEventAttrs;
  const n = sizeOf(a.shape);
  checkBindings(b, BERNOULLI_EVENT, [{ name: 'output', shape: a.shape }, { name: 'p', shape: p!.shape }, { name: 'exposure', shape: x!.shape }, { name: 'mask', shape: mask!.shape }, { name: 'clock', shape: clock!.shape }]);
  const bc = [p!, x!, mask!, clock!].map((t) => sizeOf(t.shape) === 1);
  const program = flatProgram(`bernoulli_${bc.map(Number).join('')}`, ['p', 'x', 'mask', 'clock'], [...a.shape], n, `
    let m = maskAt(index);
    let rate = pAt(index);
    var prob = rate;
    if (uniforms.hazard != 0) { prob = hazardProb(rate * xAt(index)); }
    var out = 0.0;
    if (m != 0.0 && prob > 0.0 && uniformAt(uniforms.key, counterAt(index)) < prob) { out = m; }
    result[index] = out;`, { uniforms: UNIFORMS, prelude: prelude(bc) });
  return run(b, program, [p!, x!, mask!, clock!], n, uniformValues(a, n));
};

/** One of the three per-element gradients (0: p, 1: exposure, 2: mask); the formulas of ../cpu/bernoulli-event-worker.ts. */
function gradient(b: WebgpuBackendLike, which: number, ins: Info[], bc: boolean[], a: BernoulliEventAttrs, n: number, shape: number[]): Info {
  const program = flatProgram(`bernoulli_grad_${which}_${bc.map(Number).join('')}`, ['dy', 'p', 'x', 'mask', 'clock'], shape, n, `
    let g = dy[index];
    var value = 0.0;
    if (g != 0.0) {
      let pi = pAt(index);
      let xi = xAt(index);
      let mi = maskAt(index);
      var prob = pi;
      var dProbDp = 1.0;
      var dProbDx = 0.0;
      if (uniforms.hazard != 0) {
        let e = exp(-pi * xi);
        prob = hazardProb(pi * xi);
        dProbDp = xi * e;
        dProbDx = pi * e;
      }
      var drawn = 0.0;
      if (prob > 0.0 && uniformAt(uniforms.key, counterAt(index)) < prob) { drawn = 1.0; }
      var dProb = g * mi;
      if (uniforms.jump != 0) {
        let q = clamp(prob, 1e-6, 1.0 - 1e-6);
        if (drawn > 0.0) { dProb = dProb * (0.5 / q); } else { dProb = dProb * (0.5 / (1.0 - q)); }
      }
      ${['value = dProb * dProbDp;', 'value = dProb * dProbDx;', 'value = g * drawn;'][which]}
    }
    result[index] = value;`, { uniforms: UNIFORMS, prelude: prelude(bc) });
  return run(b, program, ins, n, uniformValues(a, n));
}

const backward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as WebgpuBackendLike;
  const { dy, p, x, mask, clock } = inputs as Record<string, Info>;
  const a = attrs as unknown as BernoulliEventAttrs;
  const n = sizeOf(dy!.shape);
  checkBindings(b, BERNOULLI_EVENT_GRAD, [{ name: 'dy', shape: dy!.shape }]);
  const targets = [p!, x!, mask!];
  const bc = [...targets, clock!].map((t) => sizeOf(t.shape) === 1);
  return targets.map((t, which) => {
    const one = sizeOf(t.shape) === 1;
    const perElement = gradient(b, which, [dy!, p!, x!, mask!, clock!], bc, a, n, one ? [n] : t.shape.slice());
    if (!one) return perElement;
    const total = sumAllTo(b, perElement, t.shape.slice());
    b.disposeData(perElement.dataId);
    return total;
  });
};

/** The Bernoulli-event kernel functions on webgpu. */
export function bernoulliEventWebgpu(): Record<string, tf.KernelFunc> {
  return { [BERNOULLI_EVENT]: forward, [BERNOULLI_EVENT_GRAD]: backward };
}
