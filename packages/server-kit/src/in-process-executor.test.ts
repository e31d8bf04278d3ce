import { availableParallelism } from 'node:os';
import { sensitivity, type PopulaceError } from '@populace/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Executor, RunEvent } from './executor.js';
import { createInProcessExecutor } from './in-process-executor.js';
import { exampleRuntime, removeTempDirs, SIR, tempDbPath } from './kit.fixture.js';
import type { RunLimits } from './limits.js';
import type { CalibrateOutcome, ScenariosOutcome, SensitivityOutcome } from './run-record.js';
import { openRunStore, type RunStore } from './run-store.js';

const runtime = exampleRuntime();
const stores: RunStore[] = [];
const executors: Executor[] = [];

function setup(options: { concurrency?: number; limits?: Partial<RunLimits> } = {}) {
  const store = openRunStore({ path: tempDbPath() });
  stores.push(store);
  const executor = createInProcessExecutor({ runtime, store, ...options });
  executors.push(executor);
  const events: RunEvent[] = [];
  executor.subscribe((e) => events.push({ ...e, metrics: structuredClone(e.metrics) as RunEvent['metrics'] }));
  return { store, executor, events };
}

/** The same simulation run directly on core (the independent reference). */
async function direct(params: Record<string, number>, steps: number, seed: number = SIR.seed) {
  const sim = runtime.createSimulation({ ...SIR, seed, params: { ...SIR.params, ...params } });
  try {
    return (await sim.run({ steps })).metrics;
  } finally {
    sim.dispose();
  }
}

afterEach(async () => {
  for (const e of executors.splice(0)) await e.close();
  for (const s of stores.splice(0)) s.close();
});
afterAll(removeTempDirs);

