/**
 * Every Populace kernel on webgpu (WGSL) against the cpu kernels: forward
 * values and gradients within float32 tolerance, and the counter-based draws
 * (integers and uniforms) bit for bit. Runs on llvmpipe where there is no GPU.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PopulaceError } from '../../errors.js';
import { fillUniform, fillUniformClocked, indexAt, streamKey } from '../../random.js';
import { tf } from '../../tf.js';
import { bernoulliEvent } from '../ops/bernoulli-event.js';
import { gatherReduce } from '../ops/gather-reduce.js';
import { hashedGather } from '../ops/hashed-gather.js';
import { POPULACE_KERNEL_NAMES, SUM_ALL } from '../kernel-names.js';
import { linearCombine } from '../ops/linear-combine.js';
import { sumAll } from '../ops/sum-all.js';
import { checkBindings, type WebgpuBackendLike } from './program.js';
import { smokeTestKernels } from '../smoke-test.js';
import { expectSame, on, randomCsr, randoms, read, REQUIRE_WEBGPU, valueAndGrads, webgpuUnavailable } from './webgpu.fixture.js';

const reason = await webgpuUnavailable();
if (reason !== null && !REQUIRE_WEBGPU) console.warn(`webgpu kernel tests skipped: ${reason}`);
const suite = reason === null || REQUIRE_WEBGPU ? describe : describe.skip;

afterAll(async () => {
  await tf.setBackend('cpu');
});

suite('webgpu kernels against cpu', () => {
  it('has an adapter (required in CI) and every Populace kernel registered for webgpu', async () => {
    expect(reason).toBeNull();
    await on('webgpu', async () => {
      for (const name of [...POPULACE_KERNEL_NAMES, SUM_ALL]) expect(tf.getKernel(name, 'webgpu'), name).toBeDefined();
    });
  });

  it('float inputs that tfjs-webgpu keeps in a bool or int32 buffer (a cast to float32 does not copy) read as numbers: every kernel, and the kernel checks of `populace backends`', async () => {
    const n = 600;
    // 0/1 masks and values made by a comparison and a cast, as user code writes them
    const run = () => {
      const flags = tf.cast(tf.less(tf.tensor1d(randoms(n, 21)), 0.4), 'float32');
      const ints = tf.cast(tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i % 5), 'int32'), 'float32');
      const p = tf.tensor1d(randoms(n, 22));
      return [
        bernoulliEvent({ p, mask: flags, key: 0x5eed }),
        bernoulliEvent({ p: ints, exposure: flags, key: 0x77 }),
        hashedGather(flags, { kind: 'hashed', degree: 4, key: 0xc0ffee }),
        hashedGather(ints, { kind: 'hashed', degree: 2, key: 0xbeef }),
        linearCombine([flags, ints], [[1, -2]])[0]!,
        sumAll(ints),
      ];
    };
    const cpu = await on('cpu', async () => Promise.all(run().map((t) => t.data())));
    const gpu = await on('webgpu', async () => Promise.all(run().map((t) => t.data())));
    gpu.forEach((g, k) => expect(Array.from(g), `output ${k}`).toEqual(Array.from(cpu[k]!)));
    const smoke = await smokeTestKernels('webgpu');
    expect(smoke.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('gather-reduce, weighted and unweighted, one and three features: values and gradients', async () => {
    const n = 700;
    const g = randomCsr(n, 12, 1);
    const csr = () => ({ rowPtr: tf.tensor1d(g.rowPtr, 'int32'), colIdx: tf.tensor1d(g.colIdx, 'int32') });
    const e = g.colIdx.length;
    await expectSame([{ data: randoms(n, 2), shape: [n] }, { data: g.weights, shape: [e] }], (v, w) => gatherReduce(v!, { ...csr(), weights: w as tf.Tensor1D }));
    await expectSame([{ data: randoms(n * 3, 3), shape: [n, 3] }, { data: g.weights, shape: [e] }], (v, w) => gatherReduce(v!, { ...csr(), weights: w as tf.Tensor1D }));
    await expectSame([{ data: randoms(n, 4), shape: [n] }], (v) => gatherReduce(v!, csr()));
  });

  it('hashed gather draws the cpu contacts exactly (degree 1: out[i] = its contact) and matches its gradient', async () => {
    const n = 5000;
    const key = streamKey(7, 3, 11);
    const ids = Float32Array.from({ length: n }, (_, i) => i);
    const [contacts] = await valueAndGrads('webgpu', [{ data: ids, shape: [n] }], (v) => hashedGather(v!, { kind: 'hashed', degree: 1, key }));
    const expected = Float32Array.from({ length: n }, (_, i) => indexAt(key, i, n));
    expect(Array.from(contacts!)).toEqual(Array.from(expected));
    await expectSame([{ data: randoms(n, 5), shape: [n] }], (v) => hashedGather(v!, { kind: 'hashed', degree: 7, key }));
  });

  it('bernoulli events draw the cpu uniforms bit for bit; hazard events and all gradients match', async () => {
    const n = 100_000;
    const key = streamKey(42, 9, 5);
    // Without exposure the threshold is p itself: the event is 1[u < p] on both, exactly.
    const p = randoms(n, 6);
    const [gpuEvents] = await valueAndGrads('webgpu', [{ data: p, shape: [n] }], (q) => bernoulliEvent({ p: q!, key }));
    const u = fillUniform(new Float32Array(n), key);
    expect(Array.from(gpuEvents!)).toEqual(Array.from(p, (pi, i) => (u[i]! < pi ? 1 : 0)));
    // with clocks (up to 2^20, so clock * n wraps past 2^32): uniformAt(key, clock * n + i)
    const clocks = Float32Array.from(randoms(n, 9, 2 ** 20), Math.floor);
    const [clocked] = await valueAndGrads('webgpu', [{ data: p, shape: [n] }, { data: clocks, shape: [n] }], (q, c) => bernoulliEvent({ p: q!, clock: c!, key }));
    const uc = fillUniformClocked(new Float32Array(n), key, clocks);
    expect(Array.from(clocked!)).toEqual(Array.from(p, (pi, i) => (uc[i]! < pi ? 1 : 0)));
    const x = Float32Array.from(randoms(n, 7, 3), (v, i) => (i % 5 === 0 ? 0 : v));
    const mask = Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1));
    for (const gradient of ['straight-through', 'jump-weighted'] as const) {
      // scalar rate (its gradient is a device-side sum), exposure and mask per agent
      await expectSame([{ data: Float32Array.of(0.3), shape: [] }, { data: x, shape: [n] }, { data: mask, shape: [n] }], (rate, exposure, m) => bernoulliEvent({ p: rate!, exposure: exposure!, mask: m!, key, gradient }), 1e-4);
      await expectSame([{ data: randoms(n, 8, 0.5), shape: [n] }, { data: x, shape: [n] }], (rate, exposure) => bernoulliEvent({ p: rate!, exposure: exposure!, key, gradient }), 1e-4);
      await expectSame([{ data: randoms(n, 8, 0.5), shape: [n] }, { data: x, shape: [n] }, { data: clocks, shape: [n] }], (rate, exposure, c) => bernoulliEvent({ p: rate!, exposure: exposure!, clock: c!, key, gradient }), 1e-4);
    }
  });

  it('linear combinations and their transposed gradient, including a row of 12 inputs (summed in groups)', async () => {
    const n = 3000;
    const ins = Array.from({ length: 12 }, (_, q) => ({ data: randoms(n, 20 + q), shape: [n] }));
    const rows = [Array.from({ length: 12 }, (_, q) => (q % 3) - 1 + q * 0.25), [1, -1, ...Array(10).fill(0)], Array(12).fill(0)];
    await expectSame(ins, (...xs) => tf.stack(linearCombine(xs, rows)));
  });

  it('a dispatch beyond 65,535 workgroups (folded into y) covers every element once', async () => {
    const n = 4_500_000; // 70,313 workgroups of 64
    const a = randoms(n, 40);
    const b = randoms(n, 41);
    const [diff] = await valueAndGrads('webgpu', [{ data: a, shape: [n] }, { data: b, shape: [n] }], (x, y) => linearCombine([x!, y!], [[1, -1]])[0]!);
    let wrong = 0;
    for (let i = 0; i < n; i++) if (diff![i] !== Math.fround(a[i]! - b[i]!)) wrong++;
    expect(wrong).toBe(0);
  });

  it('sumAll over 1M elements equals the cpu sum, with gradient ones', async () => {
    const n = 1 << 20;
    await expectSame([{ data: randoms(n, 30), shape: [n] }], (x) => tf.mul(sumAll(x!), 1), 1e-5);
  });

  it('refuses a tensor larger than one storage binding before allocating, naming the limit', async () => {
    await on('webgpu', async () => {
      const backend = tf.backend() as unknown as WebgpuBackendLike;
      const limit = backend.device.limits.maxStorageBufferBindingSize;
      const call = () => checkBindings(backend, 'PopulaceHashedGather', [{ name: 'values', shape: [limit / 4 + 1] }]);
      expect(call).toThrow(PopulaceError);
      expect(call).toThrow(/maxStorageBufferBindingSize/);
    });
  });
});
