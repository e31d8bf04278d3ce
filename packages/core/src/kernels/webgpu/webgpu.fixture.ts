/**
 * Shared by the webgpu tests: brings up the `webgpu` backend once (Dawn; on a
 * machine without a GPU, Mesa's llvmpipe through OpenGL ES) and says whether
 * the tests can run. Without an adapter they skip with the reason, unless
 * POPULACE_REQUIRE_WEBGPU=1 (CI), where the missing adapter is a failure.
 */
import { initBackend } from '../../backend.js';
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
