/**
 * Shared by the webgpu tests: brings up the `webgpu` backend once (Dawn; on a
 * machine without a GPU, Mesa's llvmpipe through OpenGL ES) and says whether
 * the tests can run. Without an adapter they skip with the reason, unless
 * POPULACE_REQUIRE_WEBGPU=1 (CI), where the missing adapter is a failure.
 */
import { initBackend } from '../../backend.js';
import { expect } from 'vitest';
import { tf } from '../../tf.js';

export const REQUIRE_WEBGPU = process.env['POPULACE_REQUIRE_WEBGPU'] === '1';

let ready: Promise<string | null> | null = null;

/** null when webgpu is usable here, else why not. */
export function webgpuUnavailable(): Promise<string | null> {
  ready ??= (async () => {
    try {
      await initBackend('webgpu');
      return null;
    } catch (error) {
      return (error as Error).message;
    } finally {
      await initBackend('cpu');
    }
  })();
  return ready;
}

/** Runs `fn` with `backend` active (Populace's kernels registered), then returns to cpu. */
export async function on<T>(backend: 'cpu' | 'webgpu', fn: () => Promise<T>): Promise<T> {
  await initBackend(backend);
  try {
    return await fn();
  } finally {
    await initBackend('cpu');
  }
}

/** Reads a tensor asynchronously (webgpu has no synchronous read under Node) and disposes it. */
export async function read(t: tf.Tensor): Promise<Float32Array> {
  const values = Float32Array.from((await t.data()) as ArrayLike<number>);
  t.dispose();
  return values;
}

/** Largest |a - b| / max(1, |b|) over the elements; sizes must agree. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}

/** A deterministic pseudo-random sequence in [0, 1) (independent of the generator under test). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function randomCsr(n: number, maxDegree: number, seed: number): { rowPtr: Int32Array; colIdx: Int32Array; weights: Float32Array } {
  const r = lcg(seed);
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = Math.floor(r() * (maxDegree + 1)); // some rows have no edges
    for (let k = 0; k < d; k++) cols.push(Math.floor(r() * n));
    rowPtr[i + 1] = cols.length;
  }
  const weights = Float32Array.from(cols, () => r() * 2 - 0.5);
  return { rowPtr, colIdx: Int32Array.from(cols), weights };
}

export const randoms = (n: number, seed: number, scale = 1): Float32Array => {
  const r = lcg(seed);
  return Float32Array.from({ length: n }, () => r() * scale);
};

/** Value and gradients (for a random cotangent) of `f` on `backend`, read back as arrays. */
export async function valueAndGrads(backend: 'cpu' | 'webgpu', inputs: { data: Float32Array; shape: number[] }[], f: (...xs: tf.Tensor[]) => tf.Tensor): Promise<Float32Array[]> {
  return on(backend, async () => {
    const xs = inputs.map((x) => tf.tensor(x.data, x.shape, 'float32'));
    const y = f(...xs);
    const cot = tf.tensor(randoms(y.size, 99, 2), y.shape, 'float32');
    const grads = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(f(...args), cot)))(xs);
    const out = [await read(y), ...(await Promise.all(grads.map(read)))];
    cot.dispose();
    xs.forEach((x) => x.dispose());
    return out;
  });
}

export async function expectSame(inputs: { data: Float32Array; shape: number[] }[], f: (...xs: tf.Tensor[]) => tf.Tensor, tol = 1e-5): Promise<void> {
  const cpu = await valueAndGrads('cpu', inputs, f);
  const gpu = await valueAndGrads('webgpu', inputs, f);
  expect(gpu.length).toBe(cpu.length);
  cpu.forEach((c, k) => expect(maxRelError(gpu[k]!, c), `output ${k}`).toBeLessThan(tol));
}
