/**
 * `populace run` through server-kit's executor: `--db file.sqlite` records the
 * run in the run store the servers read (listed by the store API with the
 * metrics the CLI printed), a run without --db writes no file, and Ctrl-C
 * records the run as cancelled with the steps completed.
 * Needs the builds: npx turbo run build
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDocument } from '@populace/cli';
import { openRunStore } from '@populace/server-kit';
import { runCli, spawnCli } from './fixtures/cli/harness.js';
import { configFile, removeTempDirs, tempProject } from './fixtures/cli/projects.js';

let dir: string;
beforeAll(async () => {
  dir = await tempProject();
});
afterAll(removeTempDirs);

const RUN = ['run', 'example/network-sir', '--population', 'example/random-graph', '--agents', '1500', '--steps', '8', '--seed', '4', '--param', 'seedFraction=0.02', '--param', 'beta=0.2', '--json'];

/** Opens a store file the CLI wrote, lists its runs and reads one's series, then closes it. */
function readStore(file: string) {
  const store = openRunStore({ path: file });
  try {
    const { runs, total } = store.list({});
    return { runs, total, series: runs.map((r) => store.series(r.id).series) };
  } finally {
    store.close();
  }
}

describe('populace run --db', () => {
  it('records the run in the SQLite run store, with the metrics it printed; without --db no file is written', async () => {
    const before = readdirSync(dir).sort();
    const plain = await runCli(RUN, { cwd: dir });
    expect([plain.code, plain.stderr]).toEqual([0, '']);
    expect(readdirSync(dir).sort()).toEqual(before);

    const recorded = await runCli([...RUN, '--db', 'runs.sqlite'], { cwd: dir });
    expect([recorded.code, recorded.stderr]).toEqual([0, '']);
    const doc = JSON.parse(recorded.stdout) as RunDocument;
    // the same run, the same metrics, with or without the store file
    expect(doc.metrics).toEqual((JSON.parse(plain.stdout) as RunDocument).metrics);
    expect(doc.metrics.I!.some((v) => v > 0)).toBe(true);

    const { runs, total, series } = readStore(path.join(dir, 'runs.sqlite'));
    expect(total).toBe(1);
    expect(runs[0]).toMatchObject({ kind: 'run', status: 'done', model: doc.model, population: doc.population, agents: doc.agents, steps: 8, seed: 4, backend: doc.backend, stepsRecorded: 8, params: doc.params });
    expect(series[0]).toEqual(doc.metrics);

    // a second run is added to the same store
    const again = await runCli([...RUN.slice(0, -1), '--seed', '5', '--db', 'runs.sqlite'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(readStore(path.join(dir, 'runs.sqlite')).runs.map((r) => r.seed)).toEqual([5, 4]);
  });

  it('calibrate --db records the fit: kind calibrate, its outcome, and the fitted trajectory as its metrics', async () => {
    const made = await runCli([...RUN.slice(0, -1), '--out', 'observed.csv'], { cwd: dir });
    expect(made.code).toBe(0);
    const r = await runCli(['calibrate', ...RUN.slice(1, 10), '--param', 'seedFraction=0.02', '--param', 'beta=0.1', '--learnable', 'beta', '--observed', 'observed.csv', '--epochs', '3', '--json', '--db', 'fits.sqlite'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const doc = JSON.parse(r.stdout) as { params: Record<string, number>; start: Record<string, number>; loss: number; history: number[]; fit: Record<string, number[]>; steps: number };
    expect(doc.start).toEqual({ beta: 0.1 });
    const { runs, series } = readStore(path.join(dir, 'fits.sqlite'));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ kind: 'calibrate', status: 'done', steps: doc.steps, result: { params: doc.params, start: doc.start, loss: doc.loss, history: doc.history } });
    for (const [metric, values] of Object.entries(doc.fit)) expect(series[0]![metric]).toEqual(values);
  });

  it('sensitivity --db records the ranking with its estimator, and the forward run as its metrics', async () => {
    const r = await runCli(['sensitivity', ...RUN.slice(1, 10), '--param', 'seedFraction=0.02', '--output', 'I:sum', '--estimator', 'straight-through', '--json', '--db', 'sens.sqlite'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const doc = JSON.parse(r.stdout) as { estimator: string; output: { value: number }; entries: { param: string; gradient: number }[] };
    expect(doc.estimator).toBe('straight-through');
    const { runs, series } = readStore(path.join(dir, 'sens.sqlite'));
    expect(runs.map((x) => [x.kind, x.status])).toEqual([['sensitivity', 'done']]);
    const result = runs[0]!.result as unknown as { estimator: string; output: { value: number }; entries: { param: string; gradient: number }[] };
    expect(result.estimator).toBe('straight-through');
    expect(result.entries.map((e) => [e.param, e.gradient])).toEqual(doc.entries.map((e) => [e.param, e.gradient]));
    // the output is the forward run's I summed over the steps
    expect(series[0]!.I!.reduce((a, b) => a + b, 0)).toBeCloseTo(doc.output.value, 3);
  });

  it('Ctrl-C: the run is recorded as cancelled with the steps completed, and printed as before (exit 130)', async () => {
    const slow = await tempProject(configFile('slow', 'slow'));
    const r = await spawnCli(['run', 'slow', '--steps', '100', '--json', '--db', 'runs.sqlite'], slow, {}, (pid) => setTimeout(() => process.kill(pid, 'SIGINT'), 4000));
    expect(r.code).toBe(130);
    const doc = JSON.parse(r.stdout) as RunDocument & { interrupted: boolean };
    expect(doc.interrupted).toBe(true);
    const { runs, series } = readStore(path.join(slow, 'runs.sqlite'));
    expect(runs.map((x) => x.status)).toEqual(['cancelled']);
    expect(runs[0]!.stepsRecorded).toBe(doc.steps);
    expect(series[0]).toEqual(doc.metrics);
  });
});
