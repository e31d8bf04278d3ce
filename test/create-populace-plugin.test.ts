/**
 * A plugin from `create-populace-plugin`, end to end: the real bin scaffolds it into a temp dir
 * outside the repository, its @populace/core and tools are linked to this workspace's (no
 * network), its own `npm run build` (tsc) and `npm test` (vitest: the conformance kit) pass, and
 * `populace run` / `populace sensitivity` find it as an installed package through its
 * package.json `populace.plugin`. Needs the builds of core, cli and create-populace-plugin.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDocument, SensitivityDocument } from '@populace/cli';
import { spawnCli } from './fixtures/cli/harness.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CREATE = path.join(ROOT, 'packages/create-populace-plugin/dist/bin.js');
let base: string;
let project: string;

/** Links what `npm install` would put in the project's node_modules to this workspace's copies. */
async function linkDependencies(dir: string): Promise<void> {
  const nm = path.join(dir, 'node_modules');
  await mkdir(path.join(nm, '@populace'), { recursive: true });
  await mkdir(path.join(nm, '@types'), { recursive: true });
  await mkdir(path.join(nm, '.bin'), { recursive: true });
  await symlink(path.join(ROOT, 'packages/core'), path.join(nm, '@populace/core'), 'dir');
  for (const pkg of ['typescript', 'vitest', '@types/node']) await symlink(path.join(ROOT, 'node_modules', pkg), path.join(nm, pkg), 'dir');
  await symlink('../typescript/bin/tsc', path.join(nm, '.bin/tsc'));
  await symlink('../vitest/vitest.mjs', path.join(nm, '.bin/vitest'));
}

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'populace-create-plugin-'));
  project = path.join(base, 'flu-plugin');
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('a plugin scaffolded by create-populace-plugin', () => {
  it('is written by the bin without a terminal (--yes), then builds and passes its own tests', async () => {
    const created = await run(process.execPath, [CREATE, 'flu-plugin', '--name', 'populace-plugin-flu', '--yes'], { cwd: base });
    expect(created.stdout).toContain("Created populace-plugin-flu in flu-plugin: plugin 'flu' with flu/sir and flu/town");
    const pkg = JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ populace: { plugin: './dist/plugin.js' }, peerDependencies: { '@populace/core': '>=0.1.0 <1.0.0' } });
    await linkDependencies(project);
    const env = { ...process.env, npm_config_update_notifier: 'false', NODE_OPTIONS: '' };
    const build = await run('npm', ['run', 'build'], { cwd: project, env });
    expect(build.stderr).not.toMatch(/error TS/);
    for (const file of ['plugin.js', 'plugin.d.ts', 'model.js', 'population.js']) await readFile(path.join(project, 'dist', file));
    const test = await run('npm', ['test', '--', '--reporter=verbose'], { cwd: project, env: { ...env, CI: '1', VITEST: '' }, maxBuffer: 8 << 20 });
    const report = `${test.stdout}${test.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    expect(report).toMatch(/Tests\s+2 passed \(2\)/);
    expect(report).toContain('passes the conformance kit of @populace/core');
  }, 240_000);

  it('is found by populace run and sensitivity as an installed package (populace.plugin)', async () => {
    const app = path.join(base, 'app');
    await mkdir(path.join(app, 'node_modules'), { recursive: true });
    await symlink(project, path.join(app, 'node_modules/populace-plugin-flu'), 'dir');
    const models = await spawnCli(['models', '--json'], app);
    expect(models.code).toBe(0);
    expect(models.stdout).toContain('flu/sir');
    const r = await spawnCli(['run', 'flu/sir', '--population', 'flu/town', '--agents', '2000', '--steps', '30', '--seed', '1', '--json'], app);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as RunDocument;
    expect(doc).toMatchObject({ model: 'flu/sir', population: 'flu/town', agents: 2000, steps: 30 });
    expect(doc.metrics.S![29]! + doc.metrics.I![29]! + doc.metrics.R![29]!).toBe(2000);
    expect(doc.metrics.R![29]).toBeGreaterThan(50);
    const s = await spawnCli(['sensitivity', 'flu/sir', '--population', 'flu/town', '--agents', '2000', '--steps', '30', '--seed', '1', '--output', 'newInfections:sum', '--json'], app);
    expect(s.code).toBe(0);
    const sens = JSON.parse(s.stdout) as SensitivityDocument;
    const beta = sens.entries.find((e) => e.param === 'beta')!;
    expect(beta.gradient).toBeGreaterThan(0);
  }, 120_000);
});
