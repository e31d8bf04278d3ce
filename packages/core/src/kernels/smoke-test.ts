/**
 * `smokeTestKernels(backend)`: every Populace kernel run once on small inputs
 * on `backend` and on cpu (native kernels), forward and backward, compared:
 * the draws and contact counts exactly, the rest within float32 tolerance.
 * `auto` runs it before choosing a backend other than cpu, and
 * `populace backends` shows it, so a backend whose kernels are wrong is never
 * picked silently.
 */
import { tf } from '../tf.js';
import { bernoulliEvent } from './ops/bernoulli-event.js';
import { gatherReduce } from './ops/gather-reduce.js';
import { hashedGather } from './ops/hashed-gather.js';
import { linearCombine } from './ops/linear-combine.js';
import { registerPopulaceKernels } from './register-kernels.js';
import { sumAll } from './ops/sum-all.js';

/** One kernel's comparison. */
export interface KernelCheck {
  /** The op and what was compared, e.g. `gatherReduce (weighted) + gradients`. */
  readonly name: string;
  readonly ok: boolean;
  /** Largest |a - b| / max(1, |b|) over the outputs (null when the run failed). */
  readonly maxError: number | null;
  /** What went wrong: an exception's message or the mismatch. */
  readonly error?: string;
}

/** The result of {@link smokeTestKernels}. */
export interface SmokeTest {
  readonly backend: string;
  readonly ok: boolean;
  readonly checks: readonly KernelCheck[];
  /** One line: `all 6 kernel checks agree with cpu` or the failures. */
  readonly summary: string;
}

interface Case {
  name: string;
  /** Outputs compared for equality (draws, integer counts). */
  exact: number;
  run: () => tf.Tensor[];
}

const N = 257;
/** A fixed, varied input in [lo, hi): no generator state, the same on every backend. */
const ramp = (n: number, k: number, lo = 0, hi = 1): tf.Tensor1D => tf.tensor1d(Float32Array.from({ length: n }, (_, i) => lo + (hi - lo) * (((i * 0.6180339887 + k * 0.4142135) % 1 + 1) % 1)));

function graph(): { rowPtr: tf.Tensor1D; colIdx: tf.Tensor1D; weights: tf.Tensor1D } {
  const rowPtr = Int32Array.from({ length: N + 1 }, (_, i) => Math.min(i, N - 40) * 3);
  const e = rowPtr[N]!;
  return { rowPtr: tf.tensor1d(rowPtr, 'int32'), colIdx: tf.tensor1d(Int32Array.from({ length: e }, (_, k) => (k * 37 + 11) % N), 'int32'), weights: ramp(e, 3, -0.5, 1.5) };
}

const CASES: Case[] = [
  {
    name: 'gatherReduce (weighted, unweighted) + gradients',
    exact: 0,
    run: () => {
      const g = graph();
      const v = ramp(N, 1);
      const up = ramp(N, 2, -1, 1);
      const [gv, gw] = tf.grads((a: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(gatherReduce(a, { ...g, weights: w as tf.Tensor1D }), up)))([v, g.weights]);
      return [gatherReduce(v, g), gatherReduce(v, { rowPtr: g.rowPtr, colIdx: g.colIdx }), gv!, gw!];
    },
  },
  {
    name: 'bernoulliEvent (hazard, probability) + gradients',
    exact: 2,
    run: () => {
      const [p, x, m, up] = [ramp(N, 4), ramp(N, 5, 0, 3), tf.cast(tf.less(ramp(N, 6), 0.7), 'float32'), ramp(N, 7, -1, 1)];
      const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(bernoulliEvent({ p: a, exposure: b, mask: c, key: 0x5eed }), up));
      return [bernoulliEvent({ p, exposure: x, mask: m, key: 0x5eed }), bernoulliEvent({ p, key: 77, gradient: 'jump-weighted' }), ...tf.grads(loss)([p, x, m])];
    },
  },
  {
    name: 'hashedGather + gradient',
    exact: 1,
    run: () => {
      const contacts = { kind: 'hashed' as const, degree: 5, key: 0xc0ffee };
      const v = tf.cast(tf.less(ramp(N, 8), 0.3), 'float32');
      const up = ramp(N, 9, -1, 1);
      return [hashedGather(v, contacts), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(hashedGather(a, contacts), up)))(v)];
    },
  },
  {
    name: 'linearCombine + gradients',
    exact: 0,
    run: () => {
      const xs = [ramp(N, 10), ramp(N, 11), ramp(N, 12)];
      const rows = [[1, -1, 0.5], [0, 2, -3]];
      return [...linearCombine(xs, rows), ...tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(linearCombine([a, b, c], rows)[1]!, a)))(xs)];
    },
  },
  {
    name: 'sumAll + gradient',
    exact: 0,
    run: () => {
      const x = ramp(N, 13, -1, 1);
      return [sumAll(x), tf.grad((a: tf.Tensor) => tf.mul(sumAll(a), 3))(x)];
    },
  },
];

async function outputs(backend: string, c: Case): Promise<number[][]> {
  await tf.setBackend(backend);
  registerPopulaceKernels(backend);
  const ts = tf.tidy(c.run);
  try {
    return await Promise.all(ts.map(async (t) => Array.from(await t.data())));
  } finally {
    tf.dispose(ts);
  }
}

function compare(c: Case, got: number[][], want: number[][]): KernelCheck {
  let worst = 0;
  for (let k = 0; k < want.length; k++) {
    const a = got[k];
    const b = want[k]!;
    if (a === undefined || a.length !== b.length) return { name: c.name, ok: false, maxError: null, error: `output ${k}: ${a?.length ?? 0} values, cpu gives ${b.length}` };
    for (let i = 0; i < b.length; i++) {
      const err = Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!));
      if (!(err <= (k < c.exact ? 0 : 1e-4))) return { name: c.name, ok: false, maxError: Number.isNaN(err) ? null : err, error: `output ${k}[${i}] = ${a[i]}, cpu gives ${b[i]}` };
      worst = Math.max(worst, err);
    }
  }
  return { name: c.name, ok: true, maxError: worst };
}

/**
 * Runs every Populace kernel once on `backend` (which must be registered with
 * tfjs and initialise) and compares it with the native cpu kernels. Restores
 * the active backend afterwards. Never throws for a kernel failure: the
 * result says which check failed and why.
 *
 * @example
 * ```ts
 * const smoke = await smokeTestKernels('tensorflow');
 * if (!smoke.ok) console.error(smoke.summary);
 * ```
 */
export async function smokeTestKernels(backend: string): Promise<SmokeTest> {
  const previous = tf.getBackend();
  const checks: KernelCheck[] = [];
  try {
    for (const c of CASES) {
      try {
        const want = await outputs('cpu', c);
        checks.push(compare(c, await outputs(backend, c), want));
      } catch (error) {
        checks.push({ name: c.name, ok: false, maxError: null, error: (error as Error).message });
      }
    }
  } finally {
    if (previous !== undefined && tf.getBackend() !== previous) await tf.setBackend(previous);
  }
  const failed = checks.filter((c) => !c.ok);
  const summary = failed.length === 0 ? `all ${checks.length} kernel checks agree with cpu` : `${failed.length} of ${checks.length} kernel checks differ from cpu: ${failed.map((c) => `${c.name} (${c.error})`).join('; ')}`;
  return { backend, ok: failed.length === 0, checks, summary };
}
