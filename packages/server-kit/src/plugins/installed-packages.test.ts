import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverPlugins, importPluginPackage } from './installed-packages.js';
import { pluginSource, projects } from './plugins.fixture.js';

const { project } = projects('installed');

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
    expect(mine.every((s) => s.from === 'package')).toBe(true);
    expect(await importPluginPackage(path.join(dir, 'node_modules', 'plain'))).toBeUndefined();
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
