/**
 * The fused Bernoulli-event kernels on cpu and wasm: the draw (counter-based,
 * generated inside the loop: no uniform tensor is materialised), the hazard
 * transform, the mask, and a one-pass backward for all three inputs.
 */
import * as tf from '@tensorflow/tfjs';
import { uniformAt } from '../random.js';
import { execute, type Backends, type Info } from './backend-io.js';
import { BERNOULLI_EVENT, BERNOULLI_EVENT_GRAD, type BernoulliEventAttrs } from './kernel-names.js';

const EPS = 1e-6;

function forwardLoop(p: Float32Array, x: Float32Array, m: Float32Array, a: BernoulliEventAttrs, out: Float32Array): void {
  const n = out.length;
  const [sp, sx, sm] = [p.length === 1 ? 0 : 1, x.length === 1 ? 0 : 1, m.length === 1 ? 0 : 1];
  const key = a.key >>> 0;
  for (let i = 0; i < n; i++) {
    const mi = m[i * sm]!;
    if (mi === 0) {
      out[i] = 0;
      continue;
    }
    const rate = p[i * sp]!;
    const exposure = a.hazard ? x[i * sx]! : 1;
    // no exposure (e.g. no infected contact) or no rate: no event, no draw needed
    if (rate === 0 || exposure === 0) {
      out[i] = 0;
      continue;
    }
    const prob = a.hazard ? 1 - Math.exp(-rate * exposure) : rate;
    out[i] = uniformAt(key, i) < prob ? mi : 0;
  }
}

/** d p, d x, d mask in one pass (scalar inputs accumulate). */
function backwardLoop(dy: Float32Array, p: Float32Array, x: Float32Array, m: Float32Array, a: BernoulliEventAttrs, dp: Float32Array, dx: Float32Array, dm: Float32Array): void {
  const n = dy.length;
  const [sp, sx, sm] = [p.length === 1 ? 0 : 1, x.length === 1 ? 0 : 1, m.length === 1 ? 0 : 1];
  const key = a.key >>> 0;
  let dpAcc = 0;
  let dxAcc = 0;
  let dmAcc = 0;
  for (let i = 0; i < n; i++) {
    const g = dy[i]!;
    if (g === 0) continue;
    const pi = p[i * sp]!;
    const xi = x[i * sx]!;
    const mi = m[i * sm]!;
    let prob: number;
    let dProbDp: number;
    let dProbDx: number;
    if (a.hazard) {
      const e = Math.exp(-pi * xi);
      prob = 1 - e;
      dProbDp = xi * e;
      dProbDx = pi * e;
    } else {
      prob = pi;
      dProbDp = 1;
      dProbDx = 0;
    }
    const drawn = uniformAt(key, i) < prob ? 1 : 0;
    let dProb = g * mi;
    if (a.jump) {
      const q = Math.min(1 - EPS, Math.max(EPS, prob));
      dProb *= drawn ? 0.5 / q : 0.5 / (1 - q);
    }
    const gp = dProb * dProbDp;
    const gx = dProb * dProbDx;
    const gm = g * drawn;
    if (sp) dp[i] = gp;
    else dpAcc += gp;
    if (sx) dx[i] = gx;
    else dxAcc += gx;
    if (sm) dm[i] = gm;
    else dmAcc += gm;
  }
  if (!sp) dp[0] = dpAcc;
  if (!sx) dx[0] = dxAcc;
  if (!sm) dm[0] = dmAcc;
}

/** The Bernoulli-event kernel functions of one backend. */
export function bernoulliEventKernels(kind: Backends): Record<string, tf.KernelFunc> {
  return {
    [BERNOULLI_EVENT]: ({ inputs, backend, attrs }) => {
      const { p, x, mask } = inputs as Record<string, Info>;
      const a = attrs as unknown as BernoulliEventAttrs;
      return execute(kind, backend, [p, x, mask], [[...a.shape]], (ins, [out]) => {
        const [pv, xv, mv] = ins as Float32Array[];
        forwardLoop(pv!, xv!, mv!, a, out!);
      })[0]!;
    },
    [BERNOULLI_EVENT_GRAD]: ({ inputs, backend, attrs }) => {
      const { dy, p, x, mask } = inputs as Record<string, Info>;
      const a = attrs as unknown as BernoulliEventAttrs;
      return execute(kind, backend, [dy, p, x, mask], [p.shape.slice(), x.shape.slice(), mask.shape.slice()], (ins, [dp, dx, dm]) => {
        const [g, pv, xv, mv] = ins as Float32Array[];
        // outputs of the wasm heap are not zeroed
        dp!.fill(0);
        dx!.fill(0);
        dm!.fill(0);
        backwardLoop(g!, pv!, xv!, mv!, a, dp!, dx!, dm!);
      });
    },
  };
}

/** Gradient of the Bernoulli event: the fused backward kernel, computed once for all three inputs. */
export const BERNOULLI_EVENT_GRADIENTS: tf.GradConfig[] = [
  {
    kernelName: BERNOULLI_EVENT,
    inputsToSave: ['p', 'x', 'mask'],
    gradFunc: (dy, saved, attrs) => {
      const [p, x, mask] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      // Computed eagerly, once: tfjs calls each input's closure inside its own tidy, which would
      // dispose the other outputs of a lazily shared call. Unrequested outputs are freed with the
      // backward pass's scope.
      const [dp, dx, dm] = tf.engine().runKernel(BERNOULLI_EVENT_GRAD, { dy: dy as tf.Tensor, p, x, mask }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      return { p: () => dp!, x: () => dx!, mask: () => dm! };
    },
  },
];
