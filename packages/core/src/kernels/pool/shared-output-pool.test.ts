import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../tf.js';
import { linearCombine } from '../ops/linear-combine.js';
import { linearCombineTuning } from '../cpu/linear-combine.js';
import { registerPopulaceKernels } from '../register-kernels.js';
import { sharedOutputPool, sharedOutputStats } from './shared-output-pool.js';
import { isShared, setKernelThreads, shutdownKernelThreads } from './worker-pool.js';

tf.env().set('PROD', true);
const DEFAULTS = { pool: { ...sharedOutputPool }, lc: { ...linearCombineTuning } };
const N = 5000;

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerPopulaceKernels('cpu');
  setKernelThreads(2);
  Object.assign(sharedOutputPool, { minBytes: 1024 });
  Object.assign(linearCombineTuning, { parallelMin: 1000 });
});
afterEach(() => {
  tf.disposeVariables();
});
afterAll(async () => {
  Object.assign(sharedOutputPool, DEFAULTS.pool);
  Object.assign(linearCombineTuning, DEFAULTS.lc);
  setKernelThreads(undefined);
  await shutdownKernelThreads();
});

/** 2 * x + y, a parallel kernel output on a pooled SharedArrayBuffer. */
const combine = (x: tf.Tensor, y: tf.Tensor): tf.Tensor => linearCombine([x, y], [[2, 1]])[0]!;

describe('the shared output pool', () => {
  it('reuses the buffer of a freed output for the next one of that size, fully overwritten', () => {
    const x = tf.fill([N], 1);
    const y = tf.fill([N], 3);
    const first = combine(x, y);
    const before = { ...sharedOutputStats };
    first.dispose();
    expect(sharedOutputStats.recycled).toBe(before.recycled + 1);
    const second = combine(y, x);
    expect(sharedOutputStats.reused).toBe(before.reused + 1);
    expect(Array.from(second.dataSync()).every((v) => v === 7)).toBe(true);
    tf.dispose([x, y, second]);
  });

  it('never recycles a buffer whose data was read (dataSync keeps its values after dispose)', () => {
    const x = tf.fill([N], 1);
    const y = tf.fill([N], 3);
    const out = combine(x, y);
    const seen = out.dataSync();
    const before = sharedOutputStats.recycled;
    out.dispose();
    expect(sharedOutputStats.recycled).toBe(before);
    const other = combine(y, y);
    expect(Array.from(seen).every((v) => v === 5)).toBe(true);
    tf.dispose([x, y, other]);
  });

  it('never recycles a buffer that a contiguous slice views', () => {
    const x = tf.fill([N], 1);
    const y = tf.fill([N], 3);
    const out = combine(x, y);
    const part = tf.slice(out, [10], [100]);
    const before = sharedOutputStats.recycled;
    out.dispose();
    expect(sharedOutputStats.recycled).toBe(before);
    const others = [combine(y, y), combine(y, x), combine(x, x)];
    expect(Array.from(part.dataSync()).every((v) => v === 5)).toBe(true);
    tf.dispose([x, y, part, ...others]);
  });

  it('keeps outputs alive while another tensor shares their data (clone, reshape)', () => {
    const x = tf.fill([N], 1);
    const y = tf.fill([N], 3);
    const out = combine(x, y);
    const alias = tf.reshape(tf.clone(out), [N / 5, 5]);
    const before = sharedOutputStats.recycled;
    out.dispose();
    expect(sharedOutputStats.recycled).toBe(before);
    const other = combine(y, y);
    expect(Array.from(alias.dataSync()).every((v) => v === 5)).toBe(true);
    tf.dispose([x, y, alias, other]);
  });

  it('moves an unshared input of a parallel kernel to shared memory once: same values, freed with its tensor', () => {
    const values = Float32Array.from({ length: N }, (_, i) => i * 0.25);
    const x = tf.tensor1d(values);
    const y = tf.fill([N], 3);
    const data = (t: tf.Tensor) => (tf.backend() as unknown as { data: { get(id: object): { values: Float32Array } } }).data.get(t.dataId).values;
    expect(isShared(data(x))).toBe(false);
    const before = { ...sharedOutputStats };
    const first = combine(x, y);
    expect(sharedOutputStats.adopted).toBe(before.adopted + 2);
    expect(isShared(data(x))).toBe(true);
    expect(Array.from(data(x))).toEqual(Array.from(values));
    const second = combine(x, y);
    expect(sharedOutputStats.adopted).toBe(before.adopted + 2);
    expect(Array.from(second.dataSync())).toEqual(Array.from(values, (v) => Math.fround(2 * v + 3)));
    const recycled = sharedOutputStats.recycled;
    tf.dispose([x, first]);
    expect(sharedOutputStats.recycled).toBe(recycled + 2);
    tf.dispose([y, second]);
  });
});
