/**
 * `populace sweep`, `run --param name=value@step` schedules, `--out
 * file.parquet` and Ctrl-C keeping what was computed, through the real bin in
 * child processes (and, for the references, the CLI in process).
 * Needs the builds: npx turbo run build
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDocument } from '@populace/cli';
import { quantileSorted } from '@populace/server-kit';
import { expectUsageError, runCli, spawnCli } from './fixtures/cli/harness.js';
import { configFile, removeTempDirs, tempProject } from './fixtures/cli/projects.js';

let dir: string;
beforeAll(async () => {
  dir = await tempProject(configFile('walk', 'ok'));
});
afterAll(removeTempDirs);

type Bands = Record<'median' | 'q25' | 'q75' | 'q025' | 'q975', (number | null)[]>;
interface SweepDoc {
  interrupted: boolean;
  seeds: number[];
  metrics: string[];
  points: { name: string; params: Record<string, number>; runIds: string[]; runsDone: number; bands: Record<string, Bands> }[];
}

const readParquet = async (file: string) => {
  const bytes = readFileSync(file);
  return (await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) })) as Record<string, unknown>[];
};

const SIR = ['example/network-sir', '--population', 'example/random-graph', '--agents', '400', '--steps', '6'];

describe('populace sweep', () => {
  it('runs the grid on every seed and reports the quantiles of the same runs made one by one, as JSON, CSV, Parquet and a plot', async () => {
    const r = await spawnCli(['sweep', ...SIR, '--vary', 'beta=0.05,0.3', '--seeds', '1..3', '--json', '--out', 'bands.csv', '--plot', 'bands.png'], dir);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const doc = JSON.parse(r.stdout) as SweepDoc;
    expect(doc.seeds).toEqual([1, 2, 3]);
    expect(doc.points.map((p) => p.params)).toEqual([{ beta: 0.05 }, { beta: 0.3 }]);
    for (const p of doc.points) {
      const finals: number[] = [];
      for (const seed of [1, 2, 3]) {
        const one = await runCli(['run', ...SIR, '--param', `beta=${p.params.beta}`, '--seed', String(seed), '--json'], { cwd: dir });
        finals.push((JSON.parse(one.stdout) as RunDocument).metrics.R!.at(-1)!);
      }
      finals.sort((a, b) => a - b);
      expect(p.bands.R!.median).toHaveLength(6);
      expect(p.bands.R!.median[5]).toBe(finals[1]);
      expect(p.bands.R!.q025[5]).toBeCloseTo(quantileSorted(finals, 0.025), 9);
      expect(p.bands.R!.q75[5]).toBeCloseTo(quantileSorted(finals, 0.75), 9);
    }
    const csv = readFileSync(path.join(dir, 'bands.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('point,beta,metric,step,median,q25,q75,q025,q975');
    expect(csv).toHaveLength(1 + 2 * doc.metrics.length * 6);
    expect(readFileSync(path.join(dir, 'bands.png')).subarray(1, 4).toString()).toBe('PNG');

    const pq = await spawnCli(['sweep', ...SIR, '--vary', 'beta=0.05,0.3', '--seeds', '1..3', '--out', 'bands.parquet'], dir);
    expect(pq.code).toBe(0);
    expect(pq.stdout).toMatch(/beta=0\.3 \(3 of 3 runs\):/);
    const rows = await readParquet(path.join(dir, 'bands.parquet'));
    expect(rows).toHaveLength(csv.length - 1);
    const row = rows.find((x) => x.point === 'beta=0.3' && x.metric === 'R' && x.step === 6)!;
    expect(row).toMatchObject({ beta: 0.3, median: doc.points[1]!.bands.R!.median[5] });
  });

  it('refuses bad input naming the option: a grid value that is not a number, zero seeds, an unknown parameter, --seeds a..b with --seed', async () => {
    expectUsageError(await runCli(['sweep', ...SIR, '--vary', 'beta=0.1,x'], { cwd: dir }), '--vary', 'beta=0.1,x');
    expectUsageError(await runCli(['sweep', ...SIR, '--seeds', '0'], { cwd: dir }), '--seeds: expected at least 1, received 0.');
    expectUsageError(await runCli(['sweep', ...SIR, '--vary', 'betta=0.1'], { cwd: dir }), "no parameter 'betta'", "Did you mean 'beta'");
    expectUsageError(await runCli(['sweep', ...SIR, '--seeds', '1..3', '--seed', '2'], { cwd: dir }), 'drop --seed 2');
    expectUsageError(await runCli(['sweep', ...SIR, '--out', 'x.txt'], { cwd: dir }), '.json or .csv or .parquet');
  });
});

describe('populace run: schedules and Parquet', () => {
  it('--param speed=1@0,5@3 is 1 for the steps with index 0..2 and 5 after (walkers: meanX grows by speed)', async () => {
    const r = await runCli(['run', 'walk', '--steps', '6', '--param', 'speed=1@0,5@3', '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as RunDocument & { schedules: unknown };
    expect(doc.metrics.meanX!.map((v) => Math.round(v * 1e4) / 1e4)).toEqual([1, 2, 3, 8, 13, 18]);
    expect(doc.schedules).toEqual({ speed: [{ step: 0, value: 1 }, { step: 3, value: 5 }] });
    const plain = JSON.parse((await runCli(['run', 'walk', '--steps', '6', '--json'], { cwd: dir })).stdout) as RunDocument;
    expect(doc.metrics.meanX!.slice(0, 3)).toEqual(plain.metrics.meanX!.slice(0, 3));
  });

  it('epi/covid: testing that starts on day 30 changes nothing before day 30, and tests are used after', async () => {
    const root = path.resolve(import.meta.dirname, '..');
    const run = async (param: string) => JSON.parse((await runCli(['run', 'epi/covid', '--agents', '3000', '--steps', '36', '--param', param, '--json'], { cwd: root })).stdout) as RunDocument;
    const [scheduled, none] = [await run('testsPerDay=0@0,2000@30'), await run('testsPerDay=0')];
    for (const m of Object.keys(none.metrics)) expect(scheduled.metrics[m]!.slice(0, 30), m).toEqual(none.metrics[m]!.slice(0, 30));
    expect(none.metrics.testsUsed!.slice(30).every((v) => v === 0)).toBe(true);
    expect(scheduled.metrics.testsUsed!.slice(30).some((v) => v > 0)).toBe(true);
  });

  it('refuses schedules that do not start at 0, go backwards, leave the bounds, or are given to calibrate', async () => {
    expectUsageError(await runCli(['run', 'walk', '--param', 'speed=2@3'], { cwd: dir }), 'first change must be at step 0', 'speed=0@0,2@3');
    expectUsageError(await runCli(['run', 'walk', '--param', 'speed=1@0,2@5,3@4'], { cwd: dir }), 'strictly ascending', 'step 4 after step 5');
    expectUsageError(await runCli(['run', 'walk', '--param', 'speed=1@0,2@1.5'], { cwd: dir }), 'whole number of steps');
    expectUsageError(await runCli(['run', 'walk', '--param', 'speed=1@0,20@2'], { cwd: dir }), '[0, 10]', '20');
    expectUsageError(await runCli(['run', 'walk', '--param', 'speed=1@0,x@2'], { cwd: dir }), 'value@step');
  });

  it('--out run.parquet holds the same series as --json (read back with hyparquet)', async () => {
    const r = await runCli(['run', ...SIR, '--json', '--out', 'run.parquet'], { cwd: dir });
    const doc = JSON.parse(r.stdout) as RunDocument;
    const rows = await readParquet(path.join(dir, 'run.parquet'));
    expect(rows.map((x) => x.step)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const m of Object.keys(doc.metrics)) expect(rows.map((x) => x[m])).toEqual(doc.metrics[m]);
  });
});

describe('Ctrl-C keeps what was computed', () => {
  it('run: the steps completed are printed and written, with exit 130 and a note on stderr', async () => {
    const slow = await tempProject(configFile('slow', 'slow'));
    const r = await spawnCli(['run', 'slow', '--steps', '100', '--json', '--out', 'partial.json'], slow, {}, (pid) => setTimeout(() => process.kill(pid, 'SIGINT'), 4000));
    expect(r.code).toBe(130);
    const doc = JSON.parse(r.stdout) as RunDocument & { interrupted: boolean };
    const done = doc.metrics.meanX!.length;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(100);
    expect(doc).toMatchObject({ interrupted: true, steps: done });
    expect(doc.metrics.meanX!.map((v) => Math.round(v))).toEqual(Array.from({ length: done }, (_, i) => i + 1));
    expect(JSON.parse(readFileSync(path.join(slow, 'partial.json'), 'utf8'))).toEqual(doc);
    expect(r.stderr).toMatch(new RegExp(`^populace: interrupted \\(Ctrl-C\\) after ${done} of 100 steps; the metrics of those steps were written to .*partial\\.json and printed above\\.\\n$`));
  });

  it('sweep: the bands of the runs that finished are printed and written, with exit 130', async () => {
    const slow = await tempProject(configFile('slow', 'slow'));
    // each run: 16 steps of 150 ms (2.4 s); Ctrl-C at 7 s, after the start-up and at least one run
    const r = await spawnCli(['sweep', 'slow', '--steps', '16', '--seeds', '5', '--json', '--out', 'partial.csv'], slow, {}, (pid) => setTimeout(() => process.kill(pid, 'SIGINT'), 7000));
    expect(r.code).toBe(130);
    const doc = JSON.parse(r.stdout) as SweepDoc;
    expect(doc.interrupted).toBe(true);
    expect(doc.points[0]!.runsDone).toBeGreaterThan(0);
    expect(doc.points[0]!.runsDone).toBeLessThan(5);
    expect(doc.points[0]!.bands.meanX!.median[15]).toBeCloseTo(16, 4);
    expect(existsSync(path.join(slow, 'partial.csv'))).toBe(true);
    expect(r.stderr).toMatch(/^populace: interrupted \(Ctrl-C\): the sweep stopped; the bands above cover the \d runs that finished \(written to .*partial\.csv\)\.\n$/);
  });
});
