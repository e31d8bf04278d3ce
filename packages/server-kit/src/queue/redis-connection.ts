/**
 * Redis connections for the queue: one that waits through a Redis restart
 * (commands are retried until Redis is back, so no accepted job is lost), and
 * a start-up check that fails fast with a clear message when Redis is absent.
 */
import { Redis } from 'ioredis';
import { PopulaceError } from '@populace/core';
import type { RedisTarget } from './queue-protocol.js';

/** A connection for BullMQ: unbounded retries (BullMQ requires maxRetriesPerRequest null). */
export function openRedis(target: RedisTarget): Redis {
  const redis = new Redis(target.url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 100, 1000) });
  // reconnection is automatic; errors while Redis is down are not the caller's to handle
  redis.on('error', () => {});
  return redis;
}

/**
 * Resolves once Redis answers PING; throws `missing-requirement` naming the URL when it does not
 * within `timeoutMs`.
 */
export async function checkRedis(target: RedisTarget, timeoutMs = 3000): Promise<void> {
  const redis = new Redis(target.url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: timeoutMs, retryStrategy: () => null });
  let last: unknown;
  redis.on('error', (e) => (last = e));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    const why = (last ?? error) as Error;
    throw new PopulaceError('missing-requirement', `Redis at ${target.display} is not reachable (${why?.message ?? String(why)}). Start it (e.g. \`redis-server --appendonly yes\`) or fix --redis.`, { cause: error });
  } finally {
    redis.disconnect();
  }
}
