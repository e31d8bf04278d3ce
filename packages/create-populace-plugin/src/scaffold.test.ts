import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type MainIO } from './main.js';
import { scaffoldPlugin } from './scaffold.js';
import { CORE_RANGE, DEV_TOOLS } from './versions.js';

const ROOT = new URL('../../../', import.meta.url);
const temps: string[] = [];
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'create-populace-plugin-'));
  temps.push(dir);
  return dir;
};
afterAll(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));

function io(answers?: Record<string, string>): MainIO & { out: string; err: string; asked: string[] } {
  const state = { out: '', err: '', asked: [] as string[] };
  return Object.assign(state, {
    stdout: { write: (s: string) => (state.out += s) },
    stderr: { write: (s: string) => (state.err += s) },
    ...(answers ? { ask: async (q: string, fallback: string) => (state.asked.push(`${q} (${fallback})`), answers[q] ?? fallback) } : {}),
  });
}

describe('scaffoldPlugin', () => {
  it('writes the project: package.json with the plugin entry, keyword, peer range, exports and scripts', async () => {
    const dir = path.join(await tempDir(), 'flu');
    const result = await scaffoldPlugin({ dir, packageName: '@acme/populace-flu', pluginName: 'flu' });
    expect(result.files).toEqual(['.changeset/README.md', '.changeset/config.json', '.gitignore', 'README.md', 'package.json', 'src/model.ts', 'src/plugin.test.ts', 'src/plugin.ts', 'src/population.ts', 'tsconfig.json']);
    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name: '@acme/populace-flu',
      type: 'module',
      license: 'MIT',
      populace: { plugin: './dist/plugin.js' },
      exports: { '.': { types: './dist/plugin.d.ts', import: './dist/plugin.js' } },
      engines: { node: '>=20.11' },
      peerDependencies: { '@populace/core': '>=0.1.0 <1.0.0' },
      scripts: { build: 'tsc -p tsconfig.json', test: 'vitest run' },
    });
    expect(pkg.keywords).toContain('populace-plugin');
    expect(pkg.devDependencies).toEqual({ '@populace/core': '>=0.1.0 <1.0.0', ...DEV_TOOLS });
    expect(await readFile(path.join(dir, 'src/plugin.ts'), 'utf8')).toContain("name: 'flu'");
    expect(JSON.parse(await readFile(path.join(dir, '.changeset/config.json'), 'utf8'))).toMatchObject({ access: 'public', baseBranch: 'main' });
    expect(await readFile(path.join(dir, 'README.md'), 'utf8')).toContain('npx populace run flu/sir --population flu/town');
  });

  it('refuses a non-empty directory and writes nothing; accepts one holding only .git', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'notes.txt'), 'mine');
    await expect(scaffoldPlugin({ dir, packageName: 'x', pluginName: 'x' })).rejects.toThrow(/is not empty \(it holds notes\.txt\); choose a new directory or empty this one\. Nothing was written\./);
    expect(await readdir(dir)).toEqual(['notes.txt']);
    const repo = await tempDir();
    await mkdir(path.join(repo, '.git'));
    await scaffoldPlugin({ dir: repo, packageName: 'x', pluginName: 'x' });
    expect((await readdir(repo)).sort()).toEqual(['.changeset', '.git', '.gitignore', 'README.md', 'package.json', 'src', 'tsconfig.json']);
  });

  it('peers on the version of @populace/core in this repository, and uses its tool versions', async () => {
    const core = JSON.parse(await readFile(new URL('packages/core/package.json', ROOT), 'utf8')) as { version: string };
    const [major, minor] = core.version.split('.');
    // the same policy as this repository's plugins (RELEASING.md): no break of the plugin API within a major
    expect(CORE_RANGE).toBe(`>=${major}.${minor}.0 <${Number(major) + 1}.0.0`);
    const root = JSON.parse(await readFile(new URL('package.json', ROOT), 'utf8')) as { devDependencies: Record<string, string> };
    for (const [tool, range] of Object.entries(DEV_TOOLS)) expect([tool, range]).toEqual([tool, root.devDependencies[tool]]);
  });
});

describe('create-populace-plugin (main)', () => {
  it('with --yes: defaults from the directory, prints the next steps, exit 0', async () => {
    const dir = path.join(await tempDir(), 'populace-plugin-measles');
    const r = io({});
    expect(await main([dir, '--yes'], r)).toBe(0);
    expect(r.asked).toEqual([]);
    expect(r.out).toContain("Created populace-plugin-measles in ");
    expect(r.out).toContain("plugin 'measles' with measles/sir and measles/town (10 files)");
    expect(r.out).toContain('npm install\n  npm run build\n  npm test\n');
    expect(JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')).name).toBe('populace-plugin-measles');
  });

  it('asks for what flags do not give when there is a terminal', async () => {
    const base = await tempDir();
    const r = io({ Directory: path.join(base, 'p'), 'Plugin name (the namespace of its ids)': 'mumps' });
    expect(await main(['--name', 'mumps-models'], r)).toBe(0);
    expect(r.asked).toEqual(['Directory (populace-plugin)', 'Plugin name (the namespace of its ids) (mumps-models)']);
    expect(await readFile(path.join(base, 'p/src/plugin.ts'), 'utf8')).toContain("name: 'mumps'");
  });

  it('bad input: exit 2 and one line on stderr', async () => {
    const dir = await tempDir();
    const cases: [string[], RegExp][] = [
      [['--yes'], /^create-populace-plugin: expected a target directory, e\.g\. npm create populace-plugin@latest my-plugin/],
      [[], /expected a target directory/],
      [[path.join(dir, 'a'), '--name', 'Bad Name'], /--name: expected an npm package name/],
      [[path.join(dir, 'b'), '--plugin-name', '9lives'], /--plugin-name: expected a lowercase name/],
      [[path.join(dir, 'c'), '--colour'], /^create-populace-plugin: unknown option '--colour'; the options are --name, --plugin-name, --yes and --help\.$/m],
      [[path.join(dir, 'd'), path.join(dir, 'e')], /expected one target directory, received 2/],
    ];
    for (const [argv, message] of cases) {
      const r = io();
      expect(await main(argv, r)).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.out).toBe('');
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('--help prints the usage', async () => {
    const r = io();
    expect(await main(['--help'], r)).toBe(0);
    expect(r.out).toMatch(/^Usage: create-populace-plugin <dir>/);
  });
});
