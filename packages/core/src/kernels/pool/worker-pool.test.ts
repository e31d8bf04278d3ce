import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PopulaceError } from '../../errors.js';
import {
  getKernelThreads,
  kernelPoolStats,
  runParallel,
  setKernelThreads,
  sharedFloat32,
  shutdownKernelThreads,
  type PoolProgram,
} from './worker-pool.js';

interface Job { out: Float32Array; runs: Int32Array; onMain?: Int32Array; fail?: number; failOnWorker?: boolean; slowOnMain?: boolean }

// Chunk c writes c + 1 into out[c] and counts its runs; it can fail on purpose.
// Only the calling thread has the global flag, so a chunk can tell where it runs.
const PROGRAM: PoolProgram<Job> = {
  name: 'worker-pool.test',
  source: `return function (job, c) {
    const onMain = globalThis.__populaceTestMainThread === true;
    if (job.fail === c || (job.failOnWorker && !onMain)) throw new Error('chunk ' + c + ' failed on purpose');
    if (job.slowOnMain && onMain) { const t = Date.now(); while (Date.now() - t < 5); }
    if (job.onMain && onMain) job.onMain[0]++;
    Atomics.add(job.runs, c, 1);
    job.out[c] = c + 1;
  };`,
};

const shared = (n: number) => ({ out: sharedFloat32(n), runs: new Int32Array(new SharedArrayBuffer(4 * n)) });

(globalThis as { __populaceTestMainThread?: boolean }).__populaceTestMainThread = true;
afterEach(() => { setKernelThreads(undefined); });
afterAll(async () => { await shutdownKernelThreads(); });

describe('the kernel worker pool', () => {
  it('runs every chunk exactly once, on all threads, writing shared memory in place', () => {
    setKernelThreads(3);
    const job = shared(64);
    const before = kernelPoolStats().parallelRuns;
    runParallel(PROGRAM, job, 64);
    expect(Array.from(job.out)).toEqual(Array.from({ length: 64 }, (_, c) => c + 1));
    expect(Array.from(job.runs)).toEqual(new Array(64).fill(1));
    expect(kernelPoolStats()).toEqual({ workers: 2, parallelRuns: before + 1 });
  });

  it('lets the workers take over the chunks of a slow thread', () => {
    setKernelThreads(2);
    const job = { ...shared(40), slowOnMain: true, onMain: new Int32Array(1) };
    runParallel(PROGRAM, job, 40);
    expect(Array.from(job.runs)).toEqual(new Array(40).fill(1));
    expect(job.onMain[0]).toBeLessThan(40); // 5 ms per chunk here: the worker took the rest
  });

  it('rethrows a worker chunk error as a PopulaceError and keeps working', () => {
    setKernelThreads(2);
    const job = { ...shared(40), failOnWorker: true, slowOnMain: true };
    let caught: unknown;
    try {
      runParallel(PROGRAM, job, 40);
    } catch (e) {
      caught = e;
    }
    expect(PopulaceError.isInstance(caught)).toBe(true);
    expect((caught as PopulaceError).code).toBe('backend-failed');
    expect((caught as PopulaceError).message).toMatch(/chunk \d+ failed on purpose/);
    const again = shared(8);
    runParallel(PROGRAM, again, 8);
    expect(Array.from(again.runs)).toEqual(new Array(8).fill(1));
  });

  it("rethrows the calling thread's error after the workers finish, skipping chunks not started", () => {
    setKernelThreads(2);
    const job = { ...shared(1000), fail: 0 };
    expect(() => runParallel(PROGRAM, job, 1000)).toThrow(/chunk 0 failed on purpose/);
    // Chunk 0 is the calling thread's first claim; the rest ran at most once each.
    expect(job.runs.every((r) => r <= 1)).toBe(true);
    const again = shared(8);
    runParallel(PROGRAM, again, 8);
    expect(Array.from(again.runs)).toEqual(new Array(8).fill(1));
  });

  it('runs everything on the calling thread with 1 thread', async () => {
    await shutdownKernelThreads();
    setKernelThreads(1);
    const job = { out: new Float32Array(3), runs: new Int32Array(3) }; // not shared: fine without workers
    runParallel(PROGRAM, job, 3);
    expect(Array.from(job.out)).toEqual([1, 2, 3]);
    expect(kernelPoolStats().workers).toBe(0);
  });

  it('defaults to POPULACE_THREADS or min(cores, 4), and validates the setting', () => {
    expect(getKernelThreads()).toBeGreaterThanOrEqual(1);
    expect(getKernelThreads()).toBeLessThanOrEqual(Math.max(4, Number(process.env.POPULACE_THREADS ?? 0)));
    setKernelThreads(5);
    expect(getKernelThreads()).toBe(5);
    for (const bad of [0, 1.5, -1, 65, Number.NaN]) {
      expect(() => setKernelThreads(bad)).toThrow(/expected a whole number of threads in \[1, 64\]/);
    }
    expect(getKernelThreads()).toBe(5);
  });
});
