import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../tf.js';
import { bernoulliEvent, bernoulliEventReference } from '../ops/bernoulli-event.js';
import { bernoulliTuning } from './bernoulli-event-worker.js';
import { registerPopulaceKernels } from '../register-kernels.js';
import { kernelPoolStats, setKernelThreads, shutdownKernelThreads } from '../pool/worker-pool.js';

tf.env().set('PROD', true);
// Small chunks so a small call is a parallel one; N is not a multiple of the chunk size.
const DEFAULT_TUNING = { ...bernoulliTuning };
const N = 20_000 + 345;
const arr = (t: tf.Tensor) => Float32Array.from(t.dataSync() as Float32Array);

beforeEach(() => Object.assign(bernoulliTuning, { chunk: 1024, parallelMin: 4096 }));
afterEach(() => {
  setKernelThreads(undefined);
  Object.assign(bernoulliTuning, DEFAULT_TUNING);
});
afterAll(async () => {
  await shutdownKernelThreads();
});

/** Values and all three gradients of a hazard event with a scalar rate (a chunked sum) and per-element exposure and mask. */
function evaluate(impl: typeof bernoulliEvent, jump: boolean) {
  return tf.tidy(() => {
    const exposure = tf.floor(tf.randomUniform([N], 0, 3, 'float32', 11));
    const mask = tf.cast(tf.less(tf.randomUniform([N], 0, 1, 'float32', 12), 0.8), 'float32');
    const p = tf.randomUniform([N], 0, 1, 'float32', 13);
    const rate = tf.scalar(0.4);
    const dy = tf.randomNormal([N], 0, 1, 'float32', 14);
    const gradient = jump ? ('jump-weighted' as const) : ('straight-through' as const);
    const hazard = (r: tf.Tensor, x: tf.Tensor, m: tf.Tensor) => tf.sum(tf.mul(impl({ p: r, exposure: x, mask: m, key: 5, gradient }), dy));
    const prob = (a: tf.Tensor, m: tf.Tensor) => tf.sum(tf.mul(impl({ p: a, mask: m, key: 6, gradient }), dy));
    const clock = tf.floor(tf.randomUniform([N], 0, 20, 'float32', 15));
    return {
      hazard: arr(impl({ p: rate, exposure, mask, key: 5, gradient })),
      prob: arr(impl({ p, mask, key: 6, gradient })),
      // one probability and a mask (a stage of a course), unclocked and clocked
      stage: arr(impl({ p: 0.3, mask, key: 7, gradient })),
      stageClocked: arr(impl({ p: 0.3, mask, key: 7, clock, gradient })),
      hazardGrads: tf.grads(hazard)([rate, exposure, mask]).map(arr),
      probGrads: tf.grads(prob)([p, mask]).map(arr),
    };
  });
}

describe.each(['cpu', 'wasm'] as const)('bernoulliEvent on the worker pool (%s)', (backend) => {
  it.each([false, true])('gives the same bits on 1, 2 and 3 threads, and the reference draws (jump-weighted: %s)', async (jump) => {
    await tf.setBackend(backend);
    registerPopulaceKernels(backend);
    let first: ReturnType<typeof evaluate> | null = null;
    for (const threads of [1, 2, 3]) {
      setKernelThreads(threads);
      const runs = kernelPoolStats().parallelRuns;
      const got = evaluate(bernoulliEvent, jump);
      if (threads > 1) expect(kernelPoolStats().parallelRuns).toBeGreaterThan(runs);
      if (first === null) first = got;
      else expect(got, `${threads} threads`).toEqual(first);
    }
    // Against stock ops: probability draws exactly; the scalar rate's gradient is a sum over N (rounding).
    const ref = evaluate(bernoulliEventReference, jump);
    expect(first!.prob).toEqual(ref.prob);
    expect(first!.stage).toEqual(ref.stage);
    expect(first!.stageClocked).toEqual(ref.stageClocked);
    expect(first!.stageClocked).not.toEqual(first!.stage);
    expect(first!.probGrads[1]).toEqual(ref.probGrads[1]);
    const flips = first!.hazard.filter((v, i) => v !== ref.hazard[i]).length;
    expect(flips).toBeLessThanOrEqual(3);
    expect(first!.hazardGrads[0]![0]!).toBeCloseTo(ref.hazardGrads[0]![0]!, -1);
    expect(Math.abs(first!.hazardGrads[0]![0]! - ref.hazardGrads[0]![0]!)).toBeLessThan(1e-3 * Math.abs(ref.hazardGrads[0]![0]!) + 1);
  });
});
