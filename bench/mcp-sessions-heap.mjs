#!/usr/bin/env -S node --expose-gc
/**
 * Whether the memory of expired MCP sessions is released: in process,
 * startHttpServer on 127.0.0.1 (port 0) with --session-idle-ms 60000 opens N
 * sessions, waits until they are idle, expires them and reports the V8 heap
 * in use (after forced GCs) before, with the sessions open, and after.
 * Resident memory (bench/mcp-sessions.mjs) stays high after expiry because V8
 * and the allocator keep freed pages; the heap shows what is actually held.
 *
 *   node --expose-gc bench/mcp-sessions-heap.mjs [N=300]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { startHttpServer } from '@populace/mcp-server';
import { createServerKit } from '@populace/server-kit';

if (typeof global.gc !== 'function') {
  process.stderr.write('mcp-sessions-heap: run with node --expose-gc\n');
  process.exit(2);
}
const n = Number(process.argv[2] ?? 300);
if (!Number.isSafeInteger(n) || n < 1) {
  process.stderr.write(`mcp-sessions-heap: expected a positive session count, received ${JSON.stringify(process.argv[2])}\n`);
  process.exit(2);
}
const idleMs = 60_000; // longer than opening the sessions takes, so all are open at once
const dir = mkdtempSync(path.join(tmpdir(), 'populace-heap-'));
const kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: path.join(dir, 'runs.db') });
const http = await startHttpServer({ kit, port: 0, maxSessions: n, sessionIdleMs: idleMs, log: () => undefined });
const init = (id) => JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'heap', version: '1' } } });
const post = (body) =>
  new Promise((resolve) => {
    const req = request(http.url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.end(body);
  });
const heapMb = () => {
  global.gc();
  global.gc();
  return Math.round(process.memoryUsage().heapUsed / 1e6);
};
const before = heapMb();
for (let i = 0; i < n; i++) await post(init(i));
const open = http.sessionCount();
const withSessions = heapMb();
await new Promise((r) => setTimeout(r, idleMs + 500));
await http.expireIdleSessions();
const after = heapMb();
process.stdout.write(`${JSON.stringify({ sessions: n, openBeforeExpiry: open, openAfterExpiry: http.sessionCount(), heapMb: { before, withSessions, afterExpiry: after } })}\n`);
await http.close();
await kit.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
