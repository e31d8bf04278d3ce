/**
 * A per-agent snapshot through the BullMQ executor: a run with a snapshot
 * goes to a `populace-worker` process (redis-server on a loopback port), and
 * the snapshot the server records is the in-process executor's, value for
 * value. Skipped without redis-server unless POPULACE_REQUIRE_REDIS=1.
 * Needs the builds of core and server-kit.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { createInProcessExecutor, openRunStore, type RunRequest, type RunSnapshotOutcome } from '@populace/server-kit';
import { createQueueExecutor, parseRedisUrl } from '@populace/server-kit/queue';
import { findRedisServer, freePort, startRedis, startWorker, stopAll, tempDir } from './queue.fixture.js';

const REDIS = findRedisServer();
if (!REDIS && process.env.POPULACE_REQUIRE_REDIS === '1') throw new Error('redis-server is not installed but POPULACE_REQUIRE_REDIS=1: install it (apt-get install -y redis-server).');

afterAll(stopAll);

const RUN: RunRequest = { kind: 'run', model: 'network-sir', population: 'random-graph', agents: 800, steps: 6, seed: 2, params: { beta: 0.3, seedFraction: 0.02 }, snapshot: { states: ['infected', 'age'], steps: [3, 6] } };

describe.skipIf(!REDIS)('snapshots on populace-worker processes', () => {
  it('records the snapshot the in-process executor records', async () => {
    const dir = tempDir('populace-queue-snap-');
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    await startRedis(REDIS!, port, dir);
    await startWorker(url);
    const runtime = () => createRuntime({ plugins: [examplePlugin], backend: 'cpu' });
    const store = openRunStore({ path: path.join(dir, 'queue.db') });
    const queue = createQueueExecutor({ runtime: runtime(), store, redis: parseRedisUrl(url), concurrency: 1 });
    const local = openRunStore({ path: path.join(dir, 'local.db') });
    const inProcess = createInProcessExecutor({ runtime: runtime(), store: local });
    try {
      await queue.ready();
      const remote = await queue.wait(queue.submit(RUN).id, { timeoutMs: 30_000 });
      const reference = await inProcess.wait(inProcess.submit(RUN).id);
      expect([remote.status, reference.status]).toEqual(['done', 'done']);
      expect(remote.worker).toMatch(/:\d+$/);
      const snapshot = (remote.result as RunSnapshotOutcome).snapshot;
      expect(snapshot.steps).toEqual([3, 6]);
      expect(snapshot).toEqual((reference.result as RunSnapshotOutcome).snapshot);
      expect(snapshot.columns[0]!.values[1]!.reduce<number>((a, b) => a + (b ?? 0), 0)).toBe(store.series(remote.id).series.I![5]);
    } finally {
      await queue.close();
      await inProcess.close();
      store.close();
      local.close();
    }
  }, 60_000);
});
