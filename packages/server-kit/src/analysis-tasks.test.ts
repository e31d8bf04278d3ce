/** The analysis task queue: concurrency, queue bound, wall time. */
import { describe, expect, it } from 'vitest';
import { PopulaceError } from '@populace/core';
import { createTaskQueue } from './analysis-tasks.js';

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createTaskQueue', () => {
  it('runs at most concurrency tasks at once and queues the rest in order', async () => {
    const tasks = createTaskQueue({ concurrency: 2, limits: { maxQueued: 10, maxWallMs: Infinity } });
    let active = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        tasks.run('t', async () => {
          active += 1;
          most = Math.max(most, active);
          await later(20);
          order.push(i);
          active -= 1;
        }),
      ),
    );
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(tasks.stats()).toEqual({ running: 0, queued: 0, concurrency: 2 });
  });

  it('refuses a task past maxQueued and stops one past maxWallMs, with limit-exceeded', async () => {
    const tasks = createTaskQueue({ concurrency: 1, limits: { maxQueued: 1, maxWallMs: 50 } });
    const slow = tasks.run('slow', (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))));
    const queued = tasks.run('second', async () => 2);
    await expect(tasks.run('third', async () => 3)).rejects.toMatchObject({ code: 'limit-exceeded', details: { limit: 'maxQueued' } });
    const error = await slow.catch((e: unknown) => e);
    expect(PopulaceError.isInstance(error) && error.code).toBe('limit-exceeded');
    expect(await queued).toBe(2);
  });
});

