/**
 * The executor the CLI's jobs run through: the servers' (server-kit's) run
 * store and executor, opened for one command. Without --db the store is in
 * memory (no file is written); `--db file.sqlite` records the runs in that
 * SQLite run store, the one `populace-graphql --db` and `populace-mcp --db`
 * read. Without --redis the jobs run in this process; `--redis <url>` puts
 * them on the BullMQ queue that `populace-worker` processes take them from.
 */
import type { Runtime } from '@populace/core';
import { createMemoryRunStore, createServerKit, DEFAULT_LIMITS, type Executor, type RunLimits, type RunStore, type ServerKit, type ServerKitOptions } from '@populace/server-kit';
import type { OptionSpec } from './args.js';

/** `--db file`: where the runs are recorded. */
export const DB_OPTION: OptionSpec = { type: 'string', value: 'file', description: 'record the run(s) in this SQLite run store, the one populace-graphql/populace-mcp --db read (default: in memory, no file)' };

/** `--redis url`: run the jobs on populace-worker processes. */
export const REDIS_OPTION: OptionSpec = { type: 'string', value: 'url', description: 'put the runs on the BullMQ queue of this Redis (redis://host:port) for populace-worker processes (default: run in this process)' };

/** What the kit of one command is opened with. */
export interface CliKitOptions {
  /** --db: the SQLite file; undefined: an in-memory store. */
  readonly db?: string | undefined;
  /** --redis: the Redis URL; undefined: the in-process executor. */
  readonly redis?: string | undefined;
  /** Jobs running at once in process (default 1: the CLI runs one job at a time). */
  readonly concurrency?: number | undefined;
  /** The executor's limits (default the servers'; `NO_LIMITS` for a command's own job). */
  readonly limits?: Partial<RunLimits> | undefined;
  /** The in-process executor's other options: memory budget, chat model, data directories, simulation hook. */
  readonly executor?: Pick<ServerKitOptions, 'memoryBudget' | 'behaviorModel' | 'dataDirs' | 'onSimulation'> | undefined;
}

/**
 * No operator limits: the user's own job on the user's machine (the command checks its memory
 * against this machine's before it runs, with the numbers and the fix).
 */
export const NO_LIMITS: RunLimits = Object.freeze(Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((k) => [k, Infinity])) as unknown as RunLimits);

/**
 * For --redis: checks the URL and that Redis answers (a `missing-requirement` error naming the URL
 * otherwise, the servers' message, exit 2), then builds the queue executor (bullmq loads only then).
 */
async function queueExecutor(runtime: Runtime, url: string, options: CliKitOptions): Promise<(store: RunStore) => Executor> {
  const { checkRedis, createQueueExecutor, parseRedisUrl } = await import('@populace/server-kit/queue');
  const redis = parseRedisUrl(url);
  await checkRedis(redis);
  const dataDirs = options.executor?.dataDirs;
  return (store) => createQueueExecutor({ runtime, store, redis, ...(options.limits ? { limits: options.limits } : {}), ...(dataDirs ? { dataDirs } : {}) });
}

/**
 * Opens the run store and the executor of one command; close it (`kit.close()`) when the command
 * ends: unfinished jobs end as interrupted and the store is closed.
 *
 * @example
 * ```ts
 * const kit = await openCliKit(runtime, { db: 'runs.sqlite' });
 * try { await runOperation.run(input, { ...kit, signal }); } finally { await kit.close(); }
 * ```
 */
export async function openCliKit(runtime: Runtime, options: CliKitOptions = {}): Promise<ServerKit> {
  const createExecutor = options.redis === undefined ? undefined : await queueExecutor(runtime, options.redis, options);
  // without --db: a store in memory (no file, and no SQLite addon needed)
  const kit = createServerKit({ runtime, db: options.db ?? createMemoryRunStore(), concurrency: options.concurrency ?? 1, ...(options.limits ? { limits: options.limits } : {}), ...options.executor, ...(createExecutor ? { createExecutor } : {}) });
  const ready = (kit.executor as Executor & { ready?: () => Promise<void> }).ready;
  if (ready) {
    try {
      await ready.call(kit.executor);
    } catch (error) {
      await kit.close();
      throw error;
    }
  }
  return kit;
}
