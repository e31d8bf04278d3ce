/**
 * ODE components contributed by a plugin (`definePlugin({ odeComponents })`) are listed with
 * their parameters by `populace models`, MCP's list_models and GraphQL's odeComponents.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { main } from '@populace/cli';
import { createRuntime } from '@populace/core';
import { createPopulaceYoga } from '@populace/graphql';
import { createPopulaceMcpServer } from '@populace/mcp-server';
import ode, { viralTcl } from '@populace/ode';
import { createServerKit } from '@populace/server-kit';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(path.join(tmpdir(), 'populace-ode-catalog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const kit = createServerKit({ runtime: createRuntime({ plugins: [ode], backend: 'cpu' }), db: path.join(dir, 'runs.db'), concurrency: 1 });
afterAll(() => kit.close());

describe('ODE components in the catalogs', () => {
  it('populace models lists them after the models, with parameter defaults', async () => {
    let out = '';
    const code = await main(['models'], { cwd: dir, width: 400, env: { POPULACE_PLUGINS: path.resolve(import.meta.dirname, '../packages/ode') }, stdout: { write: (s: string) => void (out += s) }, stderr: { write: () => undefined } });
    expect(code).toBe(0);
    const section = out.slice(out.indexOf('ODE components'));
    expect(section).toMatch(/ode\/viral-tcl\s+T,I,V\s+beta=0\.000027,p=0\.012,c=3,delta=4,K=10000\s+infectiousness,log10Titer/);
    expect(section).toContain('ode/seir');
  });

  it('MCP list_models returns them as structured content', async () => {
    const server = createPopulaceMcpServer({ kit, log: () => undefined });
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'test', version: '1.0.0' });
    await Promise.all([server.connect(b), client.connect(a)]);
    const result = (await client.callTool({ name: 'list_models', arguments: {} })) as CallToolResult;
    const data = result.structuredContent as { odeComponents: { id: string; parameters: Record<string, { default: number; learnable: boolean }> }[] };
    const viral = data.odeComponents.find((c) => c.id === 'ode/viral-tcl')!;
    expect(viral.parameters.p).toMatchObject({ default: viralTcl.parameters.p.default, learnable: true });
    expect(JSON.stringify(result.content)).toContain('ODE components');
    await client.close();
    await server.close();
  });

  it('GraphQL odeComponents gives state, parameters and outputs', async () => {
    const yoga = createPopulaceYoga({ kit });
    const response = await yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ odeComponents { id plugin state outputs parameters { name default lower upper learnable } } }' }) });
    const body = (await response.json()) as { data: { odeComponents: { id: string; state: string[]; outputs: string[]; parameters: { name: string; default: number; upper: number }[] }[] } };
    expect(body.data.odeComponents.map((c) => c.id)).toEqual(['ode/sir', 'ode/seir', 'ode/viral-tcl']);
    const seir = body.data.odeComponents[1]!;
    expect(seir.state).toEqual(['s', 'e', 'i', 'r']);
    expect(seir.parameters.map((p) => p.name)).toEqual(['beta', 'gamma', 'sigma']);
    expect(seir.parameters[0]).toMatchObject({ default: 0.3, upper: 50 });
  });
});
