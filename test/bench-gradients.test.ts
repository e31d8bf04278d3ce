/**
 * Smoke test of the gradient benchmarks (bench/gradients-fd.mjs, bench/sd-allocation.mjs,
 * bench/sd-terms.mjs, bench/reverse-pass-turns.mjs) through the real scripts on tiny runs: their documents and tables,
 * and one line on stderr with exit code 2 for a bad flag. The figures themselves are measured in
 * packages/core/GRADIENTS.md. Needs the builds.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function script(name: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bench', name), ...args], { cwd: root, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const TINY = ['--model', 'epi/seir', '--population', 'synthetic', '--params', 'beta,gamma', '--agents', '1000', '--steps', '8'];

describe('gradient benchmarks', () => {
  it('gradients-fd --json: one registry row per parameter and estimator, with the allocation it was asked for', async () => {
    const r = await script('gradients-fd.mjs', [...TINY, '--seeds', '2', '--estimators', 'stochastic-derivative', '--allocation', 'adaptive', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { rows: { param: string; estimator: string; command: string; gradient: number }[] };
    expect(doc.rows.map((row) => `${row.param}/${row.estimator}`)).toEqual(['beta/stochastic-derivative', 'gamma/stochastic-derivative']);
    expect(doc.rows[0]!.command).toContain('--allocation adaptive');
    for (const row of doc.rows) expect(Number.isFinite(row.gradient)).toBe(true);
    expect(r.stderr).toMatch(/\| beta \| stochastic-derivative \|/);
  });

  it('gradients-fd --estimators none: finite differences only, no registry rows', async () => {
    const r = await script('gradients-fd.mjs', [...TINY, '--seeds', '2', '--estimators', 'none', '--h', '0.2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\| beta \| \(none\) \| - \| -?[\d.]+ \+\/- [\d.]+ \|/);
    expect(r.stdout).toMatch(/seed 2: beta fd -?[\d.]+ \| gamma fd -?[\d.]+\n/);
  });

  it('sd-allocation --json: uniform and adaptive on the same seeds, with their variance and cost ratios', async () => {
    const r = await script('sd-allocation.mjs', [...TINY, '--seeds', '2', '--replicates', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { rows: { param: string; varianceRatio: number; costRatio: number; uniform: { withinSeedSE: number } }[] };
    expect(doc.rows.map((row) => row.param)).toEqual(['beta', 'gamma']);
    for (const row of doc.rows) {
      expect(row.varianceRatio).toBeGreaterThan(0);
      expect(row.costRatio).toBeGreaterThan(0.5);
      expect(row.uniform.withinSeedSE).toBeGreaterThan(0);
    }
    expect(r.stderr).toMatch(/^seed 1: uniform beta/m);
  });

  it('sd-terms: the shares of second moment and cost by band, each summing to 100%', async () => {
    const r = await script('sd-terms.mjs', [...TINY, '--bands', '4']);
    expect(r.code, r.stderr).toBe(0);
    const row = r.stdout.split('\n').find((l) => l.startsWith('| beta |'))!;
    const shares = [...row.matchAll(/([\d.]+)% \/ ([\d.]+)%/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(shares).toHaveLength(2);
    expect(shares[0]![0]! + shares[1]![0]!).toBeCloseTo(100, 0);
    expect(shares[0]![1]! + shares[1]![1]!).toBeCloseTo(100, 0);
  });

  it('reverse-pass-turns --json: both drivers, the same gradients, turns only with the asynchronous one', async () => {
    const r = await script('reverse-pass-turns.mjs', ['--agents', '20000', '--steps', '12', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { runs: { driver: string; turns: number; longestWithoutTurnMs: number }[]; sameGradients: boolean };
    expect(doc.sameGradients).toBe(true);
    expect(doc.runs.map((run) => [run.driver, run.turns > 0])).toEqual([['rolloutGradients (synchronous)', false], ['rolloutGradientsAsync', true]]);
    expect(r.stderr).toMatch(/asynchronous \/ synchronous: time [\d.]+x, longest stall [\d.]+x; same loss and gradients: yes/);
  });

  it.each([
    ['reverse-pass-turns.mjs', ['--steps', '0'], "reverse-pass-turns: --steps expects an integer >= 1, received '0'"],
    ['gradients-fd.mjs', ['--allocation', 'neyman'], "gradients-fd: --allocation expects uniform or adaptive, received 'neyman'"],
    ['sd-allocation.mjs', ['--replicates', '1'], "sd-allocation: --replicates expects an integer >= 2, received '1'"],
    ['sd-terms.mjs', ['--nope'], "sd-terms: unknown option '--nope' (see --help)"],
    ['sd-terms.mjs', ['--params', 'R'], "sd-terms: --params: 'R' is not a scalar learnable parameter of epi/covid"],
  ])('%s %j: exit 2 with one line on stderr', async (name, args, line) => {
    const r = await script(name, args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${line}\n`);
    expect(r.stdout).toBe('');
  });
});
