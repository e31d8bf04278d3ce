/**
 * Real processes for the queue tests: a redis-server on a free loopback port
 * with a temporary directory and persistence on (appendonly, fsync always), and
 * `populace-worker` processes; every process started here is stopped by `stopAll`.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORKER_BIN = fileURLToPath(new URL('../packages/server-kit/bin/populace-worker.js', import.meta.url));

/** The redis-server executable, or null when it is not installed. */
export function findRedisServer(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : null;
}

/** A TCP port free on 127.0.0.1 now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A started child process and what it printed. */
export interface Child {
  readonly child: ChildProcessWithoutNullStreams;
  readonly out: () => string;
  readonly err: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcessWithoutNullStreams>();
const dirs: string[] = [];

/** Starts `command args` and resolves once its output matches `ready` (rejects if it exits first or after `timeoutMs`). */
export function startChild(command: string, args: readonly string[], ready: RegExp, options: { cwd?: string; timeoutMs?: number } = {}): Promise<Child> {
  const child = spawn(command, [...args], { cwd: options.cwd ?? tmpdir(), stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  const c: Child = { child, out: () => out, err: () => err, exited };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${path.basename(command)} not ready after ${options.timeoutMs ?? 30_000} ms: ${out}${err}`)), options.timeoutMs ?? 30_000);
    const check = () => {
      if (ready.test(out) || ready.test(err)) {
        clearTimeout(timer);
        resolve(c);
      }
    };
    child.stdout.on('data', (d) => ((out += d), check()));
    child.stderr.on('data', (d) => ((err += d), check()));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${path.basename(command)} exited (${code ?? signal}) before it was ready: ${out}${err}`));
    });
  });
}

/** A redis-server on `port` keeping its data (AOF, fsync always) in `dir`. */
export async function startRedis(bin: string, port: number, dir: string): Promise<Child> {
  return startChild(bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--protected-mode', 'yes'], /Ready to accept connections/);
}

/** A temporary directory removed by `stopAll`. */
export function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** A `populace-worker` on the CPU backend with short lock and stalled-check intervals. */
export function startWorker(redisUrl: string, extra: readonly string[] = []): Promise<Child> {
  return startChild(process.execPath, [WORKER_BIN, '--redis', redisUrl, '--backend', 'cpu', '--lock-ms', '2000', '--stalled-interval-ms', '1000', ...extra], /populace-worker ready/, { cwd: tempDir('populace-worker-') });
}

/** SIGKILLs every process still running and removes the temporary directories. */
export async function stopAll(): Promise<void> {
  const waits = [...children].map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : (c.once('exit', r), c.kill('SIGKILL')))));
  await Promise.all(waits);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Resolves when `predicate` holds (polled every 50 ms), rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
