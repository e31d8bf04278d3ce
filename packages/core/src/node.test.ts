import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { examplePlugin } from './examples/plugin.js';
import { discoverPlugins, loadConfig, loadPlugins, pluginsFromEnv } from './node.js';

// Fixture plugins import core by absolute URL so they resolve from a temp directory.
const coreUrl = pathToFileURL(path.resolve(import.meta.dirname, 'index.ts')).href;
const root = mkdtempSync(path.join(tmpdir(), 'populace-node-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const pluginSource = (name: string) => `
import { definePlugin } from ${JSON.stringify(coreUrl)};
export const plugin = definePlugin({ name: ${JSON.stringify(name)}, version: '1.0.0' });
export default plugin;
`;

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

describe('plugin discovery', () => {
  it('finds packages that declare "populace.plugin", nearest first, ignoring others', async () => {
    const dir = project('discover', {
      'node_modules/plain/package.json': JSON.stringify({ name: 'plain' }),
      'node_modules/walks/package.json': JSON.stringify({ name: 'walks', populace: { plugin: './plugin.js' } }),
      'node_modules/walks/plugin.js': pluginSource('walks'),
      'node_modules/@acme/epi/package.json': JSON.stringify({ name: '@acme/epi', populace: { plugin: './dist/plugin.js' } }),
      'node_modules/@acme/epi/dist/plugin.js': pluginSource('acme-epi'),
      'app/node_modules/walks/package.json': JSON.stringify({ name: 'walks', version: '2.0.0', populace: { plugin: './plugin.js' } }),
      'app/node_modules/walks/plugin.js': pluginSource('walks').replace("'1.0.0'", "'2.0.0'"),
    });
    const found = await discoverPlugins({ cwd: path.join(dir, 'app') });
    const mine = found.filter((s) => s.location!.startsWith(dir));
    expect(mine.map((s) => `${s.plugin.name}@${s.plugin.version}`).sort()).toEqual(['acme-epi@1.0.0', 'walks@2.0.0']);
  });

  it('names the package and the fix when a declared plugin is broken', async () => {
    const missing = project('broken-missing', {
      'node_modules/gone/package.json': JSON.stringify({ name: 'gone', populace: { plugin: './dist/plugin.js' } }),
    });
    await expect(discoverPlugins({ cwd: missing })).rejects.toThrow(/package gone: its plugin \.\/dist\/plugin\.js failed to load.*Rebuild or reinstall/);
    const empty = project('broken-empty', {
      'node_modules/empty/package.json': JSON.stringify({ name: 'empty', populace: { plugin: './plugin.js' } }),
      'node_modules/empty/plugin.js': 'export const nothing = 1;',
    });
    await expect(discoverPlugins({ cwd: empty })).rejects.toThrow(/package empty: \.\/plugin\.js exports no plugin/);
    const badField = project('broken-field', {
      'node_modules/odd/package.json': JSON.stringify({ name: 'odd', populace: { plugin: 42 } }),
    });
    await expect(discoverPlugins({ cwd: badField })).rejects.toThrow(/"populace.plugin" must be a path/);
  });
});

describe('config files', () => {
  it('loads populace.config.js and prefers it over installed packages; builtins are added', async () => {
    const dir = project('config-js', {
      'populace.config.js': `import { defineConfig } from ${JSON.stringify(coreUrl)};\n${pluginSource('mine').replace('export default plugin;', '')}\nexport default defineConfig({ plugins: [plugin], backend: 'cpu' });`,
      'node_modules/walks/package.json': JSON.stringify({ name: 'walks', populace: { plugin: './plugin.js' } }),
      'node_modules/walks/plugin.js': pluginSource('walks'),
    });
    const loaded = await loadPlugins({ cwd: dir, builtins: [examplePlugin] });
    expect(loaded.configPath).toBe(path.join(dir, 'populace.config.js'));
    expect(loaded.config?.backend).toBe('cpu');
    expect(loaded.sources.map((s) => `${s.plugin.name}:${s.from}`)).toEqual(['mine:config', 'example:builtin']);
  });

  it('loads a TypeScript config through the typescript package', async () => {
    const dir = project('config-ts', {
      'populace.config.ts': `import { defineConfig, type PluginDefinition } from ${JSON.stringify(coreUrl)};\nimport { definePlugin } from ${JSON.stringify(coreUrl)};\nconst p: PluginDefinition = definePlugin({ name: 'typed', version: '1.0.0' });\nexport default defineConfig({ plugins: [p] });`,
    });
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded?.config.plugins.map((p) => p.name)).toEqual(['typed']);
  });

  it('returns undefined without a config and explains bad ones', async () => {
    expect(await loadConfig({ cwd: project('no-config', { 'README.md': '' }) })).toBeUndefined();
    await expect(loadConfig({ cwd: root, file: 'nope.config.js' })).rejects.toThrow(/does not exist. Check the path given to --config/);
    const syntax = project('bad-syntax', { 'populace.config.js': 'export default {' });
    await expect(loadConfig({ cwd: syntax })).rejects.toThrow(/populace.config.js failed to load/);
    const noDefault = project('no-default', { 'populace.config.js': 'export const plugins = [];' });
    await expect(loadConfig({ cwd: noDefault })).rejects.toThrow(/expected a config object.*export default defineConfig/);
    const notPlugins = project('not-plugins', { 'populace.config.js': "export default { plugins: ['@populace/models-epi'] };" });
    await expect(loadConfig({ cwd: notPlugins })).rejects.toThrow(/plugins\[0\]: expected a plugin made with definePlugin/);
  });
});

describe('plugins named by --plugin / POPULACE_PLUGINS', () => {
  it('loads them first; they win over a discovered package of the same name; the same one twice is kept once', async () => {
    const dir = project('named', {
      'node_modules/walks/package.json': JSON.stringify({ name: 'walks', populace: { plugin: './plugin.js' } }),
      'node_modules/walks/plugin.js': pluginSource('walks'),
      'mine/walks.mjs': pluginSource('walks').replace("'1.0.0'", "'9.0.0'"),
      'mine/other.mjs': pluginSource('other'),
    });
    const loaded = await loadPlugins({ cwd: dir, plugins: ['./mine/walks.mjs', './mine/other.mjs', './mine/walks.mjs'] });
    expect(loaded.sources.map((s) => `${s.plugin.name}@${s.plugin.version}:${s.from}`)).toEqual(['walks@9.0.0:specifier', 'other@1.0.0:specifier']);
    const byName = await loadPlugins({ cwd: path.join(dir, 'mine'), plugins: ['walks'] });
    expect(byName.sources[0]).toMatchObject({ from: 'specifier', specifier: 'walks', location: path.join(dir, 'node_modules', 'walks') });
  });

  it('refuses two different plugins of one name, and splits POPULACE_PLUGINS like PATH', async () => {
    const dir = project('named-twice', { 'a.mjs': pluginSource('same'), 'b.mjs': pluginSource('same') });
    await expect(loadPlugins({ cwd: dir, plugins: ['./a.mjs', './b.mjs'] })).rejects.toThrow(/plugin 'same' is named twice: by '.\/a.mjs' .* and by '.\/b.mjs'/);
    expect(pluginsFromEnv({ POPULACE_PLUGINS: ['a', ' b ', '', '@x/y'].join(path.delimiter) })).toEqual(['a', 'b', '@x/y']);
    expect(pluginsFromEnv({})).toEqual([]);
  });
});
