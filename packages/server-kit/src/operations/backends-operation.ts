/**
 * list_backends: the tfjs backends this process can compute on (cpu, wasm, tensorflow from
 * tfjs-node(-gpu), webgl, webgpu through Dawn), whether each is installed and usable here, and why:
 * what `--backend` / `backend` may name, and what `auto` picks from. Probing initialises each
 * installed backend once and compares its Populace kernels with cpu's on small inputs, so the result
 * is computed once per process and shared by every caller (installed packages do not change while a
 * process runs): a client cannot make a server repeat the work. The probe runs in a child process:
 * a backend's native library may print to stdout (Dawn does), which would corrupt an MCP server's
 * stdio transport, and initialising backends must not change the server's own.
 */
import { spawn } from 'node:child_process';
import { PopulaceError, type BackendProbe } from '@populace/core';
import { z } from 'zod';
import { INSTALL_DIR } from '../plugins/load-runtime.js';
import { defineOperation } from './define-operation.js';

const kernelCheck = z.object({ name: z.string(), ok: z.boolean(), maxError: z.number().nullable(), error: z.string().optional() });
const backendRow = z.object({
  name: z.string(),
  package: z.string(),
  installed: z.boolean(),
  usable: z.boolean(),
  kernels: z.enum(['native', 'portable']),
  reason: z.string(),
  checks: z.array(kernelCheck).nullable(),
});

/** One row of list_backends: a probe with its kernel checks (null where none ran: cpu is the reference, or the backend did not initialise). */
export type BackendRow = z.output<typeof backendRow>;

let probed: Promise<BackendRow[]> | undefined;

const toRow = (p: BackendProbe): BackendRow => ({
  name: p.name,
  package: p.package,
  installed: p.installed,
  usable: p.usable,
  kernels: p.kernels,
  reason: p.reason,
  checks: p.smoke ? p.smoke.checks.map((c) => ({ name: c.name, ok: c.ok, maxError: c.maxError, ...(c.error === undefined ? {} : { error: c.error }) })) : null,
});

/** How long the probe may take before it is stopped (initialising tfjs-node or Dawn takes seconds). */
const PROBE_TIMEOUT_MS = 120_000;

/** `probeBackends()` of @populace/core in a child process (resolved from where server-kit is installed), its rows sent back on fd 3. */
function probeInChild(): Promise<BackendProbe[]> {
  const script = "const { probeBackends } = await import('@populace/core'); const rows = await probeBackends(); (await import('node:fs')).writeSync(3, JSON.stringify(rows)); process.exit(0);";
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: INSTALL_DIR, stdio: ['ignore', 'ignore', 'pipe', 'pipe'], env: process.env });
    const out: Buffer[] = [];
    let err = '';
    child.stdio[3]!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        if (code !== 0) throw new Error(signal === 'SIGKILL' ? `stopped after ${PROBE_TIMEOUT_MS / 1000} s` : `exit ${code ?? signal}: ${err.trim().split('\n').slice(-3).join(' ')}`);
        resolve(JSON.parse(Buffer.concat(out).toString()) as BackendProbe[]);
      } catch (error) {
        reject(new PopulaceError('backend-failed', `list_backends: the backend probe failed (${(error as Error).message}).`));
      }
    });
  });
}

/** The probe of this machine's backends, computed on first use in a child process (a failed probe is retried by the next caller). */
export function backendRows(): Promise<BackendRow[]> {
  probed ??= probeInChild().then(
    (rows) => rows.map(toRow),
    (error: unknown) => {
      probed = undefined;
      throw error;
    },
  );
  return probed;
}

export const listBackendsOperation = defineOperation({
  name: 'list_backends',
  title: 'List compute backends',
  description: 'Lists the tfjs backends Populace knows of (cpu, wasm, tensorflow, webgl, webgpu): whether each is installed and usable in this process (it initialises and every Populace kernel, forward and backward, agrees with cpu on a small input), its kernel set (native: written for it; portable: stock tfjs ops) and why. A usable one can be named as a job\'s backend; auto picks among them.',
  readOnly: true,
  input: z.object({}),
  output: z.object({ backends: z.array(backendRow) }),
  text: ({ backends }) =>
    `${backends.filter((b) => b.usable).length} of ${backends.length} backends usable here:\n${backends.map((b) => `${b.name} (${b.package}): ${b.usable ? 'usable' : b.installed ? 'installed, not usable' : 'not installed'}, ${b.kernels} kernels; ${b.reason}`).join('\n')}`,
  run: async () => ({ backends: await backendRows() }),
});
