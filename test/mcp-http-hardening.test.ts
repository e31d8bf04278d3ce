/**
 * `populace-mcp --http` hardened, against a real server on an ephemeral
 * loopback port: sessions capped and expired when idle, Host and Origin
 * checks on every loopback bind, the bearer token, JSON-RPC error bodies
 * (never HTML, stacks or paths) and a clean exit 2 when it cannot listen.
 */
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { startHttpServer } from '@populace/mcp-server';
import { createServerKit, type ServerKit } from '@populace/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyPort, expectCleanJson, rawRequest, runBin } from './fixtures/http.js';
import { MCP_BIN, removeTempDirs, startHttpBin, tempDir } from './fixtures/mcp/servers.js';

const TOKEN = 'test-token-0123456789abcdef';
const init = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let kit: ServerKit;
beforeAll(() => {
  kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: path.join(tempDir(), 'hardening.db') });
});
afterAll(async () => {
  await kit.close();
  removeTempDirs();
});

describe('MCP sessions', () => {
  it('caps sessions with a JSON-RPC error, closes idle ones and forgets them', async () => {
    const http = await startHttpServer({ kit, port: 0, maxSessions: 3, sessionIdleMs: 1000 });
    try {
      const ids: string[] = [];
      for (let i = 1; i <= 3; i++) {
        const r = await rawRequest(http.url, { body: init(i) });
        expect(r.status).toBe(200);
        ids.push(r.headers['mcp-session-id'] as string);
      }
      const opened = Date.now();
      expect(http.sessionCount()).toBe(3);
      const over = await rawRequest(http.url, { body: init(9) });
      expect(over.status).toBe(503);
      expect(over.headers['retry-after']).toBe('1');
      expect(expectCleanJson(over)).toMatchObject({ jsonrpc: '2.0', id: 9, error: { code: -32000, data: { code: 'too-many-sessions' } } });
      expect(over.body).toContain('too many MCP sessions: 3 are open');
      expect(http.sessionCount()).toBe(3);

      // the first session stays busy; the other two go idle
      await sleep(700);
      const headers = { 'mcp-session-id': ids[0]!, 'mcp-protocol-version': '2025-06-18' };
      expect((await rawRequest(http.url, { headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).status).toBe(202);
      while (Date.now() - opened < 1100) await sleep(20);
      await http.expireIdleSessions();
      expect(http.sessionCount()).toBe(1);
      const gone = await rawRequest(http.url, { headers: { 'mcp-session-id': ids[1]! }, body: JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/list' }) });
      expect(gone.status).toBe(404);
      expect(expectCleanJson(gone)).toMatchObject({ id: 4, error: { message: expect.stringContaining('expired after 1 s idle') } });
      const alive = await rawRequest(http.url, { headers, body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/list' }) });
      expect(alive.status).toBe(200);
      expect(alive.body).toContain('run_simulation');
      // room again for new sessions
      expect((await rawRequest(http.url, { body: init(10) })).status).toBe(200);
      expect(http.sessionCount()).toBe(2);
    } finally {
      await http.close();
    }
  });
});

describe('JSON-RPC errors, never HTML', () => {
  it('answers malformed JSON, oversized bodies, unknown routes and methods', async () => {
    const http = await startHttpServer({ kit, port: 0, maxBodyBytes: 4096 });
    try {
      const malformed = await rawRequest(http.url, { body: '{"jsonrpc": "2.0", "id": 1, "method": ' });
      expect(malformed.status).toBe(400);
      expect(expectCleanJson(malformed)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700, message: expect.stringMatching(/^Parse error: the request body is not valid JSON/) } });
      const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(5000) } });
      const declared = await rawRequest(http.url, { body: big });
      expect(declared.status).toBe(413);
      expect(expectCleanJson(declared)).toMatchObject({ error: { code: -32000, data: { code: 'payload-too-large' }, message: expect.stringContaining('the limit is 4096 bytes') } });
      const chunked = await rawRequest(http.url, { chunks: [big.slice(0, 2500), big.slice(2500)] });
      expect(chunked.status).toBe(413);
      expectCleanJson(chunked);
      const route = await rawRequest(http.url.replace('/mcp', '/admin'), { method: 'GET' });
      expect(route.status).toBe(404);
      expect(expectCleanJson(route)).toMatchObject({ error: { message: expect.stringContaining('The MCP endpoint is /mcp') } });
      const put = await rawRequest(http.url, { method: 'PUT', body: init(1) });
      expect(put.status).toBe(405);
      expect(put.headers.allow).toBe('GET, POST, DELETE');
      expectCleanJson(put);
      const noSession = await rawRequest(http.url, { body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }) });
      expect(noSession.status).toBe(400);
      expect(expectCleanJson(noSession)).toMatchObject({ id: 3, error: { code: -32600, message: expect.stringContaining('send an initialize request first') } });
    } finally {
      await http.close();
    }
  });
});

