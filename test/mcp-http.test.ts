/**
 * `populace-mcp` over Streamable HTTP on an ephemeral loopback port: in
 * process (startHttpServer) with progress notifications and the protocol's
 * refusals, and the built bin with --http.
 */
import { request } from 'node:http';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { startHttpServer, TOOL_NAMES } from '@populace/mcp-server';
import { createServerKit } from '@populace/server-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { pngSize, removeTempDirs, startHttpBin, tempDir } from './fixtures/mcp/servers.js';

afterAll(removeTempDirs);

/** A raw HTTP request (to send any Host header). */
function raw(url: string, options: { method: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...options.headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

describe('Streamable HTTP', () => {
  it('serves the tools at /mcp on 127.0.0.1 with progress notifications, and refuses foreign Host headers', async () => {
    const kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: path.join(tempDir(), 'http.db') });
    const http = await startHttpServer({ kit, port: 0 });
    try {
      expect(http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      expect(http.port).toBeGreaterThan(0);
      const client = new Client({ name: 'http-test', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
      const models = (await client.callTool({ name: 'list_models', arguments: {} })) as CallToolResult;
      expect((models.structuredContent as { models: { id: string }[] }).models[0]!.id).toBe('example/network-sir');
      const progress: number[] = [];
      const run = (await client.callTool({ name: 'run_simulation', arguments: { model: 'network-sir', population: 'random-graph', agents: 20_000, steps: 50, seed: 2 } }, undefined, { onprogress: (p) => progress.push(p.progress) })) as CallToolResult;
      const record = (run.structuredContent as { run: { id: string; status: string } }).run;
      expect(record.status).toBe('done');
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)).toBe(50);
      const plot = (await client.callTool({ name: 'plot', arguments: { runIds: [record.id] } })) as CallToolResult;
      const image = plot.content.find((c) => c.type === 'image') as { data: string };
      expect(pngSize(Buffer.from(image.data, 'base64')).width).toBe((plot.structuredContent as { width: number }).width);
      const bad = (await client.callTool({ name: 'get_run', arguments: { runId: 'run-missing' } })) as CallToolResult;
      expect(bad.isError).toBe(true);
      await client.close();

      // DNS-rebinding protection: a foreign Host header is refused before the body is read
      const rebinding = await raw(http.url, { method: 'POST', headers: { host: 'attacker.example:80' }, body: INIT });
      expect(rebinding.status).toBe(403);
      expect(rebinding.body).toContain('Host \\"attacker.example:80\\" is not allowed');
      const loopback = await raw(http.url, { method: 'POST', headers: { host: `localhost:${http.port}` }, body: INIT });
      expect(loopback.status).toBe(200);
      // no session: initialize first; an unknown session: a new one is needed; other paths: 404
      expect((await raw(http.url, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) })).body).toContain('send an initialize request first');
      expect((await raw(http.url, { method: 'POST', headers: { 'mcp-session-id': 'nope' }, body: INIT })).status).toBe(404);
      expect((await raw(http.url.replace('/mcp', '/other'), { method: 'GET' })).status).toBe(404);
    } finally {
      await http.close();
      await kit.close();
    }
  });

  it('the bin with --http prints its URL, serves and stops on SIGTERM', async () => {
    const cwd = tempDir();
    const { child, url, stderr } = await startHttpBin(cwd, ['--db', 'bin.db']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = new Client({ name: 'http-bin', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual([...TOOL_NAMES]);
    // the analyzer's tools over the wire; without POPULACE_LLM_PROVIDER the bin has no chat model for ask
    const search = (await client.callTool({ name: 'search_documents', arguments: { query: 'network SIR epidemic', k: 2, kinds: ['model'] } })) as CallToolResult;
    expect(search.isError).toBeFalsy();
    expect((search.structuredContent as { results: { id: string }[] }).results.map((r) => r.id)).toContain('model:example/network-sir');
    const ask = (await client.callTool({ name: 'ask', arguments: { question: 'Which parameter matters most?' } })) as CallToolResult;
    expect(ask.isError).toBe(true);
    expect((ask.content[0] as { text: string }).text).toMatch(/^ask failed \(missing-requirement\): .*POPULACE_LLM_PROVIDER.*sensitivity/s);
    await client.close();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr()).toContain(`run store ${path.join(cwd, 'bin.db')}`);
    expect(stderr()).toContain('ask has no chat model (POPULACE_LLM_PROVIDER unset)');
  });
});
