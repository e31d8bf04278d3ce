/**
 * Every published package (packages/*, found by glob, not listed by hand) as npm
 * would ship it: release metadata, the files in its tarball, publint (strict) and
 * Are The Types Wrong (ESM-only profile) over the packed tarball.
 *
 * Run after the build (`npm test` builds first); packing here skips `prepack` so
 * the test checks the dist/ that the build produced.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);

interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  keywords?: string[];
  homepage?: string;
  bugs?: { url?: string };
  repository?: { type?: string; url?: string; directory?: string };
  files?: string[];
  bin?: Record<string, string>;
  exports?: Record<string, unknown>;
  engines?: { node?: string };
  scripts?: Record<string, string>;
  populace?: { plugin?: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readJson = (file: string): PackageJson => JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
const rootPkg = readJson(join(root, 'package.json')) as PackageJson;

/** Every publishable package directory under packages/. */
const packages = readdirSync(join(root, 'packages'))
  .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
  .map((dir) => ({ dir, pkg: readJson(join(root, 'packages', dir, 'package.json')) }))
  .filter(({ pkg }) => pkg.private !== true);

const packDir = mkdtempSync(join(tmpdir(), 'populace-pack-'));
afterAll(() => rmSync(packDir, { recursive: true, force: true }));

/** Packs one package without lifecycle scripts; returns the tarball path and its file list. */
async function pack(dir: string): Promise<{ tarball: string; files: string[] }> {
  const { stdout } = await run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir],
    { cwd: join(root, 'packages', dir), maxBuffer: 64 * 1024 * 1024 },
  );
  const [info] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  return { tarball: join(packDir, info!.filename), files: info!.files.map((f) => f.path) };
}

describe('the root package', () => {
  it('declares the repository every package points at, and has a LICENSE', () => {
    expect(rootPkg.repository?.url).toMatch(/^git\+https:\/\/.+\.git$/);
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });
  it('finds the published packages', () => {
    expect(packages.map((p) => p.pkg.name)).toContain('@populace/core');
  });
});

describe.each(packages)('$pkg.name', ({ dir, pkg }) => {
  it('carries the release metadata', () => {
    expect(pkg.license).toBe('MIT');
    expect(pkg.repository).toEqual({ type: 'git', url: rootPkg.repository?.url, directory: `packages/${dir}` });
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs?.url).toMatch(/^https:\/\//);
    expect(pkg.keywords).toContain('populace');
    if (pkg.populace?.plugin) expect(pkg.keywords).toContain('populace-plugin');
    // what users need to run a package (building the repository needs Node 20.19+, the root's engines)
    expect(pkg.engines?.node).toBe('>=20.11');
    expect(pkg.scripts?.prepack, 'prepack must build, so npm pack from a clean clone ships dist/').toMatch(/build/);
    expect(readFileSync(join(root, 'packages', dir, 'LICENSE'), 'utf8')).toBe(readFileSync(join(root, 'LICENSE'), 'utf8'));
  });

  it('depends on other @populace packages by range, never by exact pin', () => {
    for (const field of ['dependencies', 'peerDependencies', 'devDependencies'] as const) {
      for (const [name, spec] of Object.entries(pkg[field] ?? {})) {
        if (name.startsWith('@populace/')) expect(spec, `${field}.${name}`).not.toMatch(/^\d/);
      }
    }
  });

  it('has bin targets committed to git (so npm links them before the build)', async () => {
    for (const target of Object.values(pkg.bin ?? {})) {
      expect(target, 'a bin target under dist/ is not linked by npm ci in a fresh clone').not.toMatch(/dist\//);
      const { stdout } = await run('git', ['ls-files', '--', target], { cwd: join(root, 'packages', dir) });
      expect(stdout.trim(), `${target} must be tracked`).not.toBe('');
    }
  });

  it('packs dist/, LICENSE, README and its bins; publint and attw find nothing', { timeout: 180_000 }, async () => {
    const { tarball, files } = await pack(dir);
    expect(files).toContain('LICENSE');
    expect(files).toContain('README.md');
    expect(files).toContain('package.json');
    expect(files.some((f) => f.startsWith('dist/') && f.endsWith('.js'))).toBe(true);
    expect(files.some((f) => f.endsWith('.test.js') || f.startsWith('src/'))).toBe(false);
    for (const target of Object.values(pkg.bin ?? {})) expect(files).toContain(target.replace(/^\.\//, ''));

    const publint = await run(bin('publint'), ['run', join(root, 'packages', dir), '--strict'], { cwd: root }).catch((e: { stdout: string; stderr: string }) => {
      throw new Error(`publint failed for ${pkg.name}:\n${e.stdout}${e.stderr}`);
    });
    expect(publint.stdout).toMatch(/All good/);

    await run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], { cwd: root }).catch(
      (e: { stdout: string; stderr: string }) => {
        throw new Error(`attw found problems in ${pkg.name}:\n${e.stdout}${e.stderr}`);
      },
    );
  });
});
