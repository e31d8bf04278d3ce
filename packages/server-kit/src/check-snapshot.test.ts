/**
 * Per-agent snapshots of run jobs: requested through run_simulation, run by
 * the in-process executor, stored with the run (a SQLite file) and checked
 * against the run's own metrics; bad requests refused before anything runs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PopulaceError } from '@populace/core';
import { exampleRuntime, removeTempDirs, SIR, tempDbPath } from './kit.fixture.js';
import { createServerKit } from './server-kit.js';
import { callOperation, runOperation } from './operations/index.js';
import type { RunSnapshotOutcome } from './check-snapshot.js';
import { openRunStore } from './run-store.js';

afterAll(removeTempDirs);

const sum = (values: readonly (number | null)[]) => values.reduce<number>((a, b) => a + (b ?? 0), 0);

async function refusal(promise: Promise<unknown>): Promise<PopulaceError> {
  try {
    await promise;
  } catch (e) {
    if (PopulaceError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected a PopulaceError');
}

describe('run snapshots', () => {
  it('are stored with the run; each step sums to the metric of that step; the record says what was asked', async () => {
    const db = tempDbPath();
    const kit = createServerKit({ runtime: exampleRuntime(), db });
    let id = '';
    try {
      const out = await callOperation(runOperation, { ...SIR, agents: 1000, params: { beta: 0.3, seedFraction: 0.02 }, steps: 10, snapshot: { states: ['susceptible', 'agents/people/infected', 'age'], steps: [10, 4] } }, kit);
      expect(out.finished).toBe(true);
      id = out.run.id;
      expect(out.run.options).toEqual({ snapshot: { states: ['susceptible', 'agents/people/infected', 'age'], steps: [4, 10] } });
      const { snapshot } = out.run.result as RunSnapshotOutcome;
      expect(snapshot).toMatchObject({ agentType: 'people', agents: 1000, steps: [4, 10] });
      expect(snapshot.columns.map((c) => [c.name, c.integer])).toEqual([['susceptible', false], ['agents/people/infected', false], ['age', true]]);
      const { series } = kit.store.series(id);
      snapshot.steps.forEach((step, k) => {
        expect(sum(snapshot.columns[0]!.values[k]!)).toBe(series.S![step - 1]);
        expect(sum(snapshot.columns[1]!.values[k]!)).toBe(series.I![step - 1]);
        expect(snapshot.columns[2]!.values[k]!.every((a) => Number.isInteger(a) && a! >= 0 && a! < 90)).toBe(true);
      });
      expect(runOperation.text(out, kit)).toContain('Snapshot: susceptible, agents/people/infected, age of 1000 agents (people) after steps 4, 10, in result.snapshot.');
    } finally {
      await kit.close();
    }
    // read back from the file by another store
    const store = openRunStore({ path: db });
    expect((store.require(id).result as RunSnapshotOutcome).snapshot.steps).toEqual([4, 10]);
    store.close();
  });

  it('refuses unknown states (listing the valid ones), steps past the run, unknown keys and a size over maxSnapshotCells, before running', async () => {
    const kit = createServerKit({ runtime: exampleRuntime(), db: tempDbPath(), limits: { maxSnapshotCells: 5000 } });
    try {
      const base = { ...SIR, agents: 1000, steps: 10 };
      const unknown = await refusal(callOperation(runOperation, { ...base, snapshot: { states: ['status'], steps: [1] } }, kit));
      expect(unknown.code).toBe('invalid-argument');
      expect(unknown.message).toContain("snapshot: unknown state 'status'.");
      expect(unknown.message).toContain("states of agent type 'people': susceptible, infected, recovered; population attributes: age");
      const late = await refusal(callOperation(runOperation, { ...base, snapshot: { states: ['infected'], steps: [5, 11] } }, kit));
      expect(late.message).toContain("snapshot: steps: expected whole numbers from 1 to 10 (the run's steps), received 11.");
      const zero = await refusal(callOperation(runOperation, { ...base, snapshot: { states: ['infected'], steps: [0] } }, kit));
      expect(zero.message).toBe('run_simulation: snapshot.steps.0: expected at least 1 (received 0).');
      const key = await refusal(callOperation(runOperation, { ...base, snapshot: { states: ['infected'], steps: [1], every: 2 } }, kit));
      expect(key.message).toContain("snapshot: unknown key 'every'; valid keys: states, steps");
      const big = await refusal(callOperation(runOperation, { ...base, snapshot: { states: ['infected', 'age'], steps: [1, 2, 3] } }, kit));
      expect(big.code).toBe('limit-exceeded');
      expect(big.message).toBe('snapshot: 1,000 agents x 2 states x 3 steps = 6,000 values, over the limit of 5,000 (maxSnapshotCells). Ask for fewer states, steps or agents. The operator can raise it with --max-snapshot-cells.');
      expect(big.details).toMatchObject({ limit: 'maxSnapshotCells', max: 5000, received: 6000 });
      // nothing was recorded
      expect(kit.store.list({}).total).toBe(0);
      // under the limit it runs
      const ok = await callOperation(runOperation, { ...base, snapshot: { states: ['infected', 'age'], steps: [1, 2] } }, kit);
      expect(ok.run.status).toBe('done');
    } finally {
      await kit.close();
    }
  });
});
