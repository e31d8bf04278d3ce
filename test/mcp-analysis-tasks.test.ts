/**
 * MCP's population_stats, counterfactual and ask run as analysis tasks of the
 * executor (`executorTasks`, the queue GraphQL's fields use), against a real
 * `populace-mcp --http` server on a loopback port: with the one slot taken,
 * a call waits in the queue and completes once the slot frees; with the
 * queue full (maxQueued), a call is refused at once with the limit; and
 * population_stats builds with the kit's population builder.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ScriptedChatModel } from '@populace/analyzer/testing';
import { createRuntime } from '@populace/core';
import epi from '@populace/models-epi';
import populations from '@populace/populations';
import { startHttpServer, type RunningHttpServer } from '@populace/mcp-server';
import { createPopulationBuilder, createServerKit, executorTasks, type CountingPopulationBuilder, type ServerKit, type TaskQueue } from '@populace/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './fixtures/mcp/servers.js';
import path from 'node:path';

let kit: ServerKit;
let builder: CountingPopulationBuilder;
let http: RunningHttpServer;
let client: Client;
let tasks: TaskQueue;
beforeAll(async () => {
  builder = createPopulationBuilder({ source: { modules: [import.meta.resolve('@populace/populations')] }, offThreadAgents: 1000 });
  kit = createServerKit({ runtime: createRuntime({ plugins: [populations, epi], backend: 'cpu' }), db: path.join(tempDir(), 'tasks.db'), concurrency: 1, limits: { maxQueued: 1 }, populationBuilder: builder });
  tasks = executorTasks(kit.executor);
  const chatModel = new ScriptedChatModel({ turns: [{ text: 'An answer without tools.' }] });
  http = await startHttpServer({ kit, port: 0, host: '127.0.0.1', chatModel: chatModel as never, log: () => undefined });
  client = new Client({ name: 'tasks-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
});
afterAll(async () => {
  await client.close();
  await http.close();
  await kit.close();
  removeTempDirs();
});

const callTool = async (name: string, args: Record<string, unknown>) => {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  return { isError: result.isError === true, text: result.content.map((c) => (c as { text: string }).text).join('\n'), data: result.structuredContent as Record<string, any> | undefined };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Takes the queue's one slot until the returned function is called. */
function takeSlot(): () => void {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  void tasks.run('test blocker', () => gate);
  return release;
}

/** Runs `call` while the slot is taken: it must wait in the queue, and finish once released. */
async function waitsForSlot<T>(call: () => Promise<T>): Promise<T> {
  const release = takeSlot();
  let settled = false;
  const pending = call().finally(() => (settled = true));
  for (let i = 0; i < 500 && tasks.stats().queued === 0; i++) await sleep(10);
  expect(tasks.stats()).toMatchObject({ running: 1, queued: 1 });
  await sleep(100);
  expect(settled).toBe(false);
  release();
  return pending;
}

describe('MCP analysis tools in the executor task queue', () => {
  it('population_stats waits for a slot, then builds with the kit builder', async () => {
    const before = builder.stats().inWorker;
    const r = await waitsForSlot(() => callTool('population_stats', { population: 'synthetic', agents: 3000, seed: 4 }));
    expect(r.isError).toBe(false);
    expect(r.data!.total).toBe(3000);
    expect(builder.stats().inWorker).toBe(before + 1);
  });

  it('counterfactual waits for a slot too, and is refused when the queue is full', async () => {
    const release = takeSlot();
    // one waiting call fills the queue (maxQueued 1) ...
    const waiting = callTool('population_stats', { population: 'synthetic', agents: 3000, seed: 4 });
    for (let i = 0; i < 500 && tasks.stats().queued === 0; i++) await sleep(10);
    // ... so a counterfactual is refused at once, naming the limit
    const refused = await callTool('counterfactual', { model: 'epi/sir', population: 'well-mixed', agents: 500, steps: 5, changes: { beta: 0.5 }, seeds: [1] });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/analysis tasks waiting after this counterfactual is 2, over this server's limit of 1 \(maxQueued\)/);
    release();
    expect((await waiting).isError).toBe(false);
    const ran = await waitsForSlot(() => callTool('counterfactual', { model: 'epi/sir', population: 'well-mixed', agents: 500, steps: 5, changes: { beta: 0.5 }, seeds: [1] }));
    expect(ran.isError).toBe(false);
    expect(ran.data!.rows.length).toBeGreaterThan(0);
  });

  it('ask waits for a slot', async () => {
    const r = await waitsForSlot(() => callTool('ask', { question: 'Anything?' }));
    expect(r.isError).toBe(false);
    expect(r.data!.answer).toBe('An answer without tools.');
  });
});