describe('Host, Origin and token', () => {
  it('every loopback bind (127.0.0.2, ::1) refuses foreign Host headers and cross-origin pages', async () => {
    for (const host of ['127.0.0.2', '::1']) {
      const http = await startHttpServer({ kit, port: 0, host });
      try {
        const own = host.includes(':') ? `[${host}]:${http.port}` : `${host}:${http.port}`;
        const rebinding = await rawRequest(http.url, { headers: { host: `attacker.example:${http.port}` }, body: init(1) });
        expect(rebinding.status, host).toBe(403);
        expect(expectCleanJson(rebinding)).toMatchObject({ error: { data: { code: 'forbidden-host' } } });
        const crossSite = await rawRequest(http.url, { headers: { host: own, origin: 'https://attacker.example' }, body: init(1) });
        expect(crossSite.status, host).toBe(403);
        expect(expectCleanJson(crossSite)).toMatchObject({ error: { data: { code: 'forbidden-origin' } } });
        for (const headers of [{ host: own }, { host: `localhost:${http.port}`, origin: 'http://localhost:6274' }]) {
          expect((await rawRequest(http.url, { headers, body: init(1) })).status, `${host} ${JSON.stringify(headers)}`).toBe(200);
        }
      } finally {
        await http.close();
      }
    }
  });

  it('with a token, refuses requests without the right Bearer (401 + WWW-Authenticate) and serves the SDK client with it', async () => {
    const http = await startHttpServer({ kit, port: 0, token: TOKEN });
    try {
      for (const headers of [{}, { authorization: `Bearer ${TOKEN.slice(0, -1)}X` }, { authorization: TOKEN }]) {
        const r = await rawRequest(http.url, { headers, body: init(1) });
        expect(r.status).toBe(401);
        expect(r.headers['www-authenticate']).toMatch(/^Bearer realm="populace"/);
        expect(expectCleanJson(r)).toMatchObject({ error: { data: { code: 'unauthorized' } } });
      }
      expect(http.sessionCount()).toBe(0);
      const client = new Client({ name: 'token-test', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
      expect((await client.listTools()).tools.length).toBeGreaterThan(5);
      await client.close();
    } finally {
      await http.close();
    }
  });
});

describe('the bin', () => {
  it('exits 2 with one line when the port is busy, the address is not this machine’s, or a wide bind has no token', async () => {
    const cwd = tempDir();
    const busy = await busyPort();
    try {
      const cases: [string[], RegExp][] = [
        [['--port', String(busy.port)], new RegExp(`^populace-mcp: cannot listen on 127\\.0\\.0\\.1:${busy.port}: the port is already in use \\(EADDRINUSE\\)`)],
        [['--host', '192.0.2.1', '--token', TOKEN, '--port', '0'], /^populace-mcp: cannot listen on 192\.0\.2\.1:0: the address is not one of this machine's \(EADDRNOTAVAIL\)/],
        [['--host', '0.0.0.0', '--port', '0'], /^populace-mcp: --host 0\.0\.0\.0 is not a loopback address/],
        [['--host', 'bad host!', '--port', '0'], /^populace-mcp: --host: expected an IP address or a host name/],
      ];
      for (const [args, message] of cases) {
        const r = await runBin(MCP_BIN, ['--http', '--db', 'x.db', ...args], { cwd });
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr, args.join(' ')).toMatch(message);
        expect(r.stderr.split('\n').filter((l) => l.length > 0 && !l.includes('run store'))).toHaveLength(1);
        expect(r.stderr).not.toMatch(/Cannot read properties|\bat .+\(/);
      }
    } finally {
      await busy.close();
    }
  }, 240_000); // each case that gets as far as listening loads the plugins first

  it('reads the token from $POPULACE_TOKEN and says who can reach it', async () => {
    const { child, url, stderr } = await startHttpBin(tempDir(), ['--db', 'token.db'], { POPULACE_TOKEN: TOKEN });
    try {
      expect((await rawRequest(url, { body: init(1) })).status).toBe(401);
      expect((await rawRequest(url, { headers: { authorization: `Bearer ${TOKEN}` }, body: init(1) })).status).toBe(200);
      expect(stderr()).toContain('populace-mcp: loopback only; Host must be localhost, 127.0.0.1, [::1] (any 127.x.y.z); every request needs "Authorization: Bearer <token>"');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
