import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { fillUniform, fillUniformClocked, streamKey, uniformAt } from '../../random.js';
import { tf } from '../../tf.js';
import { bernoulliEvent, bernoulliEventReference } from '../ops/bernoulli-event.js';
import { applyFlows, linearCombine } from '../ops/linear-combine.js';
import { registerPopulaceKernels } from '../register-kernels.js';

tf.env().set('PROD', true);
const N = 5000;

/** Runs `f` on a backend with our kernels registered, returning plain arrays. */
async function on<T>(backend: 'cpu' | 'wasm', f: () => T): Promise<T> {
  await tf.setBackend(backend);
  registerPopulaceKernels(backend);
  return f();
}

const arr = (t: tf.Tensor) => Array.from(t.dataSync());

describe.each(['cpu', 'wasm'] as const)('fused kernels on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
    registerPopulaceKernels(backend);
  });

  it('bernoulliEvent (probability) equals the stock-op reference bit for bit, values and gradients', async () => {
    await on(backend, () => {
      const p = tf.randomUniform([N], 0, 1, 'float32', 1);
      const mask = tf.cast(tf.less(tf.randomUniform([N], 0, 1, 'float32', 2), 0.7), 'float32');
      for (const gradient of ['straight-through', 'jump-weighted'] as const) {
        const fused = bernoulliEvent({ p, mask, key: 99, gradient });
        const ref = bernoulliEventReference({ p, mask, key: 99, gradient });
        expect(arr(fused)).toEqual(arr(ref));
        const dy = tf.randomNormal([N], 0, 1, 'float32', 3);
        const [gp, gm] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(bernoulliEvent({ p: a, mask: b, key: 99, gradient }), dy)))([p, mask]);
        const [rp, rm] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(bernoulliEventReference({ p: a, mask: b, key: 99, gradient }), dy)))([p, mask]);
        arr(gp!).forEach((v, i) => expect(v).toBeCloseTo(arr(rp!)[i]!, 4));
        expect(arr(gm!)).toEqual(arr(rm!));
      }
    });
  });

  it('bernoulliEvent with clocks draws uniformAt(key, clock * n + i), on every path (serial, chunked, reference), with the same gradients', async () => {
    await on(backend, () => {
      const n = 300_000; // past the parallel threshold: the chunked path
      const key = streamKey(5, 0xffffffff, 17);
      const clockValues = Float32Array.from({ length: n }, (_, i) => (i * 7919) % 97);
      const pv = Float32Array.from(fillUniform(new Float32Array(n), 3), (v) => v * 0.6);
      const p = tf.tensor1d(pv);
      const clock = tf.tensor1d(clockValues);
      const u = fillUniformClocked(new Float32Array(n), key, clockValues);
      // independent of the kernels: the counters by hand
      for (const i of [0, 1, 12345, n - 1]) expect(u[i]).toBe(uniformAt(key, (clockValues[i]! * n + i) % 2 ** 32));
      const fused = arr(bernoulliEvent({ p, clock, key }));
      expect(fused).toEqual(Array.from(pv, (pi, i) => (u[i]! < pi ? 1 : 0)));
      expect(arr(bernoulliEventReference({ p, clock, key }))).toEqual(fused);
      // clock 0 is the unclocked draw; a one-value clock is broadcast
      expect(arr(bernoulliEvent({ p, clock: 0, key }))).toEqual(arr(bernoulliEvent({ p, key })));
      const three = fillUniformClocked(new Float32Array(n), key, [3]);
      expect(arr(bernoulliEvent({ p, clock: 3, key }))).toEqual(Array.from(pv, (pi, i) => (three[i]! < pi ? 1 : 0)));
      const dy = tf.randomNormal([n], 0, 1, 'float32', 9);
      const x = tf.fill([n], 1.5);
      for (const gradient of ['straight-through', 'jump-weighted'] as const) {
        const loss = (impl: typeof bernoulliEvent) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(impl({ p: a, exposure: x, mask: b, clock, key, gradient }), dy));
        const mask = tf.ones([n]);
        const [gp, gm] = tf.grads(loss(bernoulliEvent))([p, mask]).map(arr);
        const [rp, rm] = tf.grads(loss(bernoulliEventReference))([p, mask]).map(arr);
        // float64 loop against float32 ops: relative agreement (jump weights reach 0.5 / 1e-6)
        gp!.forEach((v, i) => expect(Math.abs(v - rp![i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(rp![i]!))));
        expect(gm!.filter((v, i) => v !== rm![i]).length).toBeLessThanOrEqual(2);
      }
      expect(() => bernoulliEvent({ p, clock: tf.zeros([3]), key })).toThrow(/clock must be scalars or share one shape/);
    });
  });

  it('bernoulliEvent (hazard) matches the reference (exp rounding may flip a borderline draw) and its gradients', async () => {
    await on(backend, () => {
      const exposure = tf.floor(tf.randomUniform([N], 0, 4, 'float32', 4));
      const mask = tf.cast(tf.less(tf.randomUniform([N], 0, 1, 'float32', 5), 0.8), 'float32');
      const rate = tf.scalar(0.3);
      const fused = arr(bernoulliEvent({ p: rate, exposure, mask, key: 7 }));
      const ref = arr(bernoulliEventReference({ p: rate, exposure, mask, key: 7 }));
      const differ = fused.filter((v, i) => v !== ref[i]).length;
      expect(differ).toBeLessThanOrEqual(2);
      const dy = tf.randomNormal([N], 0, 1, 'float32', 6);
      const loss = (impl: typeof bernoulliEvent) => (r: tf.Tensor, x: tf.Tensor, m: tf.Tensor) => tf.sum(tf.mul(impl({ p: r, exposure: x, mask: m, key: 7 }), dy));
      const g = tf.grads(loss(bernoulliEvent))([rate, exposure, mask]).map(arr);
      const gr = tf.grads(loss(bernoulliEventReference))([rate, exposure, mask]).map(arr);
      expect(g[0]![0]).toBeCloseTo(gr[0]![0]!, 1); // scalar rate: a sum over agents
      g[1]!.forEach((v, i) => expect(v).toBeCloseTo(gr[1]![i]!, 4));
      expect(g[2]!.filter((v, i) => v !== gr[2]![i]).length).toBeLessThanOrEqual(2);
    });
  });

  it('bernoulliEvent: the event frequency is 1 - exp(-rate * exposure), zero rate or exposure draws nothing', async () => {
    await on(backend, () => {
      const big = 200_000;
      const freq = tf.mean(bernoulliEvent({ p: 0.2, exposure: tf.fill([big], 2), key: 11 })).dataSync()[0]!;
      const expected = 1 - Math.exp(-0.4);
      expect(Math.abs(freq - expected)).toBeLessThan(4 * Math.sqrt((expected * (1 - expected)) / big));
      expect(tf.sum(bernoulliEvent({ p: 0, exposure: tf.fill([100], 3), key: 1 })).dataSync()[0]).toBe(0);
      expect(tf.sum(bernoulliEvent({ p: 0.9, exposure: tf.zeros([100]), key: 1 })).dataSync()[0]).toBe(0);
      expect(() => bernoulliEvent({ p: tf.ones([3]), mask: tf.ones([4]), key: 1 })).toThrow(/share one shape/);
    });
  });

  it('linearCombine equals stock ops; its gradient is the transposed combination', async () => {
    await on(backend, () => {
      const xs = [1, 2, 3].map((s) => tf.randomNormal([N], 0, 1, 'float32', s));
      const coefficients = [[1, -1, 0.5], [0, 2, 1]];
      const out = linearCombine(xs, coefficients);
      coefficients.forEach((row, k) => {
        const ref = arr(tf.addN(row.map((c, q) => tf.mul(c, xs[q]!))));
        arr(out[k]!).forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 5));
      });
      const w = [tf.randomNormal([N], 0, 1, 'float32', 8), tf.randomNormal([N], 0, 1, 'float32', 9)];
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
        const [o0, o1] = linearCombine([a, b, c], coefficients);
        return tf.add(tf.sum(tf.mul(o0!, w[0]!)), tf.sum(tf.mul(o1!, w[1]!)));
      })(xs);
      grads.forEach((g, q) => {
        const ref = arr(tf.add(tf.mul(coefficients[0]![q]!, w[0]!), tf.mul(coefficients[1]![q]!, w[1]!)));
        arr(g).forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 5));
      });
      expect(() => linearCombine(xs, [[1, 2]])).toThrow(/one row of 3 finite coefficients/);
      // calls that share a pattern but not the values (one compiled loop) use their own values
      for (const c of [0.5, -2.25, 3e-3]) {
        const [o] = linearCombine([xs[0]!, xs[1]!], [[1, c]]);
        const ref = arr(tf.add(xs[0]!, tf.mul(c, xs[1]!)));
        arr(o!).forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 5));
      }
    });
  });

  it('applyFlows moves amounts between compartments and conserves their sum', async () => {
    await on(backend, () => {
      const s = tf.tensor1d([1, 1, 0, 0]);
      const i = tf.tensor1d([0, 0, 1, 1]);
      const r = tf.tensor1d([0, 0, 0, 0]);
      const next = applyFlows({ s, i, r }, [['s', 'i', tf.tensor1d([1, 0, 0, 0])], ['i', 'r', tf.tensor1d([0, 0, 1, 0])]]);
      expect(arr(next.s)).toEqual([0, 1, 0, 0]);
      expect(arr(next.i)).toEqual([1, 0, 0, 1]);
      expect(arr(next.r)).toEqual([0, 0, 1, 0]);
      expect(() => applyFlows({ s, i }, [['s', 'x' as 'i', s]])).toThrow(/outside \[s, i\]/);
    });
  });

  it('leaks no tensors', async () => {
    await on(backend, () => {
      const p = tf.fill([100], 0.5);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        tf.grads((a: tf.Tensor) => tf.sum(bernoulliEvent({ p: a, exposure: tf.ones([100]), key: 3 })))([p]);
        tf.grads((a: tf.Tensor) => tf.sum(linearCombine([a, a], [[1, 1], [1, -1]])[1]!))([p]);
      });
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
