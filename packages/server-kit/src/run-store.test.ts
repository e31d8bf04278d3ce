import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { deadPid, removeTempDirs, tempDbPath } from './kit.fixture.js';
import { openRunStore, type NewRun } from './run-store.js';
import { openSqlite } from './sqlite.js';
import { SCHEMA_VERSION } from './store-schema.js';

afterAll(removeTempDirs);

const NEW: NewRun = { kind: 'run', model: 'example/network-sir', population: 'example/random-graph', agents: 100, steps: 5, seed: 3, params: { beta: 0.05, gamma: 0.1 }, metricNames: ['S', 'I'], progress: { total: 5, unit: 'steps' } };

describe('RunStore', () => {
  it('creates a versioned WAL database and records runs with every field', () => {
    const file = tempDbPath();
    const store = openRunStore({ path: file });
    const run = store.insert({ ...NEW, label: 'first' });
    expect(run).toMatchObject({ kind: 'run', label: 'first', parentId: null, model: 'example/network-sir', population: 'example/random-graph', agents: 100, steps: 5, seed: 3, params: { beta: 0.05, gamma: 0.1 }, status: 'queued', progress: { done: 0, total: 5, unit: 'steps' }, metricNames: ['S', 'I'], stepsRecorded: 0, result: null, error: null, startedAt: null, finishedAt: null, wallMs: null });
    expect(run.id).toMatch(/^run-[0-9a-f]{12}$/);
    expect(Date.parse(run.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    store.close();
    // the file itself says WAL and the schema version (read with a second, independent connection)
    const db = openSqlite(file, { timeoutMs: 1000 });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    expect(readFileSync(file).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('stores metric rows progressively and reads ranges back, non-finite values as NaN', () => {
    const store = openRunStore({ path: tempDbPath() });
    const { id } = store.insert(NEW);
    store.markStarted(id);
    for (let step = 1; step <= 5; step++) expect(store.recordStep(id, step, [100 - step, step === 3 ? Number.POSITIVE_INFINITY : step])).toBe(false);
    const run = store.require(id);
    expect(run).toMatchObject({ status: 'running', stepsRecorded: 5, progress: { done: 5 } });
    expect(run.startedAt).not.toBeNull();
    expect(store.series(id)).toEqual({ steps: [1, 2, 3, 4, 5], series: { S: [99, 98, 97, 96, 95], I: [1, 2, Number.NaN, 4, 5] } });
    expect(store.series(id, { from: 2, to: 3 }).steps).toEqual([2, 3]);
    const done = store.finish(id, { status: 'done' });
    expect(done.status).toBe('done');
    expect(done.wallMs).toBeGreaterThanOrEqual(0);
    // a finished run is not changed again
    expect(store.finish(id, { status: 'failed', error: { code: 'x', message: 'y' } })).toMatchObject({ status: 'done', error: null });
    store.close();
  });

  it('lists newest first with filters and paging', () => {
    const store = openRunStore({ path: tempDbPath() });
    const ids = Array.from({ length: 5 }, (_, i) => store.insert({ ...NEW, kind: i % 2 ? 'sensitivity' : 'run', model: i < 4 ? 'example/network-sir' : 'example/random-walk' }).id);
    store.finish(ids[0]!, { status: 'done' });
    expect(store.list().runs.map((r) => r.id)).toEqual([...ids].reverse());
    expect(store.list({ limit: 2, offset: 1 })).toMatchObject({ total: 5, runs: [{ id: ids[3] }, { id: ids[2] }] });
    expect(store.list({ kind: 'sensitivity' }).runs.map((r) => r.id)).toEqual([ids[3], ids[1]]);
    expect(store.list({ status: ['done'] }).runs.map((r) => r.id)).toEqual([ids[0]]);
    expect(store.list({ model: 'example/random-walk' }).total).toBe(1);
    expect(() => store.list({ status: 'finished' as never })).toThrow(/status expected one or more of queued, running, done, failed, cancelled/);
    expect(() => store.list({ limit: 0 })).toThrow(/limit expected an integer in \[1, 1000\]/);
    store.close();
  });

  it('an unknown run id suggests the closest and lists recent ones', () => {
    const store = openRunStore({ path: tempDbPath() });
    expect(() => store.require('run-000000000000')).toThrow(/No runs are recorded yet/);
    const { id } = store.insert(NEW);
    const typo = id.slice(0, -1) + (id.endsWith('0') ? '1' : '0');
    try {
      store.require(typo);
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe('unknown-id');
      expect((error as Error).message).toContain(`Did you mean '${id}'?`);
    }
    expect(() => store.require(42 as unknown as string)).toThrow(/expected a non-empty string/);
    store.close();
  });

  it('closing marks its unfinished runs failed (interrupted), keeping the recorded steps', () => {
    const file = tempDbPath();
    const store = openRunStore({ path: file });
    const running = store.insert(NEW);
    const queued = store.insert(NEW);
    const done = store.insert(NEW);
    store.markStarted(running.id);
    store.recordStep(running.id, 1, [1, 2]);
    store.recordStep(running.id, 2, [3, 4]);
    store.finish(done.id, { status: 'done' });
    store.close();
    const again = openRunStore({ path: file });
    expect(again.require(running.id)).toMatchObject({ status: 'failed', stepsRecorded: 2, error: { code: 'interrupted', message: expect.stringContaining('after 2 of 5 steps') } });
    expect(again.require(queued.id)).toMatchObject({ status: 'failed', error: { code: 'interrupted', message: expect.stringContaining('before the run started') } });
    expect(again.require(done.id).status).toBe('done');
    again.close();
  });

  it('on open, fails the runs of a dead process but not those of a live store sharing the file', async () => {
    const file = tempDbPath();
    const live = openRunStore({ path: file });
    const mine = live.insert(NEW);
    live.markStarted(mine.id);
    // a run left "running" by a process that no longer exists
    const db = openSqlite(file, { timeoutMs: 1000 });
    const pid = await deadPid();
    db.prepare('INSERT INTO owners (id, pid, host, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)').run('dead-owner', pid, (await import('node:os')).hostname(), Date.now(), Date.now());
    const orphan = live.insert(NEW);
    db.prepare("UPDATE runs SET owner = 'dead-owner', status = 'running', progress_done = 3 WHERE id = ?").run(orphan.id);
    db.close();
    const other = openRunStore({ path: file });
    expect(other.recoveredOnOpen).toBe(1);
    expect(other.require(orphan.id)).toMatchObject({ status: 'failed', error: { code: 'interrupted', message: expect.stringContaining('after 3 of 5 steps') } });
    expect(other.require(mine.id).status).toBe('running');
    other.close();
    expect(live.require(mine.id).status).toBe('running');
    live.close();
  });

  it("migrates a schema-1 file: the worker gets its own column, split out of the old '<backend> on <worker>'", () => {
    // a file as @populace/server-kit wrote it at schema version 1 (its tables, by hand)
    const file = tempDbPath();
    const db = openSqlite(file, { timeoutMs: 1000 });
    db.exec(`
      CREATE TABLE runs (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, parent_id TEXT, label TEXT, model TEXT NOT NULL, population TEXT,
        agents INTEGER NOT NULL, steps INTEGER NOT NULL, seed INTEGER NOT NULL, params TEXT NOT NULL, backend TEXT, status TEXT NOT NULL, progress_done INTEGER NOT NULL DEFAULT 0,
        progress_total INTEGER NOT NULL, progress_unit TEXT NOT NULL, steps_recorded INTEGER NOT NULL DEFAULT 0, metric_names TEXT NOT NULL, options TEXT NOT NULL, result TEXT,
        error_code TEXT, error_message TEXT, created_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER, owner TEXT, cancel_requested INTEGER NOT NULL DEFAULT 0);
      CREATE INDEX runs_status ON runs (status);
      CREATE INDEX runs_parent ON runs (parent_id);
      CREATE TABLE run_metrics (run_id TEXT NOT NULL, step INTEGER NOT NULL, vals TEXT NOT NULL, PRIMARY KEY (run_id, step)) WITHOUT ROWID;
      CREATE TABLE owners (id TEXT PRIMARY KEY, pid INTEGER NOT NULL, host TEXT NOT NULL, started_at INTEGER NOT NULL, heartbeat_at INTEGER NOT NULL);
      PRAGMA user_version = 1;
    `);
    const insert = db.prepare("INSERT INTO runs (id, kind, model, agents, steps, seed, params, backend, status, progress_total, progress_unit, metric_names, options, created_at) VALUES (?, 'run', 'example/network-sir', 100, 5, 1, '{}', ?, 'done', 5, 'steps', '[\"S\"]', '{}', 1)");
    insert.run('run-queued', 'cpu on worker-host:4242');
    insert.run('run-inproc', 'wasm');
    insert.run('run-never', null);
    db.close();
    const store = openRunStore({ path: file });
    expect(['run-queued', 'run-inproc', 'run-never'].map((id) => [store.require(id).backend, store.require(id).worker])).toEqual([
      ['cpu', 'worker-host:4242'],
      ['wasm', null],
      [null, null],
    ]);
    // a new run records its worker apart from its backend
    const { id } = store.insert(NEW);
    store.setBackend(id, 'cpu', 90, 'other-host:7');
    expect(store.require(id)).toMatchObject({ backend: 'cpu', agents: 90, worker: 'other-host:7' });
    store.setBackend(id, 'cpu');
    expect(store.require(id).worker).toBe('other-host:7');
    store.close();
    const after = openSqlite(file, { timeoutMs: 1000 });
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    after.close();
  });

  it('refuses a database of a newer schema and a directory that does not exist', () => {
    const file = tempDbPath();
    const db = openSqlite(file, { timeoutMs: 1000 });
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openRunStore({ path: file })).toThrow(/newer than this @populace\/server-kit understands/);
    expect(() => openRunStore({ path: '/nonexistent-dir/x/runs.db' })).toThrow(/could not open the run store/);
    expect(() => openRunStore({ path: '' })).toThrow(/expected \{ path/);
  });

  it('replaces a series, and a closed store refuses work', () => {
    const store = openRunStore({ path: tempDbPath() });
    const { id } = store.insert(NEW);
    store.recordStep(id, 1, [1, 1]);
    store.replaceSeries(id, { S: [5, 6, 7], I: [1, 2, 3] });
    expect(store.series(id)).toEqual({ steps: [1, 2, 3], series: { S: [5, 6, 7], I: [1, 2, 3] } });
    store.requestCancel(id);
    expect(store.setProgress(id, 1)).toBe(true);
    store.close();
    expect(() => store.get(id)).toThrow(/is closed/);
  });
});
