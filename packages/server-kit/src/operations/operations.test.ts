/**
 * The operation list: declarations checked once, inputs strict, and the
 * sweep run through a real executor and run store (SQLite file), its bands
 * checked against the same runs made directly with core.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PopulaceError } from '@populace/core';
import { z } from 'zod';
import { exampleRuntime, removeTempDirs, SIR, tempDbPath } from '../kit.fixture.js';
import { createServerKit } from '../server-kit.js';
import { defineOperation, parseOperationInput } from './define-operation.js';
import { findOperation, gridPoints, OPERATIONS, sweepOperation } from './index.js';
import { quantileSorted } from './sweep-bands.js';

afterAll(removeTempDirs);

describe('operations', () => {
  it('are declared once each, with snake_case names and strict inputs that list the valid keys', () => {
    const names = OPERATIONS.map((o) => o.name);
    expect(names).toEqual(['list_models', 'describe_model', 'list_populations', 'list_backends', 'run_simulation', 'run_scenarios', 'sweep', 'calibrate', 'sensitivity']);
    expect(new Set(names).size).toBe(names.length);
    expect(findOperation('sweep')).toBe(sweepOperation);
    expect(() => parseOperationInput(sweepOperation, { model: 'network-sir', labl: 'x' })).toThrow(/sweep: unknown key 'labl'; valid keys: model, population, agents, steps, seed, seeds, params, vary, schedules, label/);
    expect(() => parseOperationInput(sweepOperation, { model: 'network-sir', seeds: 0 })).toThrow(/sweep: seeds: expected at least 1 \(received 0\)/);
    expect(() => parseOperationInput(sweepOperation, { model: 'network-sir', vary: { beta: [0.1, 0.1] } })).toThrow(/vary\.beta: expected distinct values/);
    expect(() => defineOperation({ name: 'Bad-Name', title: '', description: '', readOnly: true, input: z.object({}), output: z.object({}), text: () => '', run: async () => ({}) })).toThrow(PopulaceError);
  });

  it('list_backends probes the backends once per process: cpu and wasm usable (native kernels), an absent package not installed, with the command to install it', async () => {
    const kit = createServerKit({ runtime: exampleRuntime(), db: tempDbPath() });
    try {
      const op = findOperation('list_backends')!;
      const out = (await op.run(parseOperationInput(op, {}), kit)) as { backends: { name: string; installed: boolean; usable: boolean; kernels: string; reason: string; checks: { ok: boolean }[] | null }[] };
      expect(op.output.safeParse(out).success).toBe(true);
      const byName = new Map(out.backends.map((b) => [b.name, b]));
      expect(byName.get('cpu')).toMatchObject({ installed: true, usable: true, kernels: 'native', checks: null });
      expect(byName.get('wasm')).toMatchObject({ installed: true, usable: true, kernels: 'native' });
      expect(byName.get('wasm')!.checks!.every((c) => c.ok)).toBe(true);
      // tfjs-node cannot install on this machine: reported, with what to install
      expect(byName.get('tensorflow')).toMatchObject({ installed: false, usable: false, kernels: 'portable', reason: 'not installed (npm install @tensorflow/tfjs-node)' });
      expect(op.text(out as never, kit)).toMatch(/^\d+ of \d+ backends usable here:\ncpu \(@tensorflow\/tfjs-backend-cpu\): usable, native kernels/);
      // computed once: a second call gets the same rows without probing again
      const again = (await op.run(parseOperationInput(op, {}), kit)) as typeof out;
      expect(again.backends).toBe(out.backends);
      expect(() => parseOperationInput(op, { backend: 'cpu' })).toThrow(/list_backends: unknown key 'backend'; valid keys: none/);
    } finally {
      await kit.close();
    }
  }, 120_000);

  it('gridPoints is the cartesian product in the order given', () => {
    expect(gridPoints({ a: [1, 2], b: [3, 4, 5] })).toHaveLength(6);
    expect(gridPoints({ a: [1, 2], b: [3] })).toEqual([{ a: 1, b: 3 }, { a: 2, b: 3 }]);
    expect(gridPoints({})).toEqual([{}]);
  });

  it('sweep runs every point on every seed through the executor and reports the quantiles of those runs', async () => {
    const runtime = exampleRuntime();
    const kit = createServerKit({ runtime, db: tempDbPath(), concurrency: 2 });
    try {
      const progress: number[] = [];
      const out = await sweepOperation.run(parseOperationInput(sweepOperation, { model: SIR.model, population: SIR.population, agents: 500, steps: 8, seed: 3, seeds: 3, params: { seedFraction: 0.02 }, vary: { beta: [0.05, 0.2] } }), { ...kit, onProgress: (d) => progress.push(d) });
      expect(out).toMatchObject({ status: 'done', interrupted: false, seeds: [3, 4, 5], steps: 8 });
      expect(out.points.map((p) => p.name)).toEqual(['beta=0.05', 'beta=0.2']);
      expect(kit.store.list({ parentId: out.runId }).total).toBe(6);
      expect(Math.max(...progress)).toBe(6);
      // the reference: the same runs made directly with core
      for (const p of out.points) {
        const finals: number[] = [];
        for (const seed of [3, 4, 5]) {
          const sim = runtime.createSimulation({ model: SIR.model, population: SIR.population, agents: 500, seed, params: { seedFraction: 0.02, beta: p.params.beta! } });
          finals.push((await sim.run({ steps: 8 })).metrics.I![7]!);
          sim.dispose();
        }
        finals.sort((a, b) => a - b);
        expect(p.bands.I!.median[7]).toBe(finals[1]);
        expect(p.bands.I!.q975[7]).toBeCloseTo(quantileSorted(finals, 0.975), 9);
        expect(p.runsDone).toBe(3);
      }
      // a higher beta infects more: the medians are not the same series
      expect(out.points[1]!.bands.R!.median[7]!).toBeGreaterThan(out.points[0]!.bands.R!.median[7]!);
      expect(sweepOperation.text(out, kit)).toMatch(/beta=0\.2 \(3 of 3 runs\):\n {2}S at step 8: median/);
    } finally {
      await kit.close();
    }
  });

  it('sweep: over the limit of sweep runs is refused before anything runs; unknown parameters name the known ones', async () => {
    const kit = createServerKit({ runtime: exampleRuntime(), db: tempDbPath(), limits: { maxScenarioRuns: 4 } });
    try {
      await expect(sweepOperation.run(parseOperationInput(sweepOperation, { model: SIR.model, seeds: 5 }), kit)).rejects.toThrow(/runs of the sweep \(1 scenarios x 5 seeds\) is 5, over this server's limit of 4/);
      await expect(sweepOperation.run(parseOperationInput(sweepOperation, { model: SIR.model, seeds: 1, vary: { betta: [0.1] } }), kit)).rejects.toThrow(/no parameter 'betta'. Did you mean 'beta'/);
      expect(kit.store.list().total).toBe(0);
    } finally {
      await kit.close();
    }
  });

  it('sweep: an abort stops it and returns the bands of the runs that finished', async () => {
    const kit = createServerKit({ runtime: exampleRuntime(), db: tempDbPath(), concurrency: 1 });
    try {
      const controller = new AbortController();
      const out = await sweepOperation.run(parseOperationInput(sweepOperation, { model: SIR.model, population: SIR.population, agents: 500, steps: 400, seeds: 4 }), {
        ...kit,
        signal: controller.signal,
        onProgress: (done) => done >= 1 && controller.abort(),
      });
      expect(out.interrupted).toBe(true);
      expect(out.status).toBe('cancelled');
      expect(out.points[0]!.runsDone).toBeGreaterThanOrEqual(1);
      expect(out.points[0]!.runsDone).toBeLessThan(4);
    } finally {
      await kit.close();
    }
  });
});
