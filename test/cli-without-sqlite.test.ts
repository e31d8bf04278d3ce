/**
 * The CLI needs no native build: better-sqlite3 (the run store's SQLite addon)
 * is an optional peer of @populace/server-kit, loaded only when a store is
 * opened. Here it is made unresolvable (a require hook and an ESM resolve
 * hook, as if it were not installed): the CLI still runs (its jobs go
 * through the executor on a store in memory), and opening a store file with
 * --db says which package to install.
 * Needs the builds: npx turbo run build
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HIDE = path.join(ROOT, 'test/fixtures/no-sqlite');
const BIN = path.join(ROOT, 'packages/cli/dist/bin.js');
const NODE_ARGS = ['--require', path.join(HIDE, 'hide.cjs'), '--import', path.join(HIDE, 'register.mjs')];

function node(args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...NODE_ARGS, ...args], { cwd, env: { PATH: process.env.PATH ?? '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('without better-sqlite3', () => {
  it('the hooks do hide it (for require and for import)', async () => {
    const cjs = await node(['-e', "require('better-sqlite3')"]);
    expect(cjs.code).toBe(1);
    expect(cjs.stderr).toContain("Cannot find module 'better-sqlite3'");
    const esm = await node(['--input-type=module', '-e', "await import('better-sqlite3')"], path.join(ROOT, 'packages/server-kit'));
    expect(esm.code).toBe(1);
    expect(esm.stderr).toContain("Cannot find package 'better-sqlite3'");
  });

  it('populace run works, and importing @populace/cli does not load it', async () => {
    const run = await node([BIN, 'run', 'example/network-sir', '--population', 'example/random-graph', '--agents', '500', '--steps', '3', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ model: 'example/network-sir', steps: 3 });
    const imported = await node(['--input-type=module', '-e', "const cli = await import('@populace/cli'); console.log(typeof cli.main)"], path.join(ROOT, 'packages/cli'));
    expect(imported.stderr).toBe('');
    expect(imported.stdout.trim()).toBe('function');
  });

  it('populace run and sweep run through the executor on a store in memory; --db says which package to install, before running anything', async () => {
    const sweep = await node([BIN, 'sweep', 'example/network-sir', '--population', 'example/random-graph', '--agents', '100', '--steps', '2', '--seeds', '2', '--json']);
    expect([sweep.code, sweep.stderr]).toEqual([0, '']);
    expect(JSON.parse(sweep.stdout).points[0].runsDone).toBe(2);
    for (const command of [['sweep', '--seeds', '2'], ['run']]) {
      const r = await node([BIN, command[0]!, 'example/network-sir', '--population', 'example/random-graph', '--agents', '100', '--steps', '2', ...command.slice(1), '--db', 'runs.sqlite']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^populace: the run store needs the package better-sqlite3.*npm install better-sqlite3/s);
    }
  });

  it('opening a run store says which package to install', async () => {
    const script = "import { openRunStore } from '@populace/server-kit'; try { openRunStore({ path: ':memory:' }); } catch (e) { console.log(e.code + ': ' + e.message); }";
    const r = await node(['--input-type=module', '-e', script], path.join(ROOT, 'packages/server-kit'));
    expect(r.stdout).toContain('config-invalid: the run store needs the package better-sqlite3');
    expect(r.stdout).toContain('npm install better-sqlite3');
  });

  it('the CLI does not depend on it; the servers do, and server-kit has it as an optional peer', () => {
    const pkg = (name: string) => JSON.parse(readFileSync(path.join(ROOT, 'packages', name, 'package.json'), 'utf8')) as Record<string, Record<string, unknown> | undefined>;
    expect(pkg('cli').dependencies).not.toHaveProperty('better-sqlite3');
    expect(pkg('server-kit').dependencies).not.toHaveProperty('better-sqlite3');
    expect(pkg('server-kit').peerDependencies).toHaveProperty('better-sqlite3');
    // optional peers only (typescript too: for populace.config.ts, loaded by server-kit's plugin loading)
    expect(pkg('server-kit').peerDependenciesMeta).toEqual({ 'better-sqlite3': { optional: true }, typescript: { optional: true } });
    expect(pkg('mcp-server').dependencies).toHaveProperty('better-sqlite3');
    expect(pkg('graphql').dependencies).toHaveProperty('better-sqlite3');
  });
});
