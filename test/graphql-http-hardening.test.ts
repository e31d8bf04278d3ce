/**
 * `populace-graphql` hardened, against a real server on an ephemeral loopback
 * port: the body-size limit at the HTTP level (a JSON 413, declared or
 * chunked), JSON error bodies without stacks or paths, Host and Origin checks
 * on every loopback bind (127.0.0.2, ::1), the bearer token (GraphiQL's page
 * stays public, the data does not), and the bin's exit 2 when it cannot listen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { createServerKit, type ServerKit } from '@populace/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphqlServer, type GraphqlServerOptions } from '../packages/graphql/src/http-server.js';
import { captureLogger, removeTempDirs, tempDbPath } from '../packages/graphql/src/yoga.fixture.js';
import { busyPort, expectCleanJson, rawRequest, runBin } from './fixtures/http.js';

const BIN = fileURLToPath(new URL('../packages/graphql/dist/bin.js', import.meta.url));
const TOKEN = 'graphql-token-0123456789';
const QUERY = JSON.stringify({ query: '{ models { id } }' });

let kit: ServerKit;
beforeAll(() => {
  kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: tempDbPath() });
});
afterAll(async () => {
  await kit.close();
  removeTempDirs();
});

async function withServer(options: Omit<GraphqlServerOptions, 'kit'>, body: (url: string, port: number) => Promise<void>): Promise<void> {
  const server = await startGraphqlServer({ kit, port: 0, logging: captureLogger(), ...options });
  try {
    await body(server.url, server.port);
  } finally {
    await server.close();
  }
}

describe('JSON errors at the HTTP level', () => {
  it('a body over --max-body-bytes is a JSON 413, declared or chunked; malformed JSON and unknown routes are JSON too', () =>
    withServer({ maxBodyBytes: 2048 }, async (url) => {
      const big = JSON.stringify({ query: '{ models { id } }', variables: { pad: 'z'.repeat(4000) } });
      for (const request of [{ body: big }, { chunks: [big.slice(0, 1500), big.slice(1500)] }]) {
        const r = await rawRequest(url, request);
        expect(r.status).toBe(413);
        expect(expectCleanJson(r)).toEqual({ errors: [{ message: expect.stringContaining('the limit is 2048 bytes'), extensions: { code: 'PAYLOAD_TOO_LARGE', reason: 'payload-too-large', http: { status: 413 } } }] });
      }
      const small = await rawRequest(url, { body: QUERY });
      expect(small.status).toBe(200);
      expect(JSON.parse(small.body).data.models.length).toBeGreaterThan(0);
      const malformed = await rawRequest(url, { body: '{"query": "{ models { id } }",' });
      expect(malformed.status).toBe(400);
      expect((expectCleanJson(malformed) as { errors: unknown[] }).errors.length).toBe(1);
      const route = await rawRequest(url.replace('/graphql', '/secret'), { method: 'GET' });
      expect(route.status).toBe(404);
      expect(expectCleanJson(route)).toMatchObject({ errors: [{ message: expect.stringContaining('The GraphQL endpoint is /graphql'), extensions: { code: 'NOT_FOUND' } }] });
    }));
});

describe('Host, Origin and token', () => {
  for (const host of ['127.0.0.2', '::1']) {
    it(`a bind on ${host} refuses foreign Host headers and cross-origin pages`, () =>
      withServer({ host }, async (url, port) => {
        const own = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
        const rebinding = await rawRequest(url, { headers: { host: `attacker.example:${port}` }, body: QUERY });
        expect(rebinding.status).toBe(403);
        expect(expectCleanJson(rebinding)).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN', reason: 'forbidden-host' } }] });
        const crossSite = await rawRequest(url, { headers: { host: own, origin: 'https://attacker.example' }, body: QUERY });
        expect(crossSite.status).toBe(403);
        expect(crossSite.headers['access-control-allow-origin']).toBeUndefined();
        expect(expectCleanJson(crossSite)).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN', reason: 'forbidden-origin' } }] });
        expect((await rawRequest(url, { headers: { host: own }, body: QUERY })).status).toBe(200);
        const local = await rawRequest(url, { headers: { host: `localhost:${port}`, origin: 'http://localhost:5173' }, body: QUERY });
        expect(local.status).toBe(200);
        expect(local.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      }));
  }

  it('--allowed-origin lets that page call the server, with CORS headers', () =>
    withServer({ allowedOrigins: ['https://dashboard.example.org'] }, async (url) => {
      const r = await rawRequest(url, { headers: { origin: 'https://dashboard.example.org' }, body: QUERY });
      expect(r.status).toBe(200);
      expect(r.headers['access-control-allow-origin']).toBe('https://dashboard.example.org');
    }));

  it('with a token: queries need the Bearer token, the GraphiQL page does not', () =>
    withServer({ token: TOKEN }, async (url) => {
      const none = await rawRequest(url, { body: QUERY });
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toBe('Bearer realm="populace"');
      expect(expectCleanJson(none)).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
      expect((await rawRequest(url, { headers: { authorization: 'Bearer wrong-token-0123456789' }, body: QUERY })).status).toBe(401);
      const ok = await rawRequest(url, { headers: { authorization: `Bearer ${TOKEN}` }, body: QUERY });
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body).data.models.length).toBeGreaterThan(0);
      const page = await rawRequest(url, { method: 'GET', headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.body).toContain('<title>Populace GraphQL</title>');
      // a query in the URL is data, not the page: it needs the token
      const viaGet = await rawRequest(`${url}?query=${encodeURIComponent('{ models { id } }')}`, { method: 'GET', headers: { accept: 'text/html' } });
      expect(viaGet.status).toBe(401);
    }));
});

describe('the bin', () => {
  it('exits 2 with one line when the port is busy, the address is not this machine’s, or a wide bind has no token', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'populace-graphql-hardening-'));
    const busy = await busyPort();
    try {
      const cases: [string[], Record<string, string>, RegExp][] = [
        [['--port', String(busy.port)], {}, new RegExp(`^populace-graphql: cannot listen on 127\\.0\\.0\\.1:${busy.port}: the port is already in use \\(EADDRINUSE\\)`)],
        [['--host', '192.0.2.1', '--port', '0'], { POPULACE_TOKEN: TOKEN }, /^populace-graphql: cannot listen on 192\.0\.2\.1:0: the address is not one of this machine's \(EADDRNOTAVAIL\)/],
        [['--host', '0.0.0.0', '--port', '0'], {}, /^populace-graphql: --host 0\.0\.0\.0 is not a loopback address/],
        [['--host', '::', '--port', '0', '--token', 'short'], {}, /^populace-graphql: --token \/ \$POPULACE_TOKEN: expected at least 16 printable characters/],
      ];
      for (const [args, env, message] of cases) {
        const r = await runBin(BIN, ['--db', 'x.db', '--backend', 'cpu', ...args], { cwd: dir, env });
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr, args.join(' ')).toMatch(message);
        expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
        expect(r.stdout).toBe('');
      }
    } finally {
      await busy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000); // each case that gets as far as listening loads the plugins first
});
