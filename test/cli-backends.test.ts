import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectUsageError, runCli, type Outcome } from './fixtures/cli/harness.js';
import { removeTempDirs, tempProject } from './fixtures/cli/projects.js';

let dir: string;
const cli = (argv: string[]): Promise<Outcome> => runCli(argv, { cwd: dir });

beforeAll(async () => {
  dir = await tempProject();
});
afterAll(removeTempDirs);

interface Row { name: string; package: string; installed: boolean; usable: boolean; kernels: string; reason: string; checks: { name: string; ok: boolean }[] | null }

describe('populace backends', () => {
  it('--json: every backend with installed / usable / kernel set / why, and the kernel checks', async () => {
    const r = await cli(['backends', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Row[];
    const by = Object.fromEntries(rows.map((x) => [x.name, x]));
    expect(Object.keys(by)).toEqual(expect.arrayContaining(['cpu', 'wasm', 'tensorflow', 'webgl']));
    expect(by.cpu).toMatchObject({ installed: true, usable: true, kernels: 'native' });
    // wasm ships with core: it initialises and its kernels are checked against cpu
    expect(by.wasm).toMatchObject({ installed: true, usable: true, kernels: 'native' });
    expect(by.wasm!.checks!.length).toBeGreaterThanOrEqual(5);
    expect(by.wasm!.checks!.every((c) => c.ok)).toBe(true);
    expect(by.tensorflow!.kernels).toBe('portable');
    if (!by.tensorflow!.installed) expect(by.tensorflow!.reason).toMatch(/npm install @tensorflow\/tfjs-node/);
  });

  it('prints a table without --json, and refuses unknown options', async () => {
    // a table on a wide terminal
    const r = await runCli(['backends'], { cwd: dir, env: { COLUMNS: '200' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/BACKEND\s+PACKAGE\s+INSTALLED\s+USABLE\s+KERNELS\s+WHY/);
    expect(r.stdout).toMatch(/^wasm\s+@tensorflow\/tfjs-backend-wasm\s+yes\s+yes\s+native/m);
    // a block per backend where the table does not fit
    const narrow = await runCli(['backends'], { cwd: dir, env: { COLUMNS: '60' } });
    expect(narrow.stdout).toMatch(/^wasm\n {2}package +@tensorflow\/tfjs-backend-wasm\n {2}installed +yes\n {2}usable +yes\n {2}kernels +native\n/m);
    expect(narrow.stdout.split('\n').every((l) => l.length <= 60)).toBe(true);
    expectUsageError(await cli(['backends', '--bogus']), '--bogus');
  });
});
