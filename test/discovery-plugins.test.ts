/**
 * Plugins named explicitly, wherever the process starts: the real `populace-mcp` over stdio
 * started in a fresh directory outside the repository (as Claude Desktop starts it) with the
 * README's --plugin flags or POPULACE_PLUGINS, and the CLI with --plugin paths, --config from
 * another directory, and the errors of a specifier that does not resolve.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { main } from '@populace/cli';
import { afterAll, describe, expect, it } from 'vitest';

const MCP_BIN = fileURLToPath(new URL('../packages/mcp-server/dist/bin.js', import.meta.url));
const CORE_URL = pathToFileURL(fileURLToPath(new URL('../packages/core/dist/index.js', import.meta.url))).href;
const dirs: string[] = [];
const fresh = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'populace-discovery-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function listModels(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ ids: string[]; stderr: string }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [MCP_BIN, ...args], cwd, stderr: 'pipe', env: { PATH: process.env.PATH ?? '', ...env } });
  let stderr = '';
  transport.stderr?.on('data', (d) => (stderr += d));
  const client = new Client({ name: 'discovery-e2e', version: '1.0.0' });
  await client.connect(transport);
  try {
    const result = (await client.callTool({ name: 'list_models', arguments: {} })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    return { ids: (result.structuredContent as { models: { id: string }[] }).models.map((m) => m.id), stderr };
  } finally {
    await client.close();
  }
}

describe('populace-mcp started outside the project', () => {
  it("offers the epidemic models with the README's --plugin flags", async () => {
    const cwd = fresh();
    const { ids, stderr } = await listModels(cwd, ['--plugin', '@populace/models-epi', '--plugin', '@populace/populations', '--db', path.join(cwd, 'runs.db')]);
    expect(ids).toEqual(expect.arrayContaining(['epi/covid', 'epi/sir', 'epi/h5n1', 'example/network-sir']));
    expect(stderr).toMatch(/plugins epi 0\.1\.0 \(--plugin @populace\/models-epi: [^)]*models-epi\)/);
  }, 60_000);

  it('offers them with POPULACE_PLUGINS', async () => {
    const cwd = fresh();
    const { ids } = await listModels(cwd, ['--db', path.join(cwd, 'runs.db')], { POPULACE_PLUGINS: ['@populace/models-epi', '@populace/populations'].join(path.delimiter) });
    expect(ids).toContain('epi/covid');
  }, 60_000);

  it('runs a model on a manifest under --data-dir and lists which models fit each population', async () => {
    const cwd = fresh();
    const data = fresh();
    mkdirSync(path.join(data, 'town'));
    writeFileSync(path.join(data, 'town', 'people.csv'), `id,age\n${Array.from({ length: 60 }, (_, i) => `${i},${i}`).join('\n')}\n`);
    writeFileSync(path.join(data, 'town', 'population.json'), JSON.stringify({ agents: { file: 'people.csv', id: 'id', attributes: { age: 'uint8' } } }));
    const transport = new StdioClientTransport({ command: process.execPath, args: [MCP_BIN, '--plugin', '@populace/models-epi', '--plugin', '@populace/populations', '--data-dir', data, '--db', path.join(cwd, 'runs.db')], cwd, stderr: 'pipe', env: { PATH: process.env.PATH ?? '' } });
    const client = new Client({ name: 'discovery-e2e', version: '1.0.0' });
    await client.connect(transport);
    try {
      const run = (await client.callTool({ name: 'run_simulation', arguments: { model: 'epi/covid', population: 'town/population.json', steps: 3, seed: 1 } })) as CallToolResult;
      expect(run.isError).toBeFalsy();
      expect((run.structuredContent as { run: { status: string; population: string; agents: number } }).run).toMatchObject({ status: 'done', population: 'town/population.json', agents: 60 });
      const outside = (await client.callTool({ name: 'run_simulation', arguments: { model: 'epi/sir', population: '../x/population.json' } })) as CallToolResult;
      expect(outside.isError).toBe(true);
      expect(JSON.stringify(outside.content)).toContain("outside the server's data directories");
      const pops = (await client.callTool({ name: 'list_populations', arguments: {} })) as CallToolResult;
      const list = (pops.structuredContent as { populations: { id: string; models: string[] }[] }).populations;
      expect(list.find((p) => p.id === 'epi/us-layer-farms')!.models).toEqual(['epi/h5n1']);
      expect(list.find((p) => p.id === 'populations/nyc')!.models).toContain('epi/covid');
    } finally {
      await client.close();
    }
  }, 60_000);

  it('without them offers only the built-in examples (the reported defect)', async () => {
    const cwd = fresh();
    const { ids } = await listModels(cwd, ['--db', path.join(cwd, 'runs.db')]);
    expect(ids.every((id) => id.startsWith('example/'))).toBe(true);
  }, 60_000);
});

async function cli(argv: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { cwd, env, stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

const pluginModule = (name: string) => `import { definePlugin } from ${JSON.stringify(CORE_URL)};\nexport default definePlugin({ name: ${JSON.stringify(name)}, version: '2.0.0' });\n`;

describe('populace --plugin and --config from anywhere', () => {
  it('loads a plugin from a module file, a package directory and a package.json, and says where each came from', async () => {
    const home = fresh();
    writeFileSync(path.join(home, 'one.mjs'), pluginModule('one'));
    mkdirSync(path.join(home, 'pkg-two'));
    writeFileSync(path.join(home, 'pkg-two', 'package.json'), JSON.stringify({ name: 'pkg-two', type: 'module', populace: { plugin: './plugin.js' } }));
    writeFileSync(path.join(home, 'pkg-two', 'plugin.js'), pluginModule('two'));
    mkdirSync(path.join(home, 'pkg-three'));
    writeFileSync(path.join(home, 'pkg-three', 'package.json'), JSON.stringify({ name: 'pkg-three', type: 'module', main: './index.js' }));
    writeFileSync(path.join(home, 'pkg-three', 'index.js'), pluginModule('three'));
    const elsewhere = fresh();
    const { code, out, err } = await cli(['plugins', '--json', '--plugin', path.join(home, 'one.mjs'), '--plugin', path.join(home, 'pkg-two')], elsewhere, { POPULACE_PLUGINS: path.join(home, 'pkg-three', 'package.json') });
    expect(err).toBe('');
    expect(code).toBe(0);
    const list = JSON.parse(out) as { name: string; from: string; location: string | null; specifier: string | null }[];
    expect(list.map((p) => [p.name, p.from])).toEqual([['one', 'specifier'], ['two', 'specifier'], ['three', 'specifier'], ['example', 'builtin']]);
    expect(list[0]!.location).toBe(path.join(home, 'one.mjs'));
    expect(list[1]!.location).toBe(path.join(home, 'pkg-two'));
    expect(list[2]!.specifier).toBe(path.join(home, 'pkg-three', 'package.json'));
  });

  it('resolves a package name from where populace is installed when the cwd has none', async () => {
    const { code, out } = await cli(['models', '--json', '--plugin', '@populace/models-epi'], fresh());
    expect(code).toBe(0);
    expect((JSON.parse(out) as { id: string }[]).map((m) => m.id)).toContain('epi/covid');
  });

  it('names the specifier, the reason and where it looked when a plugin is not found (exit 2)', async () => {
    const cwd = fresh();
    const missing = await cli(['models', '--plugin', '@populace/no-such-plugin'], cwd);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("plugin '@populace/no-such-plugin': no installed package of that name; searched ");
    expect(missing.err).toContain(path.join(cwd, 'node_modules'));
    const noFile = await cli(['models', '--plugin', './gone.js'], cwd);
    expect(noFile.err).toContain(`plugin './gone.js': no file or directory at ${path.join(cwd, 'gone.js')}`);
    writeFileSync(path.join(cwd, 'empty.mjs'), 'export const x = 1;\n');
    const empty = await cli(['models', '--plugin', './empty.mjs'], cwd);
    expect(empty.err).toMatch(/plugin '.\/empty.mjs': module .*empty\.mjs exports no plugin/);
  });

  it('reads --config from another directory', async () => {
    const project = fresh();
    writeFileSync(path.join(project, 'one.mjs'), pluginModule('cfg'));
    writeFileSync(path.join(project, 'populace.config.mjs'), `import { defineConfig } from ${JSON.stringify(CORE_URL)};\nimport cfg from './one.mjs';\nexport default defineConfig({ plugins: [cfg] });\n`);
    const { code, out } = await cli(['plugins', '--json', '--config', path.join(project, 'populace.config.mjs')], fresh());
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'cfg', from: 'config', location: path.join(project, 'populace.config.mjs') })]));
  });
});
