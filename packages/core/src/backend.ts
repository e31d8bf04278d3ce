/**
 * Backend selection. tfjs keeps one backend registry per process; Populace
 * chooses among what is installed:
 * - `tensorflow`: `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` (optional peers, detected at run time),
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` (ships its .wasm; single-threaded under Node, 4 GiB heap),
 * - `webgpu`: `@tensorflow/tfjs-backend-webgpu` on Dawn (`webgpu` npm package), both optional; WGSL kernels,
 * - `cpu`: always present; the embedded default.
 * `auto` takes `webgpu` on a hardware GPU adapter (never a software rasteriser such as llvmpipe), then
 * `tensorflow` when it is installed, loads and its Populace kernels (the portable set) agree with cpu
 * (./kernels/smoke-test.ts), otherwise `cpu`: our population
 * kernels run at the same speed on cpu and wasm, and cpu has neither wasm's 4 GiB cap nor its
 * missing kernels (UnsortedSegmentSum among them).
 */
import { createRequire } from 'node:module';
import { PopulaceError } from './errors.js';
import { registerPopulaceKernels } from './kernels/register-kernels.js';
import { smokeTestKernels } from './kernels/smoke-test.js';
import { detectWebgpuAdapter, installDawnWebgpu } from './kernels/webgpu/dawn.js';
import { tf } from './tf.js';

export type BackendChoice = 'auto' | 'cpu' | 'wasm' | 'tensorflow' | 'webgpu';
export type BackendName = 'cpu' | 'wasm' | 'tensorflow' | 'webgpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'cpu', 'wasm', 'tensorflow', 'webgpu'];

/** What the runtime chose and why. */
export interface BackendInfo {
  /** The tfjs backend in use. */
  readonly name: BackendName;
  /** What the caller asked for. */
  readonly requested: BackendChoice;
  /** The npm package that provides it. */
  readonly package: string;
  /** Why this backend was chosen (and what was skipped). */
  readonly reason: string;
}

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
const require = createRequire(import.meta.url);

