/**
 * Parameter schedules in executor jobs: a run follows its schedule (checked
 * against a run without the change and against the model's arithmetic),
 * the record keeps it, a sweep's runs follow it, and gradient jobs and bad
 * schedules are refused before anything runs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { exampleRuntime, removeTempDirs, SIR, tempDbPath } from './kit.fixture.js';
import { callOperation, sweepOperation } from './operations/index.js';
import { createServerKit } from './server-kit.js';

afterAll(removeTempDirs);

const STOP = { beta: [{ step: 0, value: 0.3 }, { step: 4, value: 0 }] };

describe('schedules in jobs', () => {
  it('a run follows its schedule: steps 1..4 as without it, no new infection once beta is 0', async () => {
    const kit = createServerKit({ runtime: exampleRuntime(), db: tempDbPath(), concurrency: 2 });
    try {
      const request = { ...SIR, params: { ...SIR.params, beta: 0.3 }, steps: 10 };
      const plain = kit.executor.submit({ kind: 'run', ...request });
      const scheduled = kit.executor.submit({ kind: 'run', ...request, schedules: STOP });
      await Promise.all([kit.executor.wait(plain.id), kit.executor.wait(scheduled.id)]);
      const a = kit.store.series(plain.id).series;
      const b = kit.store.series(scheduled.id).series;
      expect(b.I!.slice(0, 4)).toEqual(a.I!.slice(0, 4));
      expect(b.newInfections!.slice(4)).toEqual(Array(6).fill(0));
      expect(a.newInfections!.slice(4).some((v) => v > 0)).toBe(true);
      expect(kit.store.require(scheduled.id).options.schedules).toEqual(STOP);

      const sweep = await callOperation(sweepOperation, { model: SIR.model, population: SIR.population, agents: 2000, steps: 10, seed: 1, seeds: 2, params: SIR.params, schedules: STOP }, kit);
      for (const id of sweep.points[0]!.runIds) expect(kit.store.series(id).series.newInfections!.slice(4)).toEqual(Array(6).fill(0));
    } finally {
      await kit.close();
    }
  });

  it('refuses schedules for gradient jobs, unknown parameters, values out of bounds and bad steps', async () => {
    const kit = createServerKit({ runtime: exampleRuntime(), db: tempDbPath() });
    try {
      expect(() => kit.executor.submit({ kind: 'sensitivity', ...SIR, output: 'I:sum', schedules: STOP })).toThrow(/schedules: a sensitivity job differentiates the simulation/);
      expect(() => kit.executor.submit({ kind: 'run', ...SIR, schedules: { betta: [{ step: 0, value: 1 }] } })).toThrow(/no parameter 'betta'. Did you mean 'beta'/);
      expect(() => kit.executor.submit({ kind: 'run', ...SIR, schedules: { beta: [{ step: 0, value: 0.1 }, { step: 3, value: 9 }] } })).toThrow(/expected a value within \[0, 5\], received 9/);
      expect(() => kit.executor.submit({ kind: 'run', ...SIR, schedules: { beta: [{ step: 0, value: 0.1 }, { step: 3, value: 0.2 }, { step: 2, value: 0.3 }] } })).toThrow(/strictly ascending/);
      expect(() => kit.executor.submit({ kind: 'run', ...SIR, schedules: [1] as never })).toThrow(/schedules: expected an object/);
      expect(kit.store.list().total).toBe(0);
    } finally {
      await kit.close();
    }
  });
});
