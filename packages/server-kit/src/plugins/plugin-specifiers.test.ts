import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pluginsFromEnv, resolvePluginSpecifier } from './plugin-specifiers.js';
import { pluginSource, projects } from './plugins.fixture.js';

const { project } = projects('specifiers');

describe('resolvePluginSpecifier', () => {
  it('finds a package name in any node_modules above a search directory, as for an installed Populace', async () => {
    // an installed layout: Populace (server-kit) and a plugin side by side in one node_modules
    const dir = project('installed', {
      'lib/node_modules/@populace/server-kit/package.json': JSON.stringify({ name: '@populace/server-kit' }),
      'lib/node_modules/@populace/models-fake/package.json': JSON.stringify({ name: '@populace/models-fake', populace: { plugin: './dist/plugin.js' } }),
      'lib/node_modules/@populace/models-fake/dist/plugin.js': pluginSource('fake'),
      'work/README.md': '',
    });
    const work = path.join(dir, 'work');
    const found = await resolvePluginSpecifier('@populace/models-fake', [work, path.join(dir, 'lib', 'node_modules', '@populace', 'server-kit')], work);
    expect(found.plugin.name).toBe('fake');
    expect(found.location).toBe(path.join(dir, 'lib', 'node_modules', '@populace', 'models-fake'));
    const error = await resolvePluginSpecifier('@populace/models-fake', [work], work).catch((e: Error) => e);
    expect(String(error)).toMatch(/plugin '@populace\/models-fake': no installed package of that name; searched .*work[\\/]node_modules.*npm install @populace\/models-fake/);
  });

  it('loads a package directory, a package.json or a module by path, and explains bad values', async () => {
    const dir = project('paths', {
      'pkg/package.json': JSON.stringify({ name: 'pkg', main: './main.mjs' }),
      'pkg/main.mjs': pluginSource('by-main'),
      'bare/package.json': JSON.stringify({ name: 'bare' }),
      'mod.mjs': pluginSource('by-module'),
    });
    expect((await resolvePluginSpecifier('./pkg', [dir], dir)).plugin.name).toBe('by-main');
    expect((await resolvePluginSpecifier('./pkg/package.json', [dir], dir)).plugin.name).toBe('by-main');
    expect((await resolvePluginSpecifier('./mod.mjs', [dir], dir)).location).toBe(path.join(dir, 'mod.mjs'));
    await expect(resolvePluginSpecifier('./bare', [dir], dir)).rejects.toThrow(/package bare declares no plugin/);
    await expect(resolvePluginSpecifier('./missing.mjs', [dir], dir)).rejects.toThrow(/no file or directory at .*missing\.mjs/);
    await expect(resolvePluginSpecifier(' ', [dir], dir)).rejects.toThrow(/received an empty value/);
    await expect(resolvePluginSpecifier('Not A Name!', [dir], dir)).rejects.toThrow(/expected a package name such as @populace\/models-epi/);
  });
});

describe('pluginsFromEnv', () => {
  it('splits POPULACE_PLUGINS like PATH, dropping blanks', () => {
    expect(pluginsFromEnv({ POPULACE_PLUGINS: ['a', ' b ', '', '@x/y'].join(path.delimiter) })).toEqual(['a', 'b', '@x/y']);
    expect(pluginsFromEnv({})).toEqual([]);
  });
});
