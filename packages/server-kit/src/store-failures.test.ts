/**
 * A run store that fails under a running job, with real SQLite errors: a lock
 * another connection holds too long (SQLITE_BUSY), and a file that cannot grow
 * (`ulimit -f`: SQLITE_IOERR_WRITE, as on a full disk). The job ends as failed
 * with the reason, its subscribers get `finished`, cancelling it answers, the
 * end is kept in memory and written once the file accepts writes again, and
 * closing is clean. Opening a file that is not a run store is a PopulaceError.
 * Needs the build: npx turbo run build
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PopulaceError } from '@populace/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from './executor.js';
import { createInProcessExecutor } from './in-process-executor.js';
import { exampleRuntime, removeTempDirs, tempDbPath } from './kit.fixture.js';
import { openRunStore } from './run-store.js';

afterAll(removeTempDirs);

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
type Db = { exec(sql: string): void; close(): void; prepare(sql: string): { get(...a: unknown[]): unknown } };
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => Db;

const REQUEST = { kind: 'run', model: 'network-sir', population: 'random-graph', agents: 2000, steps: 5000, seed: 1 } as const;

describe('a store that fails under a running job', () => {
  it('a lock held too long (SQLITE_BUSY): the job fails with the reason, its end is kept in memory and written after', async () => {
    const file = tempDbPath();
    const store = openRunStore({ path: file, busyTimeoutMs: 50, heartbeatMs: 100 });
    const executor = createInProcessExecutor({ runtime: exampleRuntime(), store, concurrency: 1 });
    const run = executor.submit(REQUEST);
    const events: RunEvent[] = [];
    const other = new Database(file);
    const finished = new Promise<RunEvent>((resolve) => {
      executor.subscribe((e) => {
        events.push(e);
        // after a few recorded steps, another process takes the write lock and keeps it
        if (e.step === 3) other.exec('BEGIN EXCLUSIVE');
        if (e.type === 'finished') resolve(e);
      }, { runId: run.id });
    });
    const end = await finished;
    expect(end.record).toMatchObject({ id: run.id, status: 'failed', error: { code: 'write-failed' } });
    expect(end.record!.error!.message).toMatch(/^the run store could not record step \d+ of job run-\w+ \(database is locked, SQLITE_BUSY\)\. Another process holds a lock/);
    expect(end.record!.stepsRecorded).toBeGreaterThanOrEqual(3);
    // its end could not be written either: readers of this store see it from memory
    expect(store.unwrittenRuns()).toEqual([run.id]);
    expect(store.get(run.id)).toEqual(end.record);
    expect((await executor.wait(run.id)).status).toBe('failed');
    expect(await executor.cancel(run.id)).toMatchObject({ outcome: 'already-finished', record: { status: 'failed' } });
    // the file still says running until the lock goes
    expect(other.prepare('SELECT status FROM runs WHERE id = ?').get(run.id)).toEqual({ status: 'running' });
    other.exec('COMMIT');
    while (store.unwrittenRuns().length > 0) await new Promise((r) => setTimeout(r, 50));
    expect(other.prepare('SELECT status, error_code, error_message FROM runs WHERE id = ?').get(run.id)).toEqual({ status: 'failed', error_code: 'write-failed', error_message: end.record!.error!.message });
    other.close();
    await executor.close();
    expect(store.close()).toEqual([]);
  });

  it('a file that cannot grow (ulimit -f, SQLITE_IOERR_WRITE): finished event, cancel answers, clean exit', async () => {
    const file = tempDbPath();
    openRunStore({ path: file }).close();
    const script = path.resolve(PACKAGE_DIR, '../../test/fixtures/store-failure/full-disk-server.mjs');
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      // dash and bash count ulimit -f in blocks of 512 or 1024 bytes: either leaves room to open, not to run long
      execFile('sh', ['-c', `ulimit -f 200 && exec "${process.execPath}" "${script}"`], { cwd: PACKAGE_DIR, env: { ...process.env, DB: file } }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const finished = lines.find((l) => 'finished' in l)!.finished as { status: string; error: { code: string; message: string } };
    expect(finished).toMatchObject({ status: 'failed', error: { code: 'write-failed' } });
    expect(finished.error.message).toMatch(/could not record .* \(disk I\/O error, SQLITE_IOERR_WRITE\)\. Free space on its disk/);
    expect(lines.find((l) => 'cancel' in l)).toEqual({ cancel: 'already-finished', status: 'failed' });
    expect(lines.at(-1)).toEqual({ closed: true });
    // opened again with room: the job is not left running, and the steps written before are kept
    const reopened = openRunStore({ path: file });
    const record = reopened.list().runs[0]!;
    expect(record.status).toBe('failed');
    expect(record.stepsRecorded).toBeGreaterThan(0);
    expect(reopened.series(record.id).steps).toHaveLength(record.stepsRecorded);
    reopened.close();
  }, 120_000);
});

describe('opening a store that is not one', () => {
  const refusal = (file: string): PopulaceError => {
    try {
      openRunStore({ path: file }).close();
    } catch (error) {
      expect(PopulaceError.isInstance(error)).toBe(true);
      return error as PopulaceError;
    }
    throw new Error(`expected ${file} to be refused`);
  };

  it('a text file, /proc/self/status, /dev/full, a directory: config-invalid naming the file and the fix', () => {
    const text = tempDbPath('notes.txt');
    writeFileSync(text, 'not a database, just text\n'.repeat(200));
    const e = refusal(text);
    expect(e.code).toBe('config-invalid');
    expect(e.message).toContain(`could not open the run store ${text} (file is not a database, SQLITE_NOTADB).`);
    expect(e.message).toContain('--db');
    expect(refusal('/proc/self/status').message).toMatch(/could not open the run store \/proc\/self\/status \(.*SQLITE_\w+\)/);
    expect(refusal('/dev/full').message).toBe('could not open the run store /dev/full: it is a character device, not a SQLite file. Pass the path of a run store file (or of a new one) with --db (or POPULACE_DB).');
    expect(refusal(path.dirname(text)).message).toContain('it is a directory, not a SQLite file');
  });
});
