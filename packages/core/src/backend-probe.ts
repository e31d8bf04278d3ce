/**
 * `probeBackends()`: every tfjs backend Populace knows of (the choices of
 * BACKEND_CHOICES, plus `webgl`, which runs only in a browser), whether its
 * package is installed here, whether it initialises and runs every Populace
 * kernel as cpu does (./kernels/smoke-test.ts), and which kernel set it gets
 * (native, or the portable stock-op set). `populace backends` prints it.
 */
import { createRequire } from 'node:module';
import { BACKEND_CHOICES, detectBackends, initBackend, type BackendChoice } from './backend.js';
import { kernelSetFor } from './kernels/register-kernels.js';
import { smokeTestKernels, type SmokeTest } from './kernels/smoke-test.js';
import { tf } from './tf.js';

/** One row of {@link probeBackends}. */
export interface BackendProbe {
  /** The tfjs backend name. */
  readonly name: string;
  /** The npm package that provides it. */
  readonly package: string;
  readonly installed: boolean;
  /** Initialises here and its Populace kernels agree with cpu. */
  readonly usable: boolean;
  /** `native` or `portable` (stock tfjs ops): the kernel set Populace registers for it. */
  readonly kernels: 'native' | 'portable';
  /** Why it is or is not usable, in one line. */
  readonly reason: string;
  /** The kernel comparison, when the backend initialised. */
  readonly smoke: SmokeTest | null;
}

const require = createRequire(import.meta.url);
const resolvable = (name: string): boolean => {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
};

const WEBGL = '@tensorflow/tfjs-backend-webgl';

async function probeOne(name: string, pkg: string, installed: boolean, activate: () => Promise<void>): Promise<BackendProbe> {
  const kernels = kernelSetFor(name).kind;
  if (!installed) return { name, package: pkg, installed, usable: false, kernels, reason: `not installed (npm install ${pkg})`, smoke: null };
  try {
    await activate();
  } catch (error) {
    return { name, package: pkg, installed, usable: false, kernels, reason: `installed but failed to initialise: ${(error as Error).message}`, smoke: null };
  }
  const smoke = name === 'cpu' ? null : await smokeTestKernels(name);
  const usable = smoke === null || smoke.ok;
  const reason = smoke === null ? 'always present (the reference for the kernel checks)' : smoke.ok ? `initialises; ${smoke.summary}` : `initialises, but ${smoke.summary}`;
  return { name, package: pkg, installed, usable, kernels, reason, smoke };
}

/**
 * Lists each backend with installed / usable / why. Initialises every
 * installed backend once (tfjs-node loads its native library) and restores
 * the active backend afterwards.
 *
 * @example
 * ```ts
 * for (const b of await probeBackends()) console.log(b.name, b.usable, b.reason);
 * ```
 */
export async function probeBackends(): Promise<BackendProbe[]> {
  tf.env().set('PROD', true); // tfjs's initialisation warnings: the rows say it
  const previous = tf.engine().backendName;
  const detected = new Map<string, { package: string; installed: boolean }>(detectBackends().map((d) => [d.name, d]));
  const rows: BackendProbe[] = [];
  try {
    for (const choice of BACKEND_CHOICES.filter((c) => c !== 'auto')) {
      const d = detected.get(choice) ?? { package: '', installed: true };
      rows.push(await probeOne(choice, d.package, d.installed, async () => void (await initBackend(choice as BackendChoice))));
    }
    rows.push(
      await probeOne('webgl', WEBGL, resolvable(WEBGL), async () => {
        await import(WEBGL);
        if (!(await tf.setBackend('webgl'))) throw new Error('no WebGL context (webgl runs in a browser, not under Node)');
      }),
    );
  } finally {
    if (previous != null && tf.getBackend() !== previous) await tf.setBackend(previous);
  }
  return rows;
}
