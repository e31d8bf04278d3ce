/**
 * Analysis tasks: work a server does for one request that is not a recorded
 * run (building a population for its statistics, waiting on a counterfactual
 * sweep). They go through a queue with the executor's limits: at most
 * `concurrency` at once, at most `maxQueued` waiting (then `limit-exceeded`),
 * each stopped after `maxWallMs`. Tasks have their own slots, so a short
 * statistics question never waits behind a half-hour simulation.
 */
import { PopulaceError } from '@populace/core';
import { baseExecutor } from './client-executor.js';
import type { Executor } from './executor.js';
import { checkLimit, type RunLimits } from './limits.js';

/** Load of a task queue. */
export interface TaskStats {
  readonly running: number;
  readonly queued: number;
  readonly concurrency: number;
}

/** Runs analysis tasks within limits. */
export interface TaskQueue {
  /**
   * Runs `task` when a slot is free; `what` names it in errors. The task's signal aborts when
   * `options.signal` does or the wall-time limit passes (the promise then rejects with
   * `limit-exceeded`); a full queue rejects at once with `limit-exceeded`.
   */
  run<T>(what: string, task: (signal: AbortSignal) => Promise<T>, options?: { readonly signal?: AbortSignal | undefined }): Promise<T>;
  stats(): TaskStats;
}

/** Options of `createTaskQueue`. */
export interface TaskQueueOptions {
  readonly concurrency: number;
  readonly limits: Pick<RunLimits, 'maxQueued' | 'maxWallMs'>;
}

/**
 * A task queue.
 *
 * @example
 * ```ts
 * const tasks = createTaskQueue({ concurrency: 2, limits: { maxQueued: 100, maxWallMs: 60_000 } });
 * const stats = await tasks.run('populationStats', (signal) => computeStats(signal));
 * ```
 */
export function createTaskQueue(options: TaskQueueOptions): TaskQueue {
  const { concurrency, limits } = options;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new PopulaceError('invalid-argument', `concurrency: expected a positive integer, received ${String(concurrency)}.`);
  const waiting: (() => void)[] = [];
  let running = 0;
  const release = () => {
    running -= 1;
    const next = waiting.shift();
    if (next) next();
  };
  return {
    stats: () => ({ running, queued: waiting.length, concurrency }),
    async run<T>(what: string, task: (signal: AbortSignal) => Promise<T>, opts: { readonly signal?: AbortSignal | undefined } = {}): Promise<T> {
      if (running >= concurrency) {
        checkLimit(limits as RunLimits, 'maxQueued', waiting.length + 1, `analysis tasks waiting after this ${what}`, 'Wait for the running ones to finish.');
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
      running += 1;
      const controller = new AbortController();
      const onAbort = () => controller.abort(opts.signal?.reason);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      let timer: NodeJS.Timeout | undefined;
      const wall = Number.isFinite(limits.maxWallMs)
        ? new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              // the refusal first, so it wins the race against the task's own abort error
              setImmediate(() => controller.abort());
              reject(new PopulaceError('limit-exceeded', `${what} ran past this server's wall-time limit of ${limits.maxWallMs} ms (maxWallMs). Ask for fewer agents, or ask the operator to raise --max-wall-ms.`, { details: { limit: 'maxWallMs', max: limits.maxWallMs } }));
            }, limits.maxWallMs);
            timer.unref();
          })
        : undefined;
      try {
        if (opts.signal?.aborted) throw new PopulaceError('aborted', `${what} was not started: the request went away.`);
        const work = task(controller.signal);
        return await (wall ? Promise.race([work, wall]) : work);
      } finally {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        release();
      }
    },
  };
}

const queues = new WeakMap<Executor, TaskQueue>();

/**
 * The task queue of `executor`: one per executor, with its concurrency, `maxQueued` and
 * `maxWallMs`, shared by every server on it.
 *
 * @example
 * ```ts
 * await executorTasks(kit.executor).run('populationStats', () => populationStats(kit, input));
 * ```
 */
export function executorTasks(view: Executor): TaskQueue {
  // a client's view shares its executor's queue
  const executor = baseExecutor(view);
  let q = queues.get(executor);
  if (!q) queues.set(executor, (q = createTaskQueue({ concurrency: executor.concurrency, limits: executor.limits })));
  return q;
}
