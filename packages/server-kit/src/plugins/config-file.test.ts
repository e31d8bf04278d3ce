import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config-file.js';
import { CORE_URL, pluginSource, projects } from './plugins.fixture.js';

const { root, project } = projects('config');

describe('config files', () => {
  it('loads populace.config.mjs, and the file --config names', async () => {
    const config = `import { defineConfig } from ${JSON.stringify(CORE_URL)};\n${pluginSource('mine').replace('export default plugin;', '')}\nexport default defineConfig({ plugins: [plugin], backend: 'cpu' });`;
    const dir = project('config-mjs', { 'populace.config.mjs': config, 'other/custom.config.js': config.replace('"mine"', '"custom"') });
    const found = await loadConfig({ cwd: dir });
    expect(found?.path.endsWith('populace.config.mjs')).toBe(true);
    expect(found?.config.backend).toBe('cpu');
    expect(found?.config.plugins.map((p) => p.name)).toEqual(['mine']);
    expect((await loadConfig({ cwd: dir, file: 'other/custom.config.js' }))?.config.plugins.map((p) => p.name)).toEqual(['custom']);
  });

  it('loads a TypeScript config through the typescript package and leaves no temporary file', async () => {
    const dir = project('config-ts', {
      'populace.config.ts': `import { defineConfig, type PluginDefinition } from ${JSON.stringify(CORE_URL)};\nimport { definePlugin } from ${JSON.stringify(CORE_URL)};\nconst p: PluginDefinition = definePlugin({ name: 'typed', version: '1.0.0' });\nexport default defineConfig({ plugins: [p] });`,
    });
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded?.config.plugins.map((p) => p.name)).toEqual(['typed']);
    expect(readdirSync(dir)).toEqual(['populace.config.ts']);
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
    const badBackend = project('bad-backend', { 'populace.config.js': "export default { plugins: [], backend: 'gpu9000' };" });
    await expect(loadConfig({ cwd: badBackend })).rejects.toThrow(/backend: expected one of .*cpu/);
  });
});
