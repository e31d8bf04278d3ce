/**
 * `changeset version` after a minor bump of @populace/core, run on a copy of the
 * workspace's manifests and .changeset/config.json: the plugins (peer dependents of
 * core) must not be major-bumped to 1.0.0, and every @populace range must accept the
 * new core, so a mixed install of new core and old plugins resolves.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const workspaceDirs = ['packages', 'examples'].flatMap((top) =>
  readdirSync(join(root, top))
    .map((dir) => `${top}/${dir}`)
    .filter((dir) => existsSync(join(root, dir, 'package.json'))),
);
const read = (base: string, dir: string): Manifest =>
  JSON.parse(readFileSync(join(base, dir, 'package.json'), 'utf8')) as Manifest;

describe('changeset version after a minor bump of @populace/core', () => {
  const work = mkdtempSync(join(tmpdir(), 'populace-changeset-'));
  const before = new Map(workspaceDirs.map((dir) => [dir, read(root, dir)]));
  const after = new Map<string, Manifest>();

  beforeAll(async () => {
    cpSync(join(root, 'package.json'), join(work, 'package.json'));
    mkdirSync(join(work, '.changeset'));
    cpSync(join(root, '.changeset', 'config.json'), join(work, '.changeset', 'config.json'));
    for (const dir of workspaceDirs) {
      mkdirSync(join(work, dir), { recursive: true });
      cpSync(join(root, dir, 'package.json'), join(work, dir, 'package.json'));
    }
    writeFileSync(join(work, '.changeset', 'core-minor.md'), '---\n"@populace/core": minor\n---\n\nA new core feature.\n');
    await run(join(root, 'node_modules', '.bin', 'changeset'), ['version'], { cwd: work });
    for (const dir of workspaceDirs) after.set(dir, read(work, dir));
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('bumps core one minor', () => {
    const core = [...after.values()].find((m) => m.name === '@populace/core')!;
    const [major, minor] = before.get('packages/core')!.version.split('.').map(Number);
    expect(core.version).toBe(`${major}.${minor! + 1}.0`);
  });

  it('major-bumps no other package', () => {
    for (const [dir, manifest] of after) {
      if (manifest.private) continue;
      const oldMajor = Number(before.get(dir)!.version.split('.')[0]);
      expect(Number(manifest.version.split('.')[0]), `${manifest.name} ${manifest.version}`).toBe(oldMajor);
    }
  });

  it('leaves every @populace/core range accepting the new core', async () => {
    const core = [...after.values()].find((m) => m.name === '@populace/core')!;
    // npm's own semver, as npm will use it to resolve the install.
    const { stdout } = await run(process.execPath, [
      '-e',
      `const semver = require(${JSON.stringify(join(root, 'node_modules', 'semver'))});
       const ranges = JSON.parse(process.argv[1]);
       console.log(JSON.stringify(ranges.filter((r) => !semver.satisfies(${JSON.stringify(core.version)}, r))));`,
      JSON.stringify(
        [...after.values()].flatMap((m) =>
          [m.dependencies?.['@populace/core'], m.peerDependencies?.['@populace/core']].filter((r): r is string => !!r),
        ),
      ),
    ]);
    expect(JSON.parse(stdout)).toEqual([]);
  });
});
