/**
 * A persistent pool of worker threads for Populace's JavaScript kernels, so a
 * synchronous tfjs kernel can use both (or all) cores.
 *
 * tfjs kernels are synchronous, so a parallel kernel call posts its job to
 * the workers, works on it itself, then blocks in `Atomics.wait` until all of
 * it is done (allowed on Node's main thread). A job is split into chunks that
 * the threads claim one at a time (an atomic counter), so a worker the OS
 * has descheduled delays the call by one chunk, not by its whole share. Jobs
 * carry typed arrays on `SharedArrayBuffer`s: workers write their results
 * straight into the caller's memory, nothing is copied back.
 *
 * Work is described by a {@link PoolProgram}: JavaScript source, compiled once
 * on the calling thread and once in each worker, that returns a handler
 * `(job, chunk) => void`. The calling thread runs the very same code as the
 * workers, so a kernel whose chunks write disjoint outputs gives the same
 * bits however many threads run it and whichever thread runs which chunk.
 *
 * The pool is created lazily on first use with `threads - 1` workers (the
 * calling thread is the last one), its workers are `unref`'d so they never
 * keep the process alive, and {@link shutdownKernelThreads} terminates them.
 * The thread count is `POPULACE_THREADS` (read once, on first use), else
 * `min(os.availableParallelism(), 4)`; {@link setKernelThreads} overrides it.
 * 1 means no workers at all.
 */
import os from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { PopulaceError } from '../../errors.js';

/** Work the pool can run: `source` is a function body that returns `(job, chunk) => void`. */
export interface PoolProgram<J> {
  /** Unique name; each worker compiles a program once, on first use. */
  readonly name: string;
  /** JavaScript (not TypeScript) function body returning the chunk handler; it must be self-contained. */
  readonly source: string;
  /** Phantom field carrying the job type. */
  readonly __job?: J;
}

/** The most threads {@link setKernelThreads} accepts. */
export const MAX_KERNEL_THREADS = 64;
/** How long a new pool may take to start before Populace gives up on threads (ms). */
const BOOT_TIMEOUT_MS = 20_000;

// Control words, shared by the calling thread and every worker of one pool.
const DONE = 0; // chunks finished by workers in the current call
const FAILED = 1; // set when a chunk threw; its error is posted on the worker's port
const READY = 2; // READY + k: worker k has started
// `claim` (a BigInt64Array) holds (call sequence << 32) | next chunk: a thread
// claims chunk c by compare-exchanging it to c + 1, and only while the
// sequence is its call's, so a worker that wakes up late for a finished call
// claims nothing of the next one.

