/**
 * Publishing, as a user would meet it: a local verdaccio registry (in this process,
 * on 127.0.0.1 with an ephemeral port, storage in a temp dir, npmjs as the only
 * uplink for third-party packages) receives every package under packages/ (found by
 * glob), then an empty project installs @populace/core, models-epi and populations
 * from it (its node_modules size is reported), adds @populace/cli, and runs a model
 * through `npx populace`. The registry is closed at the end; nothing is left running.
 *
 * Run after the build (`npm test` builds first): packages are published with
 * --ignore-scripts, so what is checked is the dist/ the build produced.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'populace-publish-'));
const npmrc = join(work, '.npmrc');
let server: Server | undefined;
let registry = '';
/** Aborted at teardown: kills any npm child still running (a timed-out test leaves nothing behind). */
const children = new AbortController();

const published = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .filter((dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private !== true);

/** npm against the local registry only, with its own user config. */
function npm(args: string[], cwd: string) {
  return exec('npm', [...args, '--registry', registry, '--userconfig', npmrc, '--no-audit', '--no-fund'], {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
    signal: children.signal,
    killSignal: 'SIGKILL',
    env: { ...process.env, npm_config_registry: registry, npm_config_userconfig: npmrc, npm_config_update_notifier: 'false' },
  });
}

beforeAll(async () => {
  const storage = join(work, 'storage');
  mkdirSync(storage);
  const config = join(work, 'config.yaml');
  writeFileSync(
    config,
    [
      `storage: ${storage}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(work, 'htpasswd')}`,
      'uplinks:',
      '  npmjs:',
      '    url: https://registry.npmjs.org/',
      'packages:',
      "  '@populace/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      '    proxy: npmjs',
      'log: { type: stdout, format: pretty, level: error }',
      '',
    ].join('\n'),
  );
  const { runServer } = (await import('verdaccio')) as unknown as { runServer: (config: string) => Promise<Server> };
  server = await runServer(config);
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  // a user for publishing (verdaccio's adduser endpoint), its token in the temp .npmrc
  const response = await fetch(`${registry}-/user/org.couchdb.user:populace`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'populace', password: 'populace-test-only' }),
  });
  const { token } = (await response.json()) as { token: string };
  writeFileSync(npmrc, `${registry.replace(/^http:/, '')}:_authToken=${token}\n`);
}, 60_000);

afterAll(async () => {
  children.abort();
  if (server) await new Promise<void>((done) => server!.close(() => done()));
  server?.closeAllConnections?.();
  rmSync(work, { recursive: true, force: true });
});

describe('publishing to a local registry and installing from it', () => {
  it('publishes every package under packages/', { timeout: 600_000 }, async () => {
    expect(published.length).toBeGreaterThan(0);
    for (const dir of published) await npm(['publish', '--ignore-scripts', '--access', 'public'], dir);
    for (const dir of published) {
      const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
      const { stdout } = await npm(['view', `${name}@${version}`, 'version'], work);
      expect(stdout.trim()).toBe(version);
    }
  });

  it('installs core, models-epi and populations into an empty project, then the CLI, and runs a model', { timeout: 900_000 }, async () => {
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }, null, 2));
    await npm(['install', '@populace/core', '@populace/models-epi', '@populace/populations'], app);
    const { stdout: du } = await exec('du', ['-sm', join(app, 'node_modules')]);
    const megabytes = Number(du.split(/\s/)[0]);
    console.log(`node_modules of core + models-epi + populations: ${megabytes} MB`);
    expect(existsSync(join(app, 'node_modules', '@populace', 'core', 'dist', 'index.js'))).toBe(true);

    // install scripts run: the CLI must not pull better-sqlite3 (a native build; only the servers need it)
    await npm(['install', '@populace/cli'], app);
    expect(existsSync(join(app, 'node_modules', 'better-sqlite3'))).toBe(false);
    const { stdout } = await exec(
      'npx',
      ['populace', 'run', 'epi/sir', '--population', 'synthetic', '--agents', '2000', '--steps', '10', '--seed', '1', '--json'],
      { cwd: app, env: { ...process.env, npm_config_registry: registry, npm_config_userconfig: npmrc }, maxBuffer: 64 * 1024 * 1024, signal: children.signal },
    );
    const doc = JSON.parse(stdout) as { model: string; agents: number; metrics: Record<string, number[]> };
    expect(doc.model).toBe('epi/sir');
    expect(doc.agents).toBe(2000);
    expect(doc.metrics.I).toHaveLength(10);
    // S + I + R stays the population
    const last = (name: string) => doc.metrics[name]!.at(-1)!;
    expect(last('S') + last('I') + last('R')).toBe(2000);
  });
});
