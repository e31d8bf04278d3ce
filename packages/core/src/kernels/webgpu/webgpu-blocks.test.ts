/**
 * The webgpu kernels with arrays bound in blocks (./blocks.ts), against the cpu
 * kernels: the block size is lowered to 32 KiB (8,192 float32) through
 * POPULACE_WEBGPU_BLOCK_BYTES, read when this file's backend comes up, so a
 * 100,000-agent array spans 13 blocks and a 600,000-edge network 74, more than
 * one shader may bind: gather-reduce and the hashed gather read across blocks
 * and groups of blocks, forward and backward.
 */
process.env['POPULACE_WEBGPU_BLOCK_BYTES'] = String(32 * 1024);

import { afterAll, describe, expect, it } from 'vitest';
import { PopulaceError } from '../../errors.js';
import { indexAt, streamKey } from '../../random.js';
import { tf } from '../../tf.js';
import { gatherReduce } from '../ops/gather-reduce.js';
import { hashedGather } from '../ops/hashed-gather.js';
import { blockElements, readBlockSetting } from './blocks.js';
import type { WebgpuBackendLike } from './program.js';
import { expectSame, on, randomCsr, randoms, REQUIRE_WEBGPU, valueAndGrads, webgpuUnavailable } from './webgpu.fixture.js';

const reason = await webgpuUnavailable();
if (reason !== null && !REQUIRE_WEBGPU) console.warn(`webgpu block tests skipped: ${reason}`);
const suite = reason === null || REQUIRE_WEBGPU ? describe : describe.skip;

afterAll(async () => {
  await tf.setBackend('cpu');
});

const N = 100_000;

suite('webgpu kernels over blocks against cpu', () => {
  it('uses 8,192-element blocks, far below the device binding limit', async () => {
    expect(reason).toBeNull();
    await on('webgpu', async () => {
      const backend = tf.backend() as unknown as WebgpuBackendLike;
      expect(backend.device.limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(32 * 1024 * 16);
      expect(blockElements(backend)).toBe(8192);
    });
  });

  it('gather-reduce over a 100,000-row graph in 13 value blocks and 74 edge blocks: values, d values and d weights', async () => {
    const g = randomCsr(N, 12, 5);
    expect(Math.ceil(g.colIdx.length / 8192)).toBeGreaterThan(60);
    const csr = () => ({ rowPtr: tf.tensor1d(g.rowPtr, 'int32'), colIdx: tf.tensor1d(g.colIdx, 'int32') });
    const e = g.colIdx.length;
    await expectSame([{ data: randoms(N, 2), shape: [N] }, { data: g.weights, shape: [e] }], (v, w) => gatherReduce(v!, { ...csr(), weights: w as tf.Tensor1D }));
    await expectSame([{ data: randoms(N, 4), shape: [N] }], (v) => gatherReduce(v!, csr()));
  });

  it('gather-reduce with three features per row (row blocks of 2,048 rows)', async () => {
    const n = 20_000;
    const g = randomCsr(n, 8, 6);
    const csr = () => ({ rowPtr: tf.tensor1d(g.rowPtr, 'int32'), colIdx: tf.tensor1d(g.colIdx, 'int32') });
    await expectSame([{ data: randoms(n * 3, 3), shape: [n, 3] }, { data: g.weights, shape: [g.colIdx.length] }], (v, w) => gatherReduce(v!, { ...csr(), weights: w as tf.Tensor1D }));
  });

  it('0/1 values give the cpu counts exactly (sums of small integers do not depend on the order)', async () => {
    const g = randomCsr(N, 10, 8);
    const ones = Float32Array.from(randoms(N, 9), (u) => (u < 0.3 ? 1 : 0));
    const count = (backend: 'cpu' | 'webgpu') => valueAndGrads(backend, [{ data: ones, shape: [N] }], (v) => gatherReduce(v!, { rowPtr: tf.tensor1d(g.rowPtr, 'int32'), colIdx: tf.tensor1d(g.colIdx, 'int32') }));
    const [cpu] = await count('cpu');
    const [gpu] = await count('webgpu');
    expect(Array.from(gpu!)).toEqual(Array.from(cpu!));
  });

  it('the hashed gather across 13 blocks: the cpu contacts exactly, and its gradient', async () => {
    const key = streamKey(7, 3, 11);
    const ids = Float32Array.from({ length: N }, (_, i) => i);
    const [contacts] = await valueAndGrads('webgpu', [{ data: ids, shape: [N] }], (v) => hashedGather(v!, { kind: 'hashed', degree: 1, key }));
    expect(Array.from(contacts!)).toEqual(Array.from({ length: N }, (_, i) => indexAt(key, i, N)));
    await expectSame([{ data: randoms(N, 5), shape: [N] }], (v) => hashedGather(v!, { kind: 'hashed', degree: 9, key }));
  });

  it('refuses a block size that is not a multiple of 8 KiB, naming the variable', () => {
    expect(() => readBlockSetting({ POPULACE_WEBGPU_BLOCK_BYTES: '10000' })).toThrow(PopulaceError);
    expect(() => readBlockSetting({ POPULACE_WEBGPU_BLOCK_BYTES: 'big' })).toThrow(/POPULACE_WEBGPU_BLOCK_BYTES: expected a positive multiple of 8192 bytes/);
    readBlockSetting({ POPULACE_WEBGPU_BLOCK_BYTES: String(32 * 1024) });
  });
});
