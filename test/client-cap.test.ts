/**
 * The per-client cap (`maxClientRunning`) through the real servers on
 * 127.0.0.1: populace-graphql counts a peer address as a client (two peers:
 * 127.0.0.1 and 127.0.0.2, both loopback), populace-mcp an MCP session. With
 * two slots and a cap of one, a client's three runs never run two at once,
 * and another client's run overtakes them instead of waiting behind them.
 */
import { request } from 'node:http';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { startGraphqlServer } from '@populace/graphql';
import { startHttpServer } from '@populace/mcp-server';
import { createServerKit, type RunEvent, type ServerKit } from '@populace/server-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './fixtures/mcp/servers.js';

afterAll(removeTempDirs);

const JOB = { model: 'network-sir', population: 'random-graph', agents: 20_000, steps: 40 };

/** A kit with two slots and a cap of one running job per client, and the order its jobs started and ended in. */
function cappedKit(name: string): { kit: ServerKit; log: { type: RunEvent['type']; id: string }[] } {
  const kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: path.join(tempDir(), `${name}.db`), concurrency: 2, limits: { maxClientRunning: 1 } });
  const log: { type: RunEvent['type']; id: string }[] = [];
  kit.executor.subscribe((e) => (e.type === 'started' || e.type === 'finished') && log.push({ type: e.type, id: e.runId }));
  return { kit, log };
}

/** Checks the log: `a`'s runs one at a time, `b`'s run started while `a` still had runs waiting. */
function expectCapped(log: readonly { type: string; id: string }[], a: readonly string[], b: string): void {
  let running = 0;
  let most = 0;
  for (const e of log) {
    if (!a.includes(e.id)) continue;
    running += e.type === 'started' ? 1 : -1;
    most = Math.max(most, running);
  }
  expect(most).toBe(1);
  const startedAt = (id: string) => log.findIndex((e) => e.type === 'started' && e.id === id);
  expect(a.map(startedAt).every((i) => i >= 0)).toBe(true);
  // b did not wait behind a's queued runs: it started before a's last one
  expect(startedAt(b)).toBeLessThan(Math.max(...a.map(startedAt)));
}

/** A GraphQL request sent from the local address `from`. */
function gqlFrom(url: string, from: string, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', localAddress: from, headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        const parsed = JSON.parse(body) as { data?: Record<string, unknown>; errors?: unknown };
        if (!parsed.data || parsed.errors) reject(new Error(`GraphQL answered ${body}`));
        else resolve(parsed.data);
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query, variables }));
  });
}

const START = 'mutation($input: StartRunInput!) { startRun(input: $input, waitMs: 0) { id } }';

describe('per-client concurrency cap (maxClientRunning)', () => {
  it('populace-graphql: the runs of one peer address run one at a time, another peer overtakes them', async () => {
    const { kit, log } = cappedKit('graphql');
    const server = await startGraphqlServer({ kit, port: 0 });
    try {
      const start = async (from: string, seed: number) => ((await gqlFrom(server.url, from, START, { input: { ...JOB, seed } })).startRun as { id: string }).id;
      const a = [await start('127.0.0.1', 1), await start('127.0.0.1', 2), await start('127.0.0.1', 3)];
      const b = await start('127.0.0.2', 4);
      const records = await Promise.all([...a, b].map((id) => kit.executor.wait(id)));
      expect(records.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
      expectCapped(log, a, b);
      // the limit is reported with the others
      const limits = (await gqlFrom(server.url, '127.0.0.1', '{ server { limits { maxClientRunning } } }', {})).server as { limits: { maxClientRunning: number } };
      expect(limits.limits.maxClientRunning).toBe(1);
    } finally {
      await server.close();
      await kit.close();
    }
  });

  it('populace-mcp over HTTP: the runs of one session run one at a time, another session overtakes them', async () => {
    const { kit, log } = cappedKit('mcp');
    const http = await startHttpServer({ kit, port: 0 });
    const connect = async () => {
      const client = new Client({ name: 'cap-test', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
      return client;
    };
    try {
      const [one, two] = [await connect(), await connect()];
      const start = async (client: Client, seed: number) => (((await client.callTool({ name: 'run_simulation', arguments: { ...JOB, seed, waitSeconds: 0 } })) as CallToolResult).structuredContent as { run: { id: string } }).run.id;
      const a = [await start(one, 1), await start(one, 2), await start(one, 3)];
      const b = await start(two, 4);
      const records = await Promise.all([...a, b].map((id) => kit.executor.wait(id)));
      expect(records.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
      expectCapped(log, a, b);
      await Promise.all([one.close(), two.close()]);
    } finally {
      await http.close();
      await kit.close();
    }
  });
});