function isResolvable(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** Which backends could be used here, without loading any of them. */
export function detectBackends(): { name: BackendName; package: string; installed: boolean }[] {
  const native = NATIVE_PACKAGES.find(isResolvable);
  return [
    { name: 'tensorflow', package: native ?? NATIVE_PACKAGES[1], installed: native !== undefined },
    { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', installed: isResolvable('@tensorflow/tfjs-backend-wasm') },
    { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', installed: true },
    { name: 'webgpu', package: '@tensorflow/tfjs-backend-webgpu', installed: isResolvable('@tensorflow/tfjs-backend-webgpu') && isResolvable('webgpu') },
  ];
}

const loaded = new Map<BackendName, Promise<string>>();

async function loadNative(): Promise<string> {
  const errors: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    if (!isResolvable(pkg)) continue;
    try {
      await import(pkg);
      if (tf.findBackendFactory('tensorflow')) return pkg;
      errors.push(`${pkg} loaded but registered no 'tensorflow' backend`);
    } catch (error) {
      errors.push(`${pkg}: ${(error as Error).message}`);
    }
  }
  throw new PopulaceError(
    'backend-unavailable',
    errors.length === 0
      ? "backend 'tensorflow': expected @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node to be installed, found neither. Install one (npm install @tensorflow/tfjs-node) or use the cpu backend."
      : `backend 'tensorflow': the native package is installed but failed to load (${errors.join('; ')}). Reinstall it or use the cpu backend.`,
    { details: { backend: 'tensorflow', errors } },
  );
}

function load(name: BackendName): Promise<string> {
  let pending = loaded.get(name);
  if (!pending) {
    pending = (async () => {
      if (name === 'tensorflow') return loadNative();
      if (name === 'webgpu') {
        const { info } = await installDawnWebgpu();
        return `@tensorflow/tfjs-backend-webgpu on ${info.description}${info.software ? ' (software)' : ''}`;
      }
      if (name === 'wasm') {
        try {
          await import('@tensorflow/tfjs-backend-wasm');
        } catch (error) {
          throw new PopulaceError('backend-unavailable', `backend 'wasm': @tensorflow/tfjs-backend-wasm failed to load (${(error as Error).message}). Reinstall it or use the cpu backend.`, { cause: error });
        }
        return '@tensorflow/tfjs-backend-wasm';
      }
      return '@tensorflow/tfjs-backend-cpu';
    })();
    pending.catch(() => loaded.delete(name));
    loaded.set(name, pending);
  }
  return pending;
}

/** Makes `name` the active tfjs backend (initialising it once) and registers our kernels on it. */
export async function activateBackend(name: BackendName): Promise<void> {
  // tfjs's own banner ("looks like you are running TensorFlow.js in Node.js") is for apps,
  // not for a framework's stdout; PROD only silences warnings.
  tf.env().set('PROD', true);
  if (tf.getBackend() !== name || !tf.engine().registry[name]) {
    const ok = await tf.setBackend(name);
    if (!ok) {
      throw new PopulaceError('backend-failed', `backend '${name}' failed to initialise. Use the cpu backend.`, { details: { backend: name } });
    }
  }
  registerPopulaceKernels(name);
}

/**
 * Resolves a backend choice to an initialised backend.
 *
 * @example
 * ```ts
 * const info = await initBackend('auto'); // { name: 'cpu', reason: '...' } on a machine without tfjs-node
 * ```
 */
export async function initBackend(requested: BackendChoice): Promise<BackendInfo> {
  if (!BACKEND_CHOICES.includes(requested)) {
    throw new PopulaceError('invalid-argument', `backend: expected one of ${BACKEND_CHOICES.join(', ')}, received ${JSON.stringify(requested)}.`, { details: { expected: BACKEND_CHOICES } });
  }
  if (requested !== 'auto') {
    const pkg = await load(requested);
    await activateBackend(requested);
    return { name: requested, requested, package: pkg, reason: `requested explicitly` };
  }
  let skipped = '';
  if (detectBackends().find((b) => b.name === 'webgpu')!.installed) {
    const adapter = await detectWebgpuAdapter({ hardwareOnly: true });
    if (adapter.available && !adapter.software) {
      try {
        const pkg = await load('webgpu');
        await activateBackend('webgpu');
        return { name: 'webgpu', requested, package: pkg, reason: `a hardware GPU adapter is present (${adapter.description})` };
      } catch (error) {
        skipped = `; webgpu failed (${(error as Error).message})`;
      }
    } else {
      skipped = adapter.available ? `; webgpu skipped: ${adapter.description} is a software rasteriser` : `; webgpu skipped: ${adapter.description}`;
    }
  }
  const native = detectBackends()[0]!;
  if (native.installed) {
    try {
      const pkg = await load('tensorflow');
      await activateBackend('tensorflow');
      // its kernels are the portable set: checked against cpu before it is chosen
      const smoke = await smokeTestKernels('tensorflow');
      if (!smoke.ok) throw new Error(smoke.summary);
      return { name: 'tensorflow', requested, package: pkg, reason: `native TensorFlow is installed and is the fastest present (${smoke.summary})${skipped}` };
    } catch (error) {
      await activateBackend('cpu');
      return { name: 'cpu', requested, package: '@tensorflow/tfjs-backend-cpu', reason: `native TensorFlow failed to load or to run the Populace kernels (${(error as Error).message}); fell back to cpu${skipped}` };
    }
  }
  await activateBackend('cpu');
  return {
    name: 'cpu',
    requested,
    package: '@tensorflow/tfjs-backend-cpu',
    reason: `no @tensorflow/tfjs-node(-gpu) installed; cpu runs the population kernels as fast as wasm without its 4 GiB heap cap${skipped}`,
  };
}
