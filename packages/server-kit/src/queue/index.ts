/**
 * @populace/server-kit/queue: the BullMQ executor (jobs on a Redis queue) and
 * the `populace-worker` processes that run them.
 */
export { createQueueExecutor } from './queue-executor.js';
export type { QueueBackedExecutor, QueueExecutorOptions } from './queue-executor.js';
export { DEFAULT_QUEUE_NAME, parseRedisUrl, pluginMismatch, pluginsOf } from './queue-protocol.js';
export type { PluginVersion, QueueJobData, QueueProgress, QueueResult, RedisTarget } from './queue-protocol.js';
export { startQueueWorker } from './queue-worker.js';
export type { QueueWorker, QueueWorkerOptions } from './queue-worker.js';
export { checkRedis } from './redis-connection.js';
export { WORKER_USAGE, workerMain } from './worker-main.js';
