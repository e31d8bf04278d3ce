/**
 * The linear-combination kernel on cpu and wasm: K outputs from J same-shape
 * inputs in one pass. Its gradient is itself with the transposed coefficients.
 */
import * as tf from '@tensorflow/tfjs';
import { execute, type Backends, type Info } from './backend-io.js';
import { LINEAR_COMBINE, type LinearCombineAttrs } from './kernel-names.js';

type Loop = (xs: Float32Array[], outs: Float32Array[], n: number, c: readonly number[]) => void;
const loops = new Map<string, Loop>();

/** How a coefficient appears in the generated loop: skipped, added, subtracted, or multiplied by its value. */
const termKind = (c: number): string => (c === 0 ? '0' : c === 1 ? '+' : c === -1 ? '-' : '*');

/**
 * One fused loop per coefficient pattern, generated once and cached: every output element is
 * written in a single pass with its non-zero terms inlined (`o0[i] = x0[i] - c3 * x3[i];`), which
 * V8 compiles to a tight loop. The pattern records only which coefficients are 0, 1, -1 or
 * another value; the other values are arguments of the loop, so coefficients that change from
 * call to call (learnable or step-dependent values) reuse one loop instead of compiling one each.
 * The source is built only from array indices.
 */
function compiled(coefficients: readonly number[], k: number, j: number): Loop {
  for (const c of coefficients) if (!Number.isFinite(c)) throw new Error(`linear combination coefficient ${c} is not finite`);
  const pattern = `${k}:${coefficients.map(termKind).join('')}`;
  let loop = loops.get(pattern);
  if (!loop) {
    const body: string[] = [];
    const values: string[] = [];
    for (let r = 0; r < k; r++) {
      const terms: string[] = [];
      for (let q = 0; q < j; q++) {
        const at = r * j + q;
        const c = coefficients[at]!;
        if (c === 0) continue;
        if (c !== 1 && c !== -1) values.push(`const c${at} = c[${at}];`);
        terms.push(c === 1 ? `+ x${q}[i]` : c === -1 ? `- x${q}[i]` : `+ c${at} * x${q}[i]`);
      }
      body.push(`o${r}[i] = 0 ${terms.join(' ')};`);
    }
    const decl = [...Array.from({ length: j }, (_, q) => `const x${q} = xs[${q}];`), ...Array.from({ length: k }, (_, r) => `const o${r} = outs[${r}];`), ...values];
    loop = new Function('xs', 'outs', 'n', 'c', `${decl.join('\n')}\nfor (let i = 0; i < n; i++) {\n${body.join('\n')}\n}`) as Loop;
    loops.set(pattern, loop);
  }
  return loop;
}

/** The linear-combination kernel function of one backend. */
export function linearCombineKernels(kind: Backends): Record<string, tf.KernelFunc> {
  return {
    [LINEAR_COMBINE]: ({ inputs, backend, attrs }) => {
      const a = attrs as unknown as LinearCombineAttrs;
      const ins = Object.keys(inputs).sort((u, v) => Number(u.slice(1)) - Number(v.slice(1))).map((k) => (inputs as Record<string, Info>)[k]!);
      const j = ins.length;
      const shape = ins[0]!.shape.slice();
      const loop = compiled(a.coefficients, a.outputs, j);
      return execute(kind, backend, ins, Array.from({ length: a.outputs }, () => shape), (arrays, outs) => loop(arrays as Float32Array[], outs, outs[0]!.length, a.coefficients));
    },
  };
}

/** Transposes a K x J row-major matrix. */
function transpose(coefficients: readonly number[], k: number, j: number): number[] {
  const t: number[] = new Array(k * j);
  for (let r = 0; r < k; r++) for (let c = 0; c < j; c++) t[c * k + r] = coefficients[r * j + c]!;
  return t;
}

/** Gradient of the linear combination: d in[j] = sum_k c[k][j] * dy[k]. */
export const LINEAR_COMBINE_GRADIENTS: tf.GradConfig[] = [
  {
    kernelName: LINEAR_COMBINE,
    gradFunc: (dy, saved, attrs) => {
      const a = attrs as unknown as LinearCombineAttrs;
      const dys = (Array.isArray(dy) ? dy : [dy]) as tf.Tensor[];
      const j = a.coefficients.length / a.outputs;
      // eager and once, for the reason given in bernoulli-event-kernels.ts
      const grads = [
        tf.engine().runKernel(LINEAR_COMBINE, Object.fromEntries(dys.map((t, k) => [`x${k}`, t])), { outputs: j, coefficients: transpose(a.coefficients, a.outputs, j) } as unknown as tf.NamedAttrMap),
      ].flat() as tf.Tensor[];
      return Object.fromEntries(Array.from({ length: j }, (_, q) => [`x${q}`, () => grads[q]!]));
    },
  },
];
