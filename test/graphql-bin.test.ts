/**
 * The `populace-graphql` executable as a child process on a SQLite file:
 * its command line, a run found again with a truthful status after the
 * server was killed (SIGKILL) mid-run, and a clean SIGTERM shutdown that
 * ends the live subscription and records the run as interrupted.
 * Needs the builds of core, server-kit and graphql (cd packages/graphql && npx tsc -p tsconfig.json).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readSse, sseRequest } from '../packages/graphql/src/sse.fixture.js';
import { referenceMetrics, SIR_INPUT } from '../packages/graphql/src/yoga.fixture.js';

const BIN = fileURLToPath(new URL('../packages/graphql/dist/bin.js', import.meta.url));
// a directory without node_modules or config: the server offers core's example plugin only
const dir = mkdtempSync(path.join(tmpdir(), 'populace-graphql-bin-'));
const db = path.join(dir, 'runs.db');
const children = new Set<ChildProcessWithoutNullStreams>();
afterAll(async () => {
  // a server still writing its database while the directory is removed would fail the removal (ENOTEMPTY): kill and wait for each
  await Promise.all([...children].map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => (c.once('exit', r), c.kill('SIGKILL'))))));
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

interface Served {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  readonly stderr: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the server on `db` and resolves once it prints its URL. */
function serve(extra: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--db', db, '--backend', 'cpu', ...extra], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return new Promise((resolve, reject) => {
    // ready once it has printed its URL (stdout) and what it found in the store (stderr)
    const ready = () => {
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url && stderr.includes('run store')) resolve({ child, url, stderr: () => stderr, exited });
    };
    child.stdout.on('data', (d) => {
      stdout += d;
      ready();
    });
    child.stderr.on('data', ready);
    void exited.then(({ code }) => reject(new Error(`populace-graphql exited (${code}) before listening: ${stderr}`)));
  });
}

/** Runs the command to its end. */
function command(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

async function gql(url: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data: any; errors?: any[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

const START = 'mutation($input: StartRunInput!, $waitMs: Int) { startRun(input: $input, waitMs: $waitMs) { id status } }';
const RUN = 'query($id: ID!) { run(id: $id) { id status stepsRecorded progress { done total } error { code message } finishedAt metrics { series { name values } } } }';

async function untilSteps(url: string, id: string, n: number): Promise<void> {
  while ((await gql(url, RUN, { id })).run.stepsRecorded < n) await new Promise((r) => setTimeout(r, 25));
}

describe('populace-graphql', () => {
  it('prints its help, and refuses a bad command line with exit code 2', async () => {
    const [help, port, typo] = await Promise.all([command(['--help']), command(['--port', 'abc']), command(['--prot', '4000'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: populace-graphql [--port N] [--host 127.0.0.1]');
    expect(help.stdout).toContain('--max-query-depth');
    expect(help.stdout).toContain('--db <path>');
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port: expected an integer in [0, 65535], received "abc"');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("Did you mean '--port'?");
  });

  it('a run of a server killed with SIGKILL is found again after a restart, failed with the truth, its steps kept', async () => {
    const first = await serve();
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const short = (await gql(first.url, START, { input: { ...SIR_INPUT, steps: 5 }, waitMs: 60_000 })).startRun;
    expect(short.status).toBe('DONE');
    const long = (await gql(first.url, START, { input: { ...SIR_INPUT, steps: 10_000 } })).startRun;
    await untilSteps(first.url, long.id, 3);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await serve();
    expect(second.stderr()).toContain('1 runs of a stopped server marked interrupted');
    const run = (await gql(second.url, RUN, { id: long.id })).run;
    expect(run.status).toBe('FAILED');
    expect(run.error.code).toBe('interrupted');
    expect(run.error.message).toBe(`interrupted: the server stopped during the run (after ${run.progress.done} of 10000 steps; what was recorded until then is kept). Start it again to finish it.`);
    expect(run.stepsRecorded).toBeGreaterThanOrEqual(3);
    expect(run.stepsRecorded).toBe(run.progress.done);
    expect(run.finishedAt).not.toBeNull();
    // the steps kept are exactly the first steps of the same simulation
    const reference = await referenceMetrics(run.stepsRecorded);
    expect(run.metrics.series).toEqual(['S', 'I', 'R', 'newInfections'].map((name) => ({ name, values: reference[name] })));
    const finished = (await gql(second.url, RUN, { id: short.id })).run;
    expect(finished).toMatchObject({ status: 'DONE', stepsRecorded: 5, error: null });

    // SIGTERM: the live subscription ends with the interrupted run, the process exits 0
    const live = (await gql(second.url, START, { input: { ...SIR_INPUT, steps: 10_000 } })).startRun;
    const response = await fetch(second.url, sseRequest('subscription($id: ID!) { runProgress(id: $id) { type status run { status error { code } } } }', { id: live.id }));
    const events: any[] = [];
    const reading = (async () => {
      for await (const e of readSse(response)) events.push(e);
    })();
    await untilSteps(second.url, live.id, 2);
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    await reading;
    const payloads = events.filter((e) => e.event === 'next').map((e) => e.data.data.runProgress);
    expect(payloads.at(-1)).toEqual({ type: 'FINISHED', status: 'FAILED', run: { status: 'FAILED', error: { code: 'interrupted' } } });
    expect(payloads.slice(0, -1).every((p) => p.status === 'RUNNING')).toBe(true);

    // recorded by the server itself as it stopped: nothing left for the next one to recover
    const third = await serve();
    expect(third.stderr()).not.toContain('marked interrupted');
    expect((await gql(third.url, RUN, { id: live.id })).run).toMatchObject({ status: 'FAILED', error: { code: 'interrupted' } });
    third.child.kill('SIGTERM');
    expect((await third.exited).code).toBe(0);
  });
});