/** The worker's bootstrap: a CommonJS script evaluated with `eval: true`. */
const BOOT_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const { port, ctl, claim, slot } = workerData;
const programs = new Map();
port.on('message', (msg) => {
  if (msg.load !== undefined) {
    try { programs.set(msg.load, new Function(msg.source)()); }
    catch (err) { programs.set(msg.load, () => { throw err; }); }
    return;
  }
  const run = programs.get(msg.program);
  const seq = msg.seq;
  const chunks = BigInt(msg.chunks);
  for (;;) {
    const cur = Atomics.load(claim, 0);
    if (cur >> 32n !== seq || (cur & 0xffffffffn) >= chunks) break;
    if (Atomics.compareExchange(claim, 0, cur, cur + 1n) !== cur) continue;
    try {
      run(msg.job, Number(cur & 0xffffffffn));
    } catch (err) {
      port.postMessage({ error: String((err && err.stack) || err) });
      Atomics.store(ctl, ${FAILED}, 1);
    }
    Atomics.add(ctl, ${DONE}, 1);
    Atomics.notify(ctl, ${DONE});
  }
});
Atomics.store(ctl, ${READY} + slot, 1);
Atomics.notify(ctl, ${READY} + slot);
`;

interface Pool {
  readonly workers: Worker[];
  readonly ports: MessagePort[];
  readonly ctl: Int32Array;
  readonly claim: BigInt64Array;
  seq: bigint;
  readonly loaded: Set<string>;
  broken: boolean;
}

let requested: number | undefined; // set by setKernelThreads
let fromEnv: number | undefined; // POPULACE_THREADS or the default, resolved once
let pool: Pool | null = null;
let unavailable = false; // a pool failed to start: stay single-threaded
const handlers = new Map<string, (job: unknown, chunk: number) => void>();
let parallelRuns = 0;

/** Internal counters for tests: live workers and calls that ran on them. */
export function kernelPoolStats(): { workers: number; parallelRuns: number } {
  return { workers: pool === null ? 0 : pool.workers.length, parallelRuns };
}

function checkCount(n: number, where: string): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_KERNEL_THREADS) {
    throw new PopulaceError(
      'invalid-argument',
      `${where}: expected a whole number of threads in [1, ${MAX_KERNEL_THREADS}], received ${String(n)}; use 1 for no worker threads.`,
      { details: { threads: n } },
    );
  }
  return n;
}

/**
 * The thread count an environment asks for with `POPULACE_THREADS`, checked (undefined when unset
 * or empty). Tools call it at startup so a bad value fails there, not in the first kernel call.
 *
 * @throws PopulaceError `invalid-argument` unless the value is a whole number in [1, 64].
 * @example
 * ```ts
 * threadsFromEnv({ POPULACE_THREADS: '2' }); // 2
 * threadsFromEnv({ POPULACE_THREADS: 'abc' }); // throws: expected a whole number of threads in [1, 64]
 * ```
 */
export function threadsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number | undefined {
  const text = env.POPULACE_THREADS;
  if (text === undefined || text.trim() === '') return undefined;
  if (!/^\s*\d+\s*$/.test(text)) {
    throw new PopulaceError('invalid-argument', `POPULACE_THREADS: expected a whole number of threads in [1, ${MAX_KERNEL_THREADS}], received ${JSON.stringify(text)}; use 1 for no worker threads, or unset it for the default.`, { details: { variable: 'POPULACE_THREADS', received: text } });
  }
  return checkCount(Number(text), 'POPULACE_THREADS');
}

function defaultThreads(): number {
  const fromEnvironment = threadsFromEnv();
  if (fromEnvironment !== undefined) return fromEnvironment;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, 4));
}

/**
 * The number of threads Populace's kernels use, the calling thread included:
 * the last {@link setKernelThreads} value, else `POPULACE_THREADS`, else
 * `min(os.availableParallelism(), 4)`.
 *
 * @example
 * ```ts
 * console.log(getKernelThreads()); // 2 on a two-core machine
 * ```
 */
export function getKernelThreads(): number {
  if (requested !== undefined) return requested;
  fromEnv ??= defaultThreads();
  return fromEnv;
}

/**
 * Sets the number of threads Populace's kernels use (the calling thread
 * included; 1 = no worker threads), or restores the default with `undefined`.
 * Results do not depend on it: the kernels give the same bits for any count.
 * A running pool of another size is shut down; the next parallel call starts
 * a new one.
 *
 * @throws PopulaceError `invalid-argument` unless `threads` is a whole number in [1, 64].
 * @example
 * ```ts
 * setKernelThreads(1); // e.g. when several simulations already share the cores
 * ```
 */
export function setKernelThreads(threads: number | undefined): void {
  requested = threads === undefined ? undefined : checkCount(threads, 'setKernelThreads');
  if (pool !== null && pool.workers.length !== getKernelThreads() - 1) void shutdownKernelThreads();
}

/**
 * Terminates the worker threads (if any). Kernels keep working afterwards: the
 * next parallel call starts a new pool. The workers never keep a process
 * alive, so calling this is optional.
 *
 * @example
 * ```ts
 * await shutdownKernelThreads();
 * ```
 */
export async function shutdownKernelThreads(): Promise<void> {
  const p = pool;
  pool = null;
  unavailable = false;
  if (p === null) return;
  for (const port of p.ports) port.close();
  await Promise.all(p.workers.map((w) => w.terminate()));
}

/** The chunk handler of `program` on the calling thread (compiled once). */
function localHandler<J>(program: PoolProgram<J>): (job: J, chunk: number) => void {
  let run = handlers.get(program.name);
  if (run === undefined) {
    run = new Function(program.source)() as (job: unknown, chunk: number) => void;
    handlers.set(program.name, run);
  }
  return run as (job: J, chunk: number) => void;
}

function startPool(workers: number): Pool | null {
  const ctl = new Int32Array(new SharedArrayBuffer(4 * (READY + workers)));
  const claim = new BigInt64Array(new SharedArrayBuffer(8));
  const p: Pool = { workers: [], ports: [], ctl, claim, seq: 0n, loaded: new Set(), broken: false };
  for (let slot = 0; slot < workers; slot++) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(BOOT_SOURCE, {
      eval: true,
      name: `populace-kernels-${slot}`,
      execArgv: [],
      workerData: { port: port2, ctl, claim, slot },
      transferList: [port2],
    });
    // Exceptions inside jobs are caught and reported; this only sees a worker dying.
    worker.on('error', () => { p.broken = true; });
    worker.on('exit', () => { p.broken = true; });
    worker.unref();
    port1.unref();
    p.workers.push(worker);
    p.ports.push(port1);
  }
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  for (let slot = 0; slot < workers; slot++) {
    while (Atomics.load(ctl, READY + slot) === 0) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(ctl, READY + slot, 0, left) === 'timed-out') {
        for (const w of p.workers) void w.terminate();
        process.emitWarning(`Populace: kernel worker threads did not start within ${BOOT_TIMEOUT_MS} ms; running single-threaded.`);
        return null;
      }
    }
  }
  return p;
}

/** The pool for the current thread count, started if needed; null when single-threaded. */
function ensurePool(): Pool | null {
  const threads = getKernelThreads();
  if (threads <= 1 || unavailable) return null;
  if (pool !== null && (pool.broken || pool.workers.length !== threads - 1)) void shutdownKernelThreads();
  if (pool === null) {
    pool = startPool(threads - 1);
    if (pool === null) unavailable = true;
  }
  return pool;
}

/**
 * How many threads a parallel call runs on right now: the kernel thread
 * count, or 1 when threads are off or could not start. Starts the pool.
 */
export function poolThreads(): number {
  const p = ensurePool();
  return p === null ? 1 : p.workers.length + 1;
}

/**
 * Runs `handler(job, c)` for every chunk `c` in `[0, chunks)` of `program`,
 * on the calling thread and the pool's workers (each chunk on one thread,
 * claimed dynamically), and returns when all are done. With one chunk, or no
 * pool, runs them in order on the calling thread. Every typed array a worker
 * writes to must live on a `SharedArrayBuffer` (others are copied into the
 * message); chunks run concurrently, so they must write disjoint memory.
 *
 * @throws PopulaceError `backend-failed` when a chunk threw in a worker (the
 * calling thread's own exception is rethrown as is, after the workers finish;
 * chunks not started by then are skipped).
 */
export function runParallel<J>(program: PoolProgram<J>, job: J, chunks: number): void {
  const run = localHandler(program);
  const p = chunks > 1 ? ensurePool() : null;
  if (p === null) {
    for (let c = 0; c < chunks; c++) run(job, c);
    return;
  }
  const { ctl, claim, ports } = p;
  if (!p.loaded.has(program.name)) {
    for (const port of ports) port.postMessage({ load: program.name, source: program.source });
    p.loaded.add(program.name);
  }
  parallelRuns++;
  p.seq++;
  const seq = p.seq;
  Atomics.store(ctl, DONE, 0);
  Atomics.store(ctl, FAILED, 0);
  Atomics.store(claim, 0, seq << 32n);
  const total = BigInt(chunks);
  for (const port of ports) port.postMessage({ program: program.name, job, chunks, seq });
  let own = 0;
  let failure: unknown = null;
  let threw = false;
  for (;;) {
    const cur = Atomics.load(claim, 0);
    if ((cur & 0xffffffffn) >= total) break;
    // After a failure here, claim the rest without running it.
    const next = threw ? (cur & ~0xffffffffn) | total : cur + 1n;
    if (Atomics.compareExchange(claim, 0, cur, next) !== cur) continue;
    if (threw) {
      own += Number(total - (cur & 0xffffffffn));
      break;
    }
    own++;
    try {
      run(job, Number(cur & 0xffffffffn));
    } catch (err) {
      failure = err;
      threw = true;
    }
  }
  for (let done = Atomics.load(ctl, DONE); own + done < chunks; done = Atomics.load(ctl, DONE)) {
    Atomics.wait(ctl, DONE, done);
  }
  if (Atomics.load(ctl, FAILED) !== 0) {
    const messages: string[] = [];
    for (const port of ports) {
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
        messages.push(String((m.message as { error?: unknown }).error));
      }
    }
    throw new PopulaceError('backend-failed', `A kernel job failed in a worker thread: ${messages.join('\n')}`, {
      details: { program: program.name, errors: messages },
    });
  }
  if (threw) throw failure;
}

/** Whether `a` lives on a SharedArrayBuffer (so worker threads can read and write it). */
export function isShared(a: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

/** A zero-filled Float32Array of `n` elements on a new SharedArrayBuffer. */
export function sharedFloat32(n: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(4 * n));
}

/** A zero-filled Int32Array of `n` elements on a new SharedArrayBuffer. */
export function sharedInt32(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * n));
}

const readableScratch = new Map<string, Float32Array>();

/**
 * `a` as worker threads can read it: itself when it lives on a SharedArrayBuffer (or is a single
 * broadcast value), else a copy in the grow-only shared scratch buffer named `slot` (one per kernel
 * input; the copy is valid until that slot's next use, and kernels run one at a time). On cpu the
 * kernels' inputs are already shared (backend-io's `sharedInputs`: one copy per tensor); what is
 * copied here per call is wasm heap memory and arrays that are no tensor's data.
 */
export function workerReadable(a: Float32Array, slot: string): Float32Array {
  if (a.length === 1 || isShared(a)) return a;
  let s = readableScratch.get(slot);
  if (s === undefined || s.length < a.length) {
    s = sharedFloat32(a.length);
    readableScratch.set(slot, s);
  }
  const view = s.subarray(0, a.length);
  view.set(a);
  return view;
}