describe('in-process executor', () => {
  it('runs a job to done: one progress event per step, metrics stored equal to core run directly', async () => {
    const { store, executor, events } = setup();
    expect(executor.concurrency).toBe(availableParallelism());
    const run = executor.submit({ kind: 'run', ...SIR, steps: 25, label: 'base' });
    expect(run.status === 'queued' || run.status === 'running').toBe(true);
    const done = await executor.wait(run.id);
    expect(done).toMatchObject({ status: 'done', stepsRecorded: 25, progress: { done: 25, total: 25 }, backend: 'cpu', agents: 2000, label: 'base', error: null });
    const reference = await direct({}, 25);
    expect(store.series(run.id).series).toEqual(reference);
    const mine = events.filter((e) => e.runId === run.id);
    expect(mine.map((e) => e.type)).toEqual(['queued', 'started', ...Array(25).fill('progress'), 'finished']);
    const progress = mine.filter((e) => e.type === 'progress');
    expect(progress.map((e) => e.step)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(progress[9]!.latest).toEqual({ S: reference.S[9], I: reference.I[9], R: reference.R[9], newInfections: reference.newInfections[9] });
    expect(progress[9]!.metrics.I).toEqual(reference.I.slice(0, 10));
    expect(mine.at(-1)!.record).toMatchObject({ status: 'done' });
  });

  it('same seed, same metrics; another seed, other metrics', async () => {
    const { store, executor } = setup({ concurrency: 3 });
    const [a, b, c] = [1, 1, 2].map((seed) => executor.submit({ kind: 'run', ...SIR, seed, steps: 20 }));
    await Promise.all([a, b, c].map((r) => executor.wait(r!.id)));
    expect(store.series(a!.id)).toEqual(store.series(b!.id));
    expect(store.series(c!.id).series.I).not.toEqual(store.series(a!.id).series.I);
  });

  it('never runs more than `concurrency` jobs and starts them in FIFO order', async () => {
    const { executor, events } = setup({ concurrency: 2 });
    const ids = Array.from({ length: 5 }, () => executor.submit({ kind: 'run', ...SIR, steps: 8 }).id);
    expect(executor.stats()).toMatchObject({ running: 2, queued: 3, concurrency: 2, memoryWait: 0 });
    await Promise.all(ids.map((id) => executor.wait(id)));
    let running = 0;
    let most = 0;
    for (const e of events) {
      if (e.type === 'started') most = Math.max(most, ++running);
      if (e.type === 'finished') running -= 1;
    }
    expect(most).toBe(2);
    expect(events.filter((e) => e.type === 'started').map((e) => e.runId)).toEqual(ids);
  });

  it('cancels a running job between steps, keeping the steps done (a prefix of the full run)', async () => {
    const { store, executor } = setup();
    const run = executor.submit({ kind: 'run', ...SIR, steps: 200 });
    const cancelled = new Promise<void>((resolve) => {
      const off = executor.subscribe((e) => {
        if (e.step === 5) {
          off();
          void executor.cancel(run.id).then((r) => {
            expect(r.outcome).toBe('cancelled');
            resolve();
          });
        }
      }, { runId: run.id });
    });
    await cancelled;
    const record = store.require(run.id);
    expect(record.status).toBe('cancelled');
    expect(record.error).toMatchObject({ code: 'cancelled', message: expect.stringMatching(/^cancelled after \d+ of 200 steps/) });
    expect(record.stepsRecorded).toBeGreaterThanOrEqual(5);
    expect(record.stepsRecorded).toBeLessThan(200);
    const reference = await direct({}, record.stepsRecorded);
    expect(store.series(run.id).series).toEqual(reference);
    expect((await executor.cancel(run.id)).outcome).toBe('already-finished');
  });

  it('cancels a queued job before it starts, and honours a cancel flag set in the store by another process', async () => {
    const { store, executor, events } = setup({ concurrency: 1 });
    const first = executor.submit({ kind: 'run', ...SIR, steps: 300 });
    const second = executor.submit({ kind: 'run', ...SIR, steps: 5 });
    expect((await executor.cancel(second.id)).record).toMatchObject({ status: 'cancelled', error: { message: 'cancelled before it started.' }, startedAt: null });
    expect(events.some((e) => e.runId === second.id && e.type === 'started')).toBe(false);
    await new Promise<void>((resolve) => executor.subscribe((e) => e.step === 3 && resolve(), { runId: first.id }));
    store.requestCancel(first.id); // what `cancel` does for a run owned by another process
    const end = await executor.wait(first.id);
    expect(end.status).toBe('cancelled');
    expect(end.stepsRecorded).toBeLessThan(300);
  });

  it('stops a job that runs past the wall-time limit: failed, limit-exceeded, steps kept', async () => {
    const { executor } = setup({ limits: { maxWallMs: 150 } });
    const run = executor.submit({ kind: 'run', ...SIR, steps: 5000 });
    const end = await executor.wait(run.id);
    expect(end.status).toBe('failed');
    expect(end.error).toMatchObject({ code: 'limit-exceeded', message: expect.stringContaining("wall-time limit of 150 ms (maxWallMs)") });
    expect(end.stepsRecorded).toBe(end.progress.done);
    expect(end.stepsRecorded).toBeLessThan(5000);
  });

  it("stops a sensitivity during its stochastic derivative on cancel and at the wall-time limit; other jobs run meanwhile", async () => {
    const { store, executor } = setup({ concurrency: 2, limits: { maxWallMs: 3000 } });
    // 200 replicates x 40 x 41 alternative steps: minutes of work unless stopped
    const slow = { kind: 'sensitivity', ...SIR, steps: 40, output: 'newInfections', wrt: ['beta'], estimator: 'stochastic-derivative', replicates: 200 } as const;
    const forwardDone = (id: string) => new Promise<void>((resolve) => executor.subscribe((e) => e.step === 40 && resolve(), { runId: id }));
    const cancelled = executor.submit(slow);
    await forwardDone(cancelled.id);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await executor.cancel(cancelled.id);
    expect(await executor.wait(cancelled.id)).toMatchObject({ status: 'cancelled' });
    const timed = executor.submit(slow);
    await forwardDone(timed.id);
    // a run submitted while the alternatives are computed finishes first
    const quick = executor.submit({ kind: 'run', ...SIR, steps: 5 });
    expect((await executor.wait(quick.id)).status).toBe('done');
    expect(store.require(timed.id).status).toBe('running');
    const end = await executor.wait(timed.id);
    expect(end).toMatchObject({ status: 'failed', stepsRecorded: 40, error: { code: 'limit-exceeded', message: expect.stringContaining('wall-time limit of 3000 ms (maxWallMs)') } });
    expect(end.wallMs!).toBeLessThan(60_000);
  });

  it('refuses calls over the limits before recording anything', () => {
    const { store, executor } = setup({ concurrency: 1, limits: { maxQueued: 1, maxAgents: 10_000 } });
    executor.submit({ kind: 'run', ...SIR, steps: 400 });
    executor.submit({ kind: 'run', ...SIR, steps: 5 });
    const over = (() => {
      try {
        executor.submit({ kind: 'run', ...SIR, steps: 5 });
      } catch (error) {
        return error as PopulaceError;
      }
    })();
    expect(over).toMatchObject({ code: 'limit-exceeded', details: { limit: 'maxQueued', max: 1, received: 2 } });
    expect(() => executor.submit({ kind: 'run', ...SIR, agents: 2_000_000_000 })).toThrow(/over this server's limit of 10,000 \(maxAgents\)/);
    expect(() => executor.submit({ kind: 'run', ...SIR, steps: -1 })).toThrow(/steps: expected an integer of at least 1, received -1/);
    expect(store.list().total).toBe(2);
  });

  it('wait returns the current record at its timeout; close() interrupts running and queued jobs', async () => {
    const { store, executor } = setup({ concurrency: 1 });
    const running = executor.submit({ kind: 'run', ...SIR, steps: 2000 });
    const queued = executor.submit({ kind: 'run', ...SIR, steps: 5 });
    const early = await executor.wait(running.id, { timeoutMs: 50 });
    expect(early.status).toBe('running');
    await executor.close();
    expect(store.require(running.id)).toMatchObject({ status: 'failed', error: { code: 'interrupted', message: expect.stringContaining('interrupted: the server stopped during the run') } });
    expect(store.require(queued.id)).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
    expect(() => executor.submit({ kind: 'run', ...SIR })).toThrow(/executor is closed/);
  });

  it('calibrate recovers the transmission rate that generated the data', async () => {
    const { store, executor, events } = setup();
    const truth = await direct({ beta: 0.08 }, 40);
    const job = executor.submit({ kind: 'calibrate', ...SIR, params: { ...SIR.params, beta: 0.04 }, fit: ['beta'], observed: { newInfections: truth.newInfections }, epochs: 25 });
    expect(job).toMatchObject({ kind: 'calibrate', steps: 40, progress: { total: 25, unit: 'epochs' }, options: { fit: ['beta'], loss: 'mse', epochs: 25 } });
    const done = await executor.wait(job.id);
    expect(done.status).toBe('done');
    const result = done.result as CalibrateOutcome;
    expect(result.start).toEqual({ beta: 0.04 });
    expect(Math.abs((result.params.beta as number) - 0.08)).toBeLessThan(0.01);
    expect(result.history.length).toBe(result.epochs);
    expect(Math.min(...result.history)).toBe(result.loss);
    expect(events.filter((e) => e.runId === job.id && e.epoch !== null).map((e) => e.epoch!.epoch)).toEqual(Array.from({ length: result.epochs }, (_, i) => i + 1));
    // the stored series is the fitted trajectory
    expect(store.series(job.id).steps.length).toBe(40);
  });

  it('sensitivity stores the forward run and the ranking core computes for the same simulation', async () => {
    const { store, executor } = setup();
    const job = executor.submit({ kind: 'sensitivity', ...SIR, steps: 30, output: 'newInfections:sum' });
    const done = await executor.wait(job.id);
    expect(done.status).toBe('done');
    const result = done.result as SensitivityOutcome;
    const sim = runtime.createSimulation({ ...SIR });
    const reference = await sensitivity(sim, { output: 'newInfections:sum', steps: 30 });
    sim.dispose();
    expect(result.output).toEqual(reference.output);
    expect(result.entries).toEqual(reference.entries);
    expect(result.entries.find((e) => e.param === 'beta')!.gradient).toBeGreaterThan(0);
    expect(result.entries.find((e) => e.param === 'gamma')!.gradient).toBeLessThan(0);
    expect(store.series(job.id).series.newInfections.reduce((a, b) => a + b, 0)).toBe(result.output.value);
  });

  it('a scenario sweep runs each scenario on each seed and compares them, averaging over seeds', async () => {
    const { store, executor } = setup({ concurrency: 2 });
    const sweep = executor.submit({ kind: 'scenarios', ...SIR, steps: 30, seeds: [1, 2], scenarios: [{ name: 'baseline', params: {} }, { name: 'distancing', params: { beta: 0.03 } }] });
    expect(sweep).toMatchObject({ kind: 'scenarios', status: 'running', progress: { done: 0, total: 4, unit: 'runs' } });
    const done = await executor.wait(sweep.id);
    expect(done.status).toBe('done');
    const result = done.result as ScenariosOutcome;
    const children = store.list({ parentId: sweep.id }).runs;
    expect(children).toHaveLength(4);
    expect(children.every((c) => c.status === 'done' && c.kind === 'run')).toBe(true);
    expect(result.scenarios.map((s) => [s.name, s.runIds.length])).toEqual([['baseline', 2], ['distancing', 2]]);
    // the table's numbers from the runs' own series (independent recomputation)
    const peakOf = (id: string) => Math.max(...store.series(id).series.I);
    for (const s of result.scenarios) {
      const row = result.table!.rows.find((r) => r.metric === 'I' && r.label === s.name)!;
      expect(row.peak).toBeCloseTo((peakOf(s.runIds[0]!) + peakOf(s.runIds[1]!)) / 2, 9);
    }
    const distancing = result.table!.rows.find((r) => r.metric === 'I' && r.label === 'distancing')!;
    expect(distancing.delta!.peak).toBeLessThan(0);
    const seeded = children.find((c) => c.label === 'distancing' && c.seed === 2)!;
    expect(store.series(seeded.id).series).toEqual(await direct({ beta: 0.03 }, 30, 2));
  });

  it('cancelling a sweep cancels its runs', async () => {
    const { store, executor } = setup({ concurrency: 1 });
    const sweep = executor.submit({ kind: 'scenarios', ...SIR, steps: 400, scenarios: [{ params: {} }, { params: { beta: 0.02 } }] });
    await new Promise<void>((resolve) => executor.subscribe((e) => e.step === 2 && resolve()));
    const { record } = await executor.cancel(sweep.id);
    expect(record.status).toBe('cancelled');
    expect(store.list({ parentId: sweep.id }).runs.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
  });
});
