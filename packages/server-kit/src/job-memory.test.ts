import { estimateSimulationMemory } from '@populace/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Executor, RunEvent } from './executor.js';
import { createInProcessExecutor } from './in-process-executor.js';
import { exampleRuntime, removeTempDirs, SIR, tempDbPath } from './kit.fixture.js';
import { openRunStore, type RunStore } from './run-store.js';

const runtime = exampleRuntime();
const stores: RunStore[] = [];
const executors: Executor[] = [];
afterEach(async () => {
  for (const e of executors.splice(0)) await e.close();
  for (const s of stores.splice(0)) s.close();
});
afterAll(removeTempDirs);

function setup(memoryBudget: number, concurrency = 2) {
  const store = openRunStore({ path: tempDbPath() });
  stores.push(store);
  const executor = createInProcessExecutor({ runtime, store, concurrency, memoryBudget });
  executors.push(executor);
  const events: RunEvent[] = [];
  executor.subscribe((e) => events.push(e));
  return { store, executor, events };
}

/** The estimate of one SIR job of `steps` steps, from core directly. */
const estimate = (steps: number) => estimateSimulationMemory({ model: runtime.models.get(SIR.model).definition, population: runtime.populations.get(SIR.population).definition, agents: SIR.agents, steps }).bytes;

describe('memory admission', () => {
  it('queues a job while the running ones would go over the budget, then runs it', async () => {
    const one = estimate(10);
    const { executor, events } = setup(Math.floor(one * 1.5));
    const a = executor.submit({ kind: 'run', ...SIR, steps: 10 });
    const b = executor.submit({ kind: 'run', ...SIR, steps: 10 });
    // two slots, but memory for one: the second waits for memory, not for a slot
    expect(executor.stats()).toMatchObject({ running: 1, queued: 1, memoryInUse: one, memoryWait: 1 });
    await Promise.all([a, b].map((r) => executor.wait(r.id)));
    expect(executor.stats()).toMatchObject({ running: 0, queued: 0, memoryInUse: 0, memoryWait: 0 });
    // never both at once: b started after a finished
    const order = events.filter((e) => e.type === 'started' || e.type === 'finished').map((e) => `${e.type} ${e.runId === a.id ? 'a' : 'b'}`);
    expect(order).toEqual(['started a', 'finished a', 'started b', 'finished b']);
  });

  it('runs jobs side by side when the budget holds both', async () => {
    const { executor } = setup(estimate(10) * 2);
    const ids = [1, 2].map(() => executor.submit({ kind: 'run', ...SIR, steps: 10 }).id);
    expect(executor.stats()).toMatchObject({ running: 2, queued: 0, memoryInUse: estimate(10) * 2, memoryWait: 0 });
    await Promise.all(ids.map((id) => executor.wait(id)));
  });

  it('refuses a job larger than the whole budget at once, recording nothing', () => {
    const { store, executor } = setup(estimate(10) - 1);
    let thrown: unknown;
    try {
      executor.submit({ kind: 'run', ...SIR, steps: 10 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'limit-exceeded', details: { limit: 'memoryBudget', max: estimate(10) - 1, received: estimate(10) } });
    expect((thrown as Error).message).toMatch(/more than this server's whole memory budget/);
    expect(store.list({}).runs).toHaveLength(0);
    // a sweep whose runs are each too large is refused whole
    expect(() => executor.submit({ kind: 'scenarios', ...SIR, steps: 10, scenarios: [{ params: {} }, { params: { beta: 0.1 } }] })).toThrow(/memory budget/);
    expect(store.list({}).runs).toHaveLength(0);
  });

  it('checks the memoryBudget option', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, '1GB']) expect(() => setup(bad as number)).toThrow(/memoryBudget: expected a positive whole number of bytes/);
    expect(setup(Infinity).executor.stats().memoryBudget).toBe(Infinity);
  });
});
