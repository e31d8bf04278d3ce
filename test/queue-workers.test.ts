/**
 * The BullMQ executor with real processes: a redis-server (persistence on) on
 * a loopback port and two `populace-worker` processes. A 20-run sweep gives
 * the in-process executor's metrics run for run; a worker SIGKILLed mid-sweep
 * and a Redis restarted mid-sweep still leave every run done exactly once with
 * those metrics; a plugin no worker has fails once with that message; the
 * servers and workers stop cleanly. Skipped without redis-server unless
 * POPULACE_REQUIRE_REDIS=1. Needs the builds of core, server-kit, graphql and mcp-server.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, definePlugin, type Runtime } from '@populace/core';
import { examplePlugin, networkSir } from '@populace/core/examples';
import { createInProcessExecutor, openRunStore, type Executor, type RunRecord, type RunStore, type ScenariosRequest } from '@populace/server-kit';
import { createQueueExecutor, parseRedisUrl, type QueueBackedExecutor } from '@populace/server-kit/queue';
import { SIR_INPUT } from '../packages/graphql/src/yoga.fixture.js';
import { findRedisServer, freePort, startChild, startRedis, startWorker, stopAll, tempDir, until, type Child } from './queue.fixture.js';

const REDIS = findRedisServer();
if (!REDIS && process.env.POPULACE_REQUIRE_REDIS === '1') throw new Error('redis-server is not installed but POPULACE_REQUIRE_REDIS=1: install it (apt-get install -y redis-server).');
if (!REDIS) console.warn('queue-workers.test.ts skipped: redis-server is not installed (apt-get install -y redis-server; POPULACE_REQUIRE_REDIS=1 makes this an error).');

const GRAPHQL_BIN = fileURLToPath(new URL('../packages/graphql/dist/bin.js', import.meta.url));
const MCP_BIN = fileURLToPath(new URL('../packages/mcp-server/dist/bin.js', import.meta.url));
const START = 'mutation($input: StartRunInput!, $waitMs: Int) { startRun(input: $input, waitMs: $waitMs) { id status } }';
async function gql(url: string, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await r.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (!body.data || body.errors) throw new Error(`GraphQL answered ${JSON.stringify(body)}`);
  return body.data;
}
/** 4 scenarios x 5 seeds of a small epidemic: 20 runs (or 4 x `seeds`, on `agents`). */
const sweep = (steps: number, agents = 2000, seeds = [1, 2, 3, 4, 5]): ScenariosRequest => ({
  kind: 'scenarios', model: 'network-sir', population: 'random-graph', agents, steps, params: { seedFraction: 0.01 },
  scenarios: [0.04, 0.06, 0.08, 0.1].map((beta) => ({ name: `beta-${beta}`, params: { beta } })), seeds,
});
/** The kill test's sweep: 4 runs, each long enough (about 0.5 s here) that a run seen at step 20-200 is still running when the kill lands, whatever the lag of the progress events. */
const LONG_SWEEP = [800, 20_000, [1]] as const;

const runtime = (): Runtime => createRuntime({ plugins: [examplePlugin], backend: 'cpu' });
const children = (store: RunStore, sweepId: string): RunRecord[] => store.list({ parentId: sweepId, limit: 100 }).runs;
/** Each run of a sweep as 'scenario/seed' -> its series. */
const seriesOf = (store: RunStore, sweepId: string) => Object.fromEntries(children(store, sweepId).map((r) => [`${r.label}/${r.seed}`, store.series(r.id).series]));

