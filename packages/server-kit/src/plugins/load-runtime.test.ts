import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { examplePlugin } from '@populace/core/examples';
import { describe, expect, it } from 'vitest';
import { INSTALL_DIR, loadPlugins, loadRuntime } from './load-runtime.js';
import { CORE_URL, pluginSource, projects } from './plugins.fixture.js';

const { project } = projects('load-runtime');
const REPO = path.resolve(import.meta.dirname, '../../../..');

describe('config files and installed packages', () => {
  it('loads populace.config.js and prefers it over installed packages; builtins are added', async () => {
    const dir = project('config-js', {
      'populace.config.js': `import { defineConfig } from ${JSON.stringify(CORE_URL)};\n${pluginSource('mine').replace('export default plugin;', '')}\nexport default defineConfig({ plugins: [plugin], backend: 'cpu' });`,
      'node_modules/walks/package.json': JSON.stringify({ name: 'walks', populace: { plugin: './plugin.js' } }),
      'node_modules/walks/plugin.js': pluginSource('walks'),
    });
    const loaded = await loadPlugins({ cwd: dir, builtins: [examplePlugin] });
    expect(loaded.configPath).toBe(path.join(dir, 'populace.config.js'));
    expect(loaded.config?.backend).toBe('cpu');
    expect(loaded.sources.map((s) => `${s.plugin.name}:${s.from}`)).toEqual(['mine:config', 'example:builtin']);
  });

  it('loadRuntime adds the example plugin by default and registers what was found', async () => {
    const dir = project('installed', {
      'node_modules/walks/package.json': JSON.stringify({ name: 'walks', populace: { plugin: './plugin.js' } }),
      'node_modules/walks/plugin.js': pluginSource('walks'),
    });
    const { runtime, sources } = await loadRuntime({ cwd: dir, backend: 'cpu' });
    expect(sources.filter((s) => s.location === undefined || s.location.startsWith(dir)).map((s) => `${s.plugin.name}:${s.from}`)).toEqual(['walks:package', 'example:builtin']);
    expect(runtime.models.ids()).toEqual(expect.arrayContaining(examplePlugin.models.map((m) => `example/${m.id}`)));
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

  it('refuses two different plugins of one name', async () => {
    const dir = project('named-twice', { 'a.mjs': pluginSource('same'), 'b.mjs': pluginSource('same') });
    await expect(loadPlugins({ cwd: dir, plugins: ['./a.mjs', './b.mjs'] })).rejects.toThrow(/plugin 'same' is named twice: by '.\/a.mjs' .* and by '.\/b.mjs'/);
  });

  it('resolves a package name from where Populace is installed when the working directory has none', async () => {
    // INSTALL_DIR is server-kit's package directory, from src as from dist
    expect(JSON.parse(readFileSync(path.join(INSTALL_DIR, 'package.json'), 'utf8')).name).toBe('@populace/server-kit');
    const empty = project('empty', { 'README.md': '' });
    const loaded = await loadPlugins({ cwd: empty, plugins: ['@populace/models-epi'] });
    expect(loaded.sources[0]).toMatchObject({ from: 'specifier', specifier: '@populace/models-epi' });
    expect(loaded.sources[0]!.plugin.name).toBe('epi');
    expect(realpathSync(loaded.sources[0]!.location!)).toBe(path.join(REPO, 'packages', 'models-epi'));
  });
});
