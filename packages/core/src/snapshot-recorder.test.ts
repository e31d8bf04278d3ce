import { afterEach, describe, expect, it } from 'vitest';
import { PopulaceError } from './errors.js';
import { examplePlugin } from './examples/plugin.js';
import { runScheduled } from './parameter-schedule.js';
import { createRuntime } from './runtime.js';
import type { Simulation } from './simulation.js';
import { SnapshotRecorder } from './snapshot-recorder.js';

const runtime = createRuntime({ plugins: [examplePlugin], backend: 'cpu' });
const sims: Simulation[] = [];
const sir = (seed = 4, agents = 2000, params: Record<string, unknown> = { beta: 0.3, seedFraction: 0.02 }) => {
  const sim = runtime.createSimulation({ model: 'network-sir', population: 'random-graph', agents, seed, params });
  sims.push(sim);
  return sim;
};
afterEach(() => {
  while (sims.length) sims.pop()!.dispose();
});
const sum = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);

describe('SnapshotRecorder', () => {
  it('reads the chosen states after the chosen steps: their sums are the metrics of those steps', async () => {
    const sim = sir();
    const recorder = await SnapshotRecorder.create(sim, { states: ['infected', 'recovered', 'age'], steps: [12, 3, 7] }, { runSteps: 12 });
    const { metrics } = await sim.run({ steps: 12, afterStep: recorder.afterStep });
    const snap = recorder.snapshot();
    expect(snap).toMatchObject({ agentType: 'people', agents: 2000, steps: [3, 7, 12] });
    expect(snap.columns.map((c) => [c.name, c.integer])).toEqual([['infected', false], ['recovered', false], ['age', true]]);
    snap.steps.forEach((step, k) => {
      expect(sum(snap.columns[0]!.values[k]!)).toBe(metrics.I![step - 1]);
      expect(sum(snap.columns[1]!.values[k]!)).toBe(metrics.R![step - 1]);
    });
    // the epidemic moved between the snapshots
    expect(metrics.R![11]!).toBeGreaterThan(metrics.R![2]!);
    expect(Array.from(snap.columns[2]!.values[0]!)).toEqual(Array.from(sim.agentTable().attributes!.age!));
  });

  it('a snapshot at step k is the state of a separate run stopped after k steps (same seed)', async () => {
    const a = sir(9);
    const recorder = await SnapshotRecorder.create(a, { states: ['susceptible'], steps: [5] });
    await a.run({ steps: 10, afterStep: recorder.afterStep });
    const b = sir(9);
    await b.run({ steps: 5 });
    const t = b.state('agents/people/susceptible');
    expect(Array.from(recorder.snapshot().columns[0]!.values[0]!)).toEqual(Array.from(await t.data()));
    t.dispose();
  });

  it('works through a scheduled run (steps count from the reset, across the cuts) and keeps what an aborted run reached', async () => {
    const sim = sir(2);
    const recorder = await SnapshotRecorder.create(sim, { states: ['infected'], steps: [2, 6, 9] });
    const { metrics } = await runScheduled(sim, { beta: [{ step: 0, value: 0.3 }, { step: 4, value: 0 }] }, { steps: 9, afterStep: recorder.afterStep });
    expect(recorder.snapshot().steps).toEqual([2, 6, 9]);
    recorder.snapshot().steps.forEach((s, k) => expect(sum(recorder.snapshot().columns[0]!.values[k]!)).toBe(metrics.I![s - 1]));

    const stopped = sir(3);
    const r2 = await SnapshotRecorder.create(stopped, { states: ['infected'], steps: [1, 3, 8] });
    const controller = new AbortController();
    const run = stopped.run({ steps: 8, signal: controller.signal, afterStep: r2.afterStep, onProgress: (p) => p.step === 4 && controller.abort() });
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(r2.snapshot().steps).toEqual([1, 3]);
  });

  it('refuses an unknown name and a snapshot over maxCells before anything runs', async () => {
    const sim = sir();
    await expect(SnapshotRecorder.create(sim, { states: ['status'], steps: [1] })).rejects.toThrow(/unknown state 'status'.*susceptible, infected, recovered; population attributes: age/);
    const over = await SnapshotRecorder.create(sim, { states: ['infected', 'age'], steps: [1, 2] }, { maxCells: 7999, limitName: 'maxSnapshotCells' }).catch((e: unknown) => e);
    expect(PopulaceError.isInstance(over) && over.code).toBe('limit-exceeded');
    expect((over as Error).message).toContain('2,000 agents x 2 states x 2 steps = 8,000 values, over the limit of 7,999 (maxSnapshotCells)');
    expect(sim.currentStep).toBe(0);
  });
});