describe.skipIf(!REDIS)('BullMQ executor with populace-worker processes', () => {
  let dir: string;
  let url: string;
  let port: number;
  let redis: Child;
  let workers: Child[];
  let store: RunStore;
  let executor: QueueBackedExecutor;
  const reference: Record<string, Record<string, Record<string, number[]>>> = {};

  /** The in-process executor's series of `sweep(steps)`, computed once. */
  async function referenceOf(...args: Parameters<typeof sweep>) {
    const key = args.join('-');
    if (reference[key]) return reference[key];
    const s = openRunStore({ path: path.join(dir, `reference-${key}.db`) });
    const ex: Executor = createInProcessExecutor({ runtime: runtime(), store: s, concurrency: 2 });
    const done = await ex.wait(ex.submit(sweep(...args)).id);
    expect(done.status).toBe('done');
    reference[key] = seriesOf(s, done.id);
    await ex.close();
    s.close();
    return reference[key];
  }

  beforeAll(async () => {
    dir = tempDir('populace-queue-');
    port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = await startRedis(REDIS!, port, dir);
    workers = await Promise.all([startWorker(url), startWorker(url)]);
    store = openRunStore({ path: path.join(dir, 'runs.db') });
    executor = createQueueExecutor({ runtime: runtime(), store, redis: parseRedisUrl(url), concurrency: 2, reconcileMs: 500 });
    await executor.ready();
  }, 60_000);

  afterAll(async () => {
    await executor?.close();
    store?.close();
    await stopAll();
  });

  it('runs a 20-run sweep on the two workers with the in-process metrics', async () => {
    const parent = executor.submit(sweep(30));
    const ref = await referenceOf(30);
    const done = await executor.wait(parent.id, { timeoutMs: 50_000 });
    expect(done.status).toBe('done');
    const runs = children(store, done.id);
    expect(runs).toHaveLength(20);
    expect(runs.every((r) => r.status === 'done' && r.stepsRecorded === 30)).toBe(true);
    expect(seriesOf(store, done.id)).toEqual(ref);
    // the worker that ran each run is recorded (host:pid), and both took runs
    const pids = new Set(runs.map((r) => /^.+:(\d+)$/.exec(r.worker ?? '')?.[1]));
    expect(new Set(runs.map((r) => r.backend))).toEqual(new Set(['cpu']));
    expect(pids).toEqual(new Set(workers.map((w) => String(w.child.pid))));
  });

  it('completes every run exactly once when a worker is SIGKILLed mid-sweep', async () => {
    const [steps, agents, seeds] = LONG_SWEEP;
    const ref = await referenceOf(steps, agents, [...seeds]);
    const parent = executor.submit(sweep(steps, agents, [...seeds]));
    const victim = workers[0]!;
    // a run of the victim's is early on (600+ steps to go): kill it there
    const halfWay = () => children(store, parent.id).find((r) => r.status === 'running' && r.worker?.endsWith(`:${victim.child.pid}`) && r.progress.done >= 20 && r.progress.done <= 200);
    await until(() => halfWay() !== undefined, 30_000, 'a run half way on the first worker');
    victim.child.kill('SIGKILL');
    const taken = halfWay()!.id;
    await victim.exited;
    // a replacement now, so that a failure below does not leave the later tests one worker short
    workers[0] = await startWorker(url);
    const done = await executor.wait(parent.id, { timeoutMs: 50_000 });
    expect(done.status).toBe('done');
    const runs = children(store, parent.id);
    expect(runs.map((r) => r.status)).toEqual(Array(4).fill('done'));
    expect(runs.every((r) => r.stepsRecorded === steps)).toBe(true);
    expect(seriesOf(store, parent.id)).toEqual(ref);
    // the run the victim held was rerun by the other worker
    expect(store.require(taken).worker).not.toMatch(new RegExp(`:${victim.child.pid}$`));
  }, 120_000);

  it('loses no accepted job when Redis restarts mid-sweep', async () => {
    const ref = await referenceOf(30);
    const parent = executor.submit(sweep(30));
    await until(() => children(store, parent.id).filter((r) => r.status === 'done').length >= 3, 30_000, 'three runs done');
    expect(children(store, parent.id).filter((r) => r.status === 'done').length).toBeLessThan(20);
    redis.child.kill('SIGTERM');
    expect((await redis.exited).code).toBe(0);
    redis = await startRedis(REDIS!, port, dir);
    const done = await executor.wait(parent.id, { timeoutMs: 50_000 });
    expect(done.status).toBe('done');
    expect(children(store, parent.id).map((r) => r.status)).toEqual(Array(20).fill('done'));
    expect(seriesOf(store, parent.id)).toEqual(ref);
  });

  it('stops a running job on cancel and at the wall-time limit, and holds the queue-length limit', async () => {
    // about 6 s here, far beyond the 1 s wall-time limit below on any machine
    const long = { kind: 'run', model: 'network-sir', population: 'random-graph', agents: 20_000, steps: 10_000, seed: 1 } as const;
    const run = executor.submit(long);
    await until(() => store.require(run.id).progress.done >= 5, 20_000, 'five steps');
    const cancelled = await executor.cancel(run.id);
    expect(cancelled.record.status).toBe('cancelled');
    expect(cancelled.record.stepsRecorded).toBeGreaterThanOrEqual(5);
    expect(cancelled.record.stepsRecorded).toBeLessThan(long.steps);
    const s = openRunStore({ path: path.join(dir, 'limits.db') });
    const ex = createQueueExecutor({ runtime: runtime(), store: s, redis: parseRedisUrl(url), concurrency: 2, limits: { maxWallMs: 1000, maxQueued: 10 } });
    await ex.ready();
    expect(() => ex.submit(sweep(30))).toThrow(/over this server's limit of 10 \(maxQueued\)/);
    const walled = await ex.wait(ex.submit(long).id, { timeoutMs: 20_000 });
    expect(walled.status).toBe('failed');
    expect(walled.error?.code).toBe('limit-exceeded');
    expect(walled.stepsRecorded).toBeLessThan(long.steps);
    await ex.close();
    s.close();
  });

  it('ends a job Redis lost (no persistence, a flush) as interrupted, saying so', async () => {
    const s = openRunStore({ path: path.join(dir, 'lost.db') });
    // a queue no worker takes jobs from, emptied behind the executor's back
    const ex = createQueueExecutor({ runtime: runtime(), store: s, redis: parseRedisUrl(url), queueName: 'populace-lost', reconcileMs: 200 });
    await ex.ready();
    const run = ex.submit({ kind: 'run', model: 'network-sir', population: 'random-graph', agents: 500, steps: 5 });
    const queue = new Queue('populace-lost', { connection: { url } });
    await new Promise((r) => setTimeout(r, 300));
    await queue.obliterate({ force: true });
    await queue.close();
    const lost = await ex.wait(run.id, { timeoutMs: 10_000 });
    expect(lost.status).toBe('failed');
    expect(lost.error).toEqual({ code: 'interrupted', message: expect.stringMatching(/no longer on the queue: Redis lost it \(run Redis with persistence, appendonly yes\)/) });
    await ex.close();
    s.close();
  });

  it("holds the per-client cap: one client's runs one at a time on the two workers, another client's run overtakes them", async () => {
    const s = openRunStore({ path: path.join(dir, 'clients.db') });
    const ex = createQueueExecutor({ runtime: runtime(), store: s, redis: parseRedisUrl(url), concurrency: 2, limits: { maxClientRunning: 1 } });
    await ex.ready();
    const job = { kind: 'run' as const, model: 'network-sir', population: 'random-graph', agents: 20_000, steps: 40 };
    expect(() => ex.submit(job, { client: '' })).toThrow(/options\.client expected a non-empty string/);
    const a = [1, 2, 3].map((seed) => ex.submit({ ...job, seed }, { client: 'a' }).id);
    const b = ex.submit({ ...job, seed: 4 }, { client: 'b' }).id;
    // a run held for its client's slot is cancelled here: it never was on the queue
    const held = await ex.cancel(ex.submit({ ...job, seed: 5 }, { client: 'a' }).id);
    expect(held.record.error).toEqual({ code: 'cancelled', message: 'cancelled before it started.' });
    const records = await Promise.all([...a, b].map((id) => ex.wait(id, { timeoutMs: 60_000 })));
    expect(records.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
    // a's runs one after another: each went on the queue once the one before had ended
    const ofA = records.slice(0, 3).sort((x, y) => Date.parse(x.startedAt!) - Date.parse(y.startedAt!));
    for (let k = 1; k < 3; k++) expect(Date.parse(ofA[k]!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(ofA[k - 1]!.finishedAt!));
    // b did not wait behind a's held runs
    expect(Date.parse(records[3]!.startedAt!)).toBeLessThan(Date.parse(ofA[2]!.startedAt!));
    // each run names the worker that ran it, apart from its backend
    expect(records.every((r) => r.backend === 'cpu' && workers.some((w) => r.worker?.endsWith(`:${w.child.pid}`)))).toBe(true);
    await ex.close();
    s.close();
  });

  it('fails a job whose plugin no worker has once, with that message', async () => {
    // the server knows a model the workers were not started with
    const other = definePlugin({ name: 'other', version: '0.1.0', description: 'a plugin only the server loads', models: [networkSir] });
    const extra = createRuntime({ plugins: [examplePlugin, other], backend: 'cpu' });
    const s = openRunStore({ path: path.join(dir, 'other.db') });
    const ex = createQueueExecutor({ runtime: extra, store: s, redis: parseRedisUrl(url) });
    await ex.ready();
    const run = await ex.wait(ex.submit({ kind: 'run', model: 'other/network-sir', population: 'example/random-graph', agents: 500, steps: 5 }).id, { timeoutMs: 20_000 });
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('missing-requirement');
    expect(run.error?.message).toMatch(/has no plugin 'other' \(0\.1\.0 on the server; its plugins: .*example .*--plugin/);
    await ex.close();
    s.close();
  });

  it('runs a populace-graphql job on the workers; populace-graphql, populace-mcp and the workers stop cleanly', async () => {
    const server = await startChild(process.execPath, [GRAPHQL_BIN, '--port', '0', '--db', path.join(dir, 'graphql.db'), '--backend', 'cpu', '--redis', url], /listening on http/, { cwd: dir });
    const endpoint = /listening on (http:\/\/\S+)/.exec(server.out())![1]!;
    const started = (await gql(endpoint, START, { input: { ...SIR_INPUT, steps: 5 }, waitMs: 30_000 })).startRun as { id: string; status: string };
    expect(started.status).toBe('DONE');
    const run = (await gql(endpoint, 'query($id: ID!) { run(id: $id) { backend worker stepsRecorded } }', { id: started.id })).run as { backend: string; worker: string; stepsRecorded: number };
    expect(run.stepsRecorded).toBe(5);
    expect(run.backend).toBe('cpu');
    expect(workers.map((w) => `:${w.child.pid}`).some((pid) => run.worker.endsWith(pid))).toBe(true);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    const mcp = await startChild(process.execPath, [MCP_BIN, '--http', '--port', '0', '--db', path.join(dir, 'mcp.db'), '--redis', url], /listening on http/, { cwd: dir });
    mcp.child.kill('SIGTERM');
    expect((await mcp.exited).code).toBe(0);
    const bad = await startChild(process.execPath, [GRAPHQL_BIN, '--port', '0', '--db', path.join(dir, 'x.db'), '--redis', `redis://127.0.0.1:${await freePort()}`], /(?!)/, { cwd: dir }).catch((e: Error) => e.message);
    expect(bad).toMatch(/exited \(2\).*Redis at redis:\/\/127\.0\.0\.1:\d+ is not reachable/s);
    for (const w of workers) w.child.kill('SIGTERM');
    const exits = await Promise.all(workers.map((w) => w.exited));
    expect(exits.map((e) => e.code)).toEqual([0, 0]);
    expect(workers.every((w) => /stopped after \d+ jobs/.test(w.err()))).toBe(true);
  });
});
