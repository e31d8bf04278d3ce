import { EventEmitter } from 'node:events';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionRegistry } from './http-sessions.js';

/** A session's transport and server that count their close() calls. */
function fakeSession() {
  const closed = { transport: 0, server: 0 };
  const transport = { close: async () => void (closed.transport += 1) } as unknown as StreamableHTTPServerTransport;
  const server = { close: async () => void (closed.server += 1) } as unknown as McpServer;
  return { transport, server, closed };
}

const registries: SessionRegistry[] = [];
afterEach(async () => {
  for (const r of registries.splice(0)) await r.closeAll();
});

describe('SessionRegistry', () => {
  it('caps sessions (pending ones count), expires idle ones and closes them', async () => {
    let now = 0;
    const logged: string[] = [];
    const registry = new SessionRegistry({ maxSessions: 2, idleMs: 1000, now: () => now, log: (m) => logged.push(m) });
    registries.push(registry);
    expect(await registry.reserve()).toBe(true);
    expect(await registry.reserve()).toBe(true);
    expect(registry.size).toBe(2);
    expect(await registry.reserve()).toBe(false);
    const a = fakeSession();
    const b = fakeSession();
    registry.release();
    registry.add('a', a.transport, a.server);
    registry.release();
    registry.add('b', b.transport, b.server);
    expect(registry.size).toBe(2);

    // a request of 'a' is in progress (a tool call, an event stream) across the idle time
    const response = new EventEmitter();
    now = 500;
    registry.track(registry.get('a')!, response);
    now = 1600;
    expect(await registry.expireIdle()).toBe(1);
    expect(registry.get('b')).toBeUndefined();
    expect(b.closed).toEqual({ transport: 1, server: 1 });
    expect(registry.get('a')?.active).toBe(1);
    // when the request ends the idle time starts again
    response.emit('close');
    now = 2500;
    expect(await registry.expireIdle()).toBe(0);
    now = 2600;
    // a full registry (one session, one being initialized) makes room by expiring idle sessions first
    expect(await registry.reserve()).toBe(true);
    expect(registry.get('a')).toBeDefined();
    expect(await registry.reserve()).toBe(true);
    expect(registry.size).toBe(2);
    expect(registry.get('a')).toBeUndefined();
    expect(a.closed).toEqual({ transport: 1, server: 1 });
    expect(logged).toEqual(['populace-mcp: closed 1 MCP session idle for 1 s or more (1 open)', 'populace-mcp: closed 1 MCP session idle for 1 s or more (0 open)']);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new SessionRegistry({ maxSessions: 0 })).toThrow(/--max-sessions: expected a positive integer, received 0/);
    expect(() => new SessionRegistry({ idleMs: 1.5 })).toThrow(/--session-idle-ms/);
  });
});
