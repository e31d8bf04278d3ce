/**
 * Durability through the MCP server: a run started over MCP, the server
 * killed with SIGKILL mid-run, a new server on the same database: the run is
 * there, failed with an "interrupted" error, its recorded steps intact.
 */
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { afterAll, expect, it } from 'vitest';
import { call, removeTempDirs, stdioClient, tempDir } from './fixtures/mcp/servers.js';

afterAll(removeTempDirs);

const LONG = { model: 'network-sir', population: 'random-graph', agents: 50_000, seed: 9, params: { beta: 0.06, seedFraction: 0.002 } } as const;

type Run = { id: string; status: string; stepsRecorded: number; progress: { done: number; total: number }; error: { code: string; message: string } | null };

it('a server killed mid-run: after a restart the run is failed (interrupted) with its steps kept', async () => {
  const cwd = tempDir();
  const first = await stdioClient(cwd, ['--db', 'runs.db']);
  const done = (await call<{ run: Run }>(first.client, 'run_simulation', { ...LONG, agents: 2000, steps: 10 })).data.run;
  const started = (await call<{ run: Run }>(first.client, 'run_simulation', { ...LONG, steps: 10000, waitSeconds: 0 })).data.run;
  let seen: Run = started;
  while (seen.stepsRecorded < 3) seen = (await call<{ run: Run }>(first.client, 'get_run', { runId: started.id, waitSeconds: 0.05 })).data.run;
  expect(seen.status).toBe('running');
  const pid = first.transport.pid!;
  process.kill(pid, 'SIGKILL');
  await first.client.close().catch(() => undefined);

  const second = await stdioClient(cwd, ['--db', 'runs.db']);
  try {
    const { data, text } = await call<{ run: Run; finished: boolean }>(second.client, 'get_run', { runId: started.id });
    expect(data.finished).toBe(true);
    expect(data.run.status).toBe('failed');
    expect(data.run.error!.code).toBe('interrupted');
    expect(data.run.error!.message).toMatch(/^interrupted: the server stopped during the run \(after \d+ of 10000 steps/);
    expect(data.run.stepsRecorded).toBe(data.run.progress.done);
    expect(data.run.stepsRecorded).toBeGreaterThanOrEqual(seen.stepsRecorded);
    expect(text).toContain('Error (interrupted)');
    // the steps kept are the same simulation's first steps, computed here independently
    const { data: metrics } = await call<{ series: Record<string, number[]> }>(second.client, 'get_metrics', { runId: started.id, maxPoints: 100000 });
    const sim = createRuntime({ plugins: [examplePlugin], backend: 'cpu' }).createSimulation(LONG);
    const reference = await sim.run({ steps: data.run.stepsRecorded });
    sim.dispose();
    expect(metrics.series).toEqual(reference.metrics);
    expect((await call<{ run: Run }>(second.client, 'get_run', { runId: done.id })).data.run).toMatchObject({ status: 'done', stepsRecorded: 10 });
    expect(second.stderr()).toContain('(1 run of a stopped server marked interrupted)');
  } finally {
    await second.client.close();
  }
});
