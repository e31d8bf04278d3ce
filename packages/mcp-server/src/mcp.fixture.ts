/**
 * Test fixtures: a server kit on a temporary database with core's example
 * plugin (or with the populations and epidemic plugins), an in-memory MCP
 * client connected to the Populace server, and checks of tool results and
 * PNG images.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import epi from '@populace/models-epi';
import populations from '@populace/populations';
import { createServerKit, type RunLimits, type ServerKit } from '@populace/server-kit';
import { expect } from 'vitest';
import { createPopulaceMcpServer, type PopulaceMcpServerOptions } from './server.js';

const dirs: string[] = [];

/** A fresh temporary directory (removed by removeTempDirs). */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'populace-mcp-'));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A small, fast epidemic request (tool arguments). */
export const SIR = { model: 'network-sir', population: 'random-graph', agents: 2000, seed: 1, params: { beta: 0.08, seedFraction: 0.01 } };

/** A kit with the populations and epidemic plugins (cpu backend) on a new database. */
export function analysisKit(limits: Partial<RunLimits> = {}): ServerKit {
  return createServerKit({ runtime: createRuntime({ plugins: [populations, epi], backend: 'cpu' }), db: path.join(tempDir(), 'runs.db'), limits, concurrency: 2 });
}

/** A server on `kit` with a client connected in memory; `close` closes both (not the kit). */
export async function connect(kit: ServerKit, options: Omit<PopulaceMcpServerOptions, 'kit' | 'log'> = {}): Promise<{ client: Client; logged: string[]; close(): Promise<void> }> {
  const logged: string[] = [];
  const server = createPopulaceMcpServer({ kit, log: (m) => logged.push(m), ...options });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'populace-test', version: '1.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    client,
    logged,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

/** A kit with the example plugin on a new database, and a client connected in memory. */
export async function connectedClient(limits: Partial<RunLimits> = {}): Promise<{ kit: ServerKit; client: Client; logged: string[]; close(): Promise<void> }> {
  const kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: path.join(tempDir(), 'runs.db'), limits, concurrency: 2 });
  const { client, logged, close } = await connect(kit);
  return {
    kit,
    client,
    logged,
    close: async () => {
      await close();
      await kit.close();
    },
  };
}

/** Calls a tool and expects success; returns its structured content and text. */
export async function call<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown> = {}, onprogress?: (p: { progress: number; total?: number; message?: string }) => void): Promise<{ data: T; text: string; result: CallToolResult }> {
  const result = (await client.callTool({ name, arguments: args }, undefined, onprogress ? { onprogress } : {})) as CallToolResult;
  const text = result.content.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text).join('\n');
  if (result.isError) throw new Error(`${name} failed: ${text}`);
  expect(result.structuredContent).toBeDefined();
  return { data: result.structuredContent as T, text, result };
}

/** Calls a tool and expects a tool error; returns its text. */
export async function callError(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.isError, `${name} ${JSON.stringify(args)} should fail`).toBe(true);
  return result.content.map((c) => (c as { text: string }).text).join('\n');
}

/** Checks a PNG's signature and returns the size in its IHDR chunk. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(String.fromCharCode(...bytes.subarray(12, 16))).toBe('IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
