/**
 * Smoke test of the benchmark runner (bench/run.mjs): a tiny network-sir run through the real
 * script, checking the JSON document's shape, not the speed. Needs the core build
 * (npx tsc -p packages/core/tsconfig.json).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULT_FIELDS = ['scenario', 'impl', 'backend', 'agents', 'edges', 'steps', 'fwdMsPerStep', 'fwdBwdMsPerStep', 'peakRssMb', 'agentStepsPerSec'];

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function bench(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bench/run.mjs'), ...args], { cwd: root, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('bench/run.mjs', () => {
  it('--json prints one JSON document of positive figures on stdout, the table on stderr', async () => {
    const r = await bench(['--scenario', 'network-sir', '--agents', '1000', '--steps', '3', '--impl', 'populace,tfjs-ops', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { machine: Record<string, unknown>; results: Record<string, unknown>[] };
    expect(Object.keys(doc).sort()).toEqual(['machine', 'results']);
    expect(Object.keys(doc.machine).sort()).toEqual(['cpuModel', 'cpus', 'memGb', 'node']);
    expect(doc.machine.cpus).toBeGreaterThan(0);
    expect(doc.results.map((row) => `${String(row.impl)}/${String(row.backend)}`)).toEqual(['populace/cpu', 'populace/wasm', 'tfjs-ops/cpu']);
    for (const row of doc.results) {
      expect(Object.keys(row)).toEqual(RESULT_FIELDS);
      expect(row).toMatchObject({ scenario: 'network-sir', agents: 1000, edges: 10_000, steps: 3 });
      for (const field of ['fwdMsPerStep', 'fwdBwdMsPerStep', 'peakRssMb', 'agentStepsPerSec']) expect(row[field], `${String(row.impl)} ${field}`).toBeGreaterThan(0);
      expect(row.agentStepsPerSec as number).toBeCloseTo((1000 * 1000) / (row.fwdMsPerStep as number), 3);
    }
    expect(r.stderr).toContain('| network-sir | tfjs-ops | cpu |');
  });

  it('a bad option exits 2 with a one-line reason', async () => {
    for (const args of [['--agents', 'many'], ['--impl', 'numpy'], ['--scenario', 'nope'], ['--steps'], ['--frobnicate']]) {
      const r = await bench(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^bench: /);
    }
  });
});
