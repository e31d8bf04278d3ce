/**
 * A server process killed with SIGKILL in the middle of a run: on restart the
 * store reports the run failed (interrupted) with the steps done before the
 * kill intact, and the finished run unchanged.
 * Needs the build: npx tsc -p packages/server-kit/tsconfig.json
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { exampleRuntime, removeTempDirs, tempDbPath } from './kit.fixture.js';
import { openRunStore } from './run-store.js';

afterAll(removeTempDirs);

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REQUEST = { model: 'network-sir', population: 'random-graph', agents: 50_000, seed: 7, params: { beta: 0.06, seedFraction: 0.002 } };

/** The server: finishes a short run, then starts a long one and reports both ids. */
const CHILD = `
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { createServerKit } from '@populace/server-kit';
const kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: process.env.DB });
const request = JSON.parse(process.env.REQUEST);
const short = kit.executor.submit({ kind: 'run', ...request, steps: 5 });
await kit.executor.wait(short.id);
const long = kit.executor.submit({ kind: 'run', ...request, steps: 10000 });
kit.executor.subscribe((e) => { if (e.step === 1) process.stdout.write(JSON.stringify({ short: short.id, long: long.id }) + '\\n'); }, { runId: long.id });
`;

it('a run of a server killed with SIGKILL is found again, failed with the truth, its steps kept', async () => {
  const db = tempDbPath();
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], { cwd: PACKAGE_DIR, env: { ...process.env, DB: db, REQUEST: JSON.stringify(REQUEST) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const ids = await new Promise<{ short: string; long: string }>((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(JSON.parse(String(d).split('\n')[0]!)));
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before starting: ${stderr}`)));
  });

  // a second process's view while the server runs: its run is running, not touched by our open
  const watcher = openRunStore({ path: db });
  expect(watcher.recoveredOnOpen).toBe(0);
  while (watcher.require(ids.long).stepsRecorded < 3) await new Promise((r) => setTimeout(r, 20));
  expect(watcher.require(ids.long).status).toBe('running');
  watcher.close();

  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');

  const restarted = openRunStore({ path: db });
  expect(restarted.recoveredOnOpen).toBe(1);
  const long = restarted.require(ids.long);
  expect(long.status).toBe('failed');
  expect(long.error!.code).toBe('interrupted');
  expect(long.error!.message).toBe(`interrupted: the server stopped during the run (after ${long.progress.done} of 10000 steps; what was recorded until then is kept). Start it again to finish it.`);
  expect(long.stepsRecorded).toBeGreaterThanOrEqual(3);
  expect(long.stepsRecorded).toBe(long.progress.done);
  expect(long.finishedAt).not.toBeNull();
  // the recorded steps are exactly the first steps of the same simulation run here
  const sim = exampleRuntime().createSimulation(REQUEST);
  const { metrics } = await sim.run({ steps: long.stepsRecorded });
  sim.dispose();
  expect(restarted.series(ids.long).series).toEqual(metrics);
  expect(restarted.require(ids.short)).toMatchObject({ status: 'done', stepsRecorded: 5, error: null });
  restarted.close();
});
