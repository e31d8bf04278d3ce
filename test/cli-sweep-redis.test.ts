/**
 * `populace sweep --redis` (and run, calibrate, sensitivity): the jobs go on
 * a real redis-server's queue and a real `populace-worker` process runs them;
 * the bands (documents) are those of the same jobs run in process, and the runs are recorded (with the
 * worker that ran each) in the --db run store the servers read. An
 * unreachable Redis is a usage error (exit 2) with the servers' message.
 * The Redis part is skipped without redis-server unless POPULACE_REQUIRE_REDIS=1.
 * Needs the builds of core, server-kit and cli.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunStore } from '@populace/server-kit';
import { expectUsageError, spawnCli } from './fixtures/cli/harness.js';
import { findRedisServer, freePort, startRedis, startWorker, stopAll, tempDir } from './queue.fixture.js';

const REDIS = findRedisServer();
if (!REDIS && process.env.POPULACE_REQUIRE_REDIS === '1') throw new Error('redis-server is not installed but POPULACE_REQUIRE_REDIS=1: install it (apt-get install -y redis-server).');
if (!REDIS) console.warn('cli-sweep-redis.test.ts: the Redis tests are skipped: redis-server is not installed (apt-get install -y redis-server; POPULACE_REQUIRE_REDIS=1 makes this an error).');

interface SweepDoc {
  runId: string;
  interrupted: boolean;
  seeds: number[];
  points: { name: string; params: Record<string, number>; runIds: string[]; runsDone: number; bands: Record<string, unknown> }[];
}

// the workers run on the CPU backend: so does the in-process reference
const SWEEP = ['sweep', 'example/network-sir', '--population', 'example/random-graph', '--agents', '400', '--steps', '8', '--vary', 'beta=0.05,0.3', '--seeds', '1..3', '--backend', 'cpu', '--json'];

afterAll(stopAll);

describe('populace sweep --redis', () => {
  it('refuses an unreachable Redis with exit 2 and the message the servers give', async () => {
    const port = await freePort(); // nothing listens there
    const r = await spawnCli([...SWEEP, '--redis', `redis://127.0.0.1:${port}`], tempDir('populace-cli-redis-'));
    expectUsageError(r, `Redis at redis://127.0.0.1:${port}`, 'is not reachable', '--redis');
    const bad = await spawnCli([...SWEEP, '--redis', 'http://127.0.0.1:1'], tempDir('populace-cli-redis-'));
    expectUsageError(bad, '--redis: expected a Redis URL');
  });

  describe.skipIf(!REDIS)('with redis-server and a populace-worker', () => {
    let url: string;
    beforeAll(async () => {
      const port = await freePort();
      await startRedis(REDIS!, port, tempDir('populace-cli-redis-data-'));
      url = `redis://127.0.0.1:${port}`;
      await startWorker(url, ['--concurrency', '2']);
    }, 60_000);

    it('gives the bands of the same sweep run in process, and records the runs with their worker in --db', async () => {
      const dir = tempDir('populace-cli-redis-');
      const local = await spawnCli(SWEEP, dir);
      expect([local.code, local.stderr]).toEqual([0, '']);
      const queued = await spawnCli([...SWEEP, '--redis', url, '--db', 'runs.sqlite'], dir);
      expect([queued.code, queued.stderr]).toEqual([0, '']);
      const [a, b] = [JSON.parse(local.stdout) as SweepDoc, JSON.parse(queued.stdout) as SweepDoc];
      expect(b.interrupted).toBe(false);
      expect(b.points.map((p) => p.runsDone)).toEqual([3, 3]);
      const strip = (d: SweepDoc) => d.points.map(({ name, params, runsDone, bands }) => ({ name, params, runsDone, bands }));
      expect(strip(b)).toEqual(strip(a));
      // the bands differ between the points (beta matters), so the equality above is not vacuous
      expect(b.points[0]!.bands).not.toEqual(b.points[1]!.bands);

      const store = openRunStore({ path: path.join(dir, 'runs.sqlite') });
      try {
        const runs = store.list({ parentId: b.runId, limit: 100 }).runs;
        expect(runs.map((r) => r.id).sort()).toEqual(b.points.flatMap((p) => p.runIds).sort());
        expect(runs.every((r) => r.status === 'done' && typeof r.worker === 'string' && r.worker !== '')).toBe(true);
        expect(store.require(b.runId).kind).toBe('scenarios');
      } finally {
        store.close();
      }
    }, 120_000);

    it('run, calibrate and sensitivity --redis give the documents of the same jobs run in process', async () => {
      const dir = tempDir('populace-cli-redis-');
      const SIM = ['example/network-sir', '--population', 'example/random-graph', '--agents', '400', '--steps', '6', '--seed', '2', '--param', 'seedFraction=0.05', '--backend', 'cpu', '--json'];
      const jobs = [
        ['run', ...SIM, '--param', 'beta=0.3', '--out', 'observed.csv'],
        ['calibrate', ...SIM, '--param', 'beta=0.1', '--learnable', 'beta', '--observed', 'observed.csv', '--epochs', '2'],
        ['sensitivity', ...SIM, '--output', 'I:sum', '--estimator', 'straight-through'],
      ];
      for (const argv of jobs) {
        const local = await spawnCli(argv, dir);
        expect([local.code, local.stderr], argv[0]).toEqual([0, '']);
        const queued = await spawnCli([...argv, '--redis', url, '--db', `${argv[0]}.sqlite`], dir);
        expect([queued.code, queued.stderr], argv[0]).toEqual([0, '']);
        const [a, b] = [JSON.parse(local.stdout) as Record<string, unknown>, JSON.parse(queued.stdout) as Record<string, unknown>];
        delete a.wallMs;
        delete b.wallMs;
        expect(b, argv[0]).toEqual(a);
        const store = openRunStore({ path: path.join(dir, `${argv[0]}.sqlite`) });
        try {
          const [record] = store.list({}).runs;
          expect(record).toMatchObject({ kind: argv[0], status: 'done' });
          expect(record!.worker).toMatch(/:\d+$/);
        } finally {
          store.close();
        }
      }
    }, 120_000);
  });
});
