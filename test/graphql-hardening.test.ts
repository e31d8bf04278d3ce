/**
 * The GraphQL server against a security probe, over HTTP on loopback:
 * cross-site mutations (form and multipart posts, GET), requests that could
 * stall it (many aliases, huge documents and bodies, unbounded series,
 * population builds charged too little) and inputs echoed back in errors.
 * Each case was reproduced against the server before these protections.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import populations from '@populace/populations';
import { createServerKit, type ServerKit } from '@populace/server-kit';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGraphqlServer, type RunningGraphqlServer } from '../packages/graphql/src/http-server.js';
import { main } from '../packages/graphql/src/main.js';
import { captureLogger, removeTempDirs, tempDbPath } from '../packages/graphql/src/yoga.fixture.js';

let kit: ServerKit;
let server: RunningGraphqlServer;
const START = 'mutation { startRun(input:{model:"network-sir",population:"random-graph",agents:2000,steps:5}) { id status } }';

beforeAll(async () => {
  kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin, populations], backend: 'cpu' }), db: tempDbPath(), concurrency: 2 });
  server = await startGraphqlServer({ kit, port: 0, logging: captureLogger() });
});
afterAll(async () => {
  await kit.close();
  await server.close();
  removeTempDirs();
});

const json = (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
const runCount = () => kit.store.list({}).total;

/** Posts `body` as JSON on a connection of its own: the status, or 'reset' when the server cut the upload off. */
function rawPost(body: string, into?: { text: string }): Promise<number | 'reset'> {
  return new Promise((resolve) => {
    const req = request(server.url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (d: string) => into && (into.text += d));
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', () => resolve('reset'));
    req.end(body);
  });
}

describe('cross-site request forgery', () => {
  it('refuses a form-encoded mutation from another site, and records no run (the Origin check and, behind it, the content-type check)', async () => {
    const before = runCount();
    const body = new URLSearchParams({ query: START });
    // a browser sends Origin with a cross-site form post: the HTTP guard refuses it first
    const r = await fetch(server.url, { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(r.status).toBe(403);
    const out = (await r.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(out.errors[0]!.extensions.code).toBe('FORBIDDEN');
    expect(out.errors[0]!.message).toContain('evil.example');
    // without an Origin (a client that strips it), the form is still refused: only JSON runs operations
    const bare = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(bare.status).toBe(403);
    const bareOut = (await bare.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(bareOut.errors[0]!.extensions.code).toBe('CSRF_REJECTED');
    expect(bareOut.errors[0]!.message).toContain('application/json');
    expect(runCount()).toBe(before);
  });

  it('refuses multipart and text/plain posts, which a page can send without a preflight', async () => {
    const before = runCount();
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: START }));
    form.set('map', '{}');
    const multipart = await fetch(server.url, { method: 'POST', headers: { origin: 'http://evil.example' }, body: form });
    expect(multipart.status).toBe(403);
    const plain = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: START }) });
    expect(plain.status).toBe(403);
    expect(runCount()).toBe(before);
  });

  it('GET needs the header for a query and never runs a mutation', async () => {
    const q = `${server.url}?query=${encodeURIComponent('{ models { id } }')}`;
    expect((await fetch(q)).status).toBe(403);
    const ok = await fetch(q, { headers: { 'x-populace-csrf': '1' } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: { models: unknown[] } }).data.models.length).toBeGreaterThan(0);
    const before = runCount();
    const mutation = await fetch(`${server.url}?query=${encodeURIComponent(START)}`, { headers: { 'x-populace-csrf': '1' } });
    expect(mutation.status).toBe(405);
    expect(runCount()).toBe(before);
  });

  it('accepts JSON (both content types) and, with the header, a form', async () => {
    const a = await json(START);
    expect(((await a.json()) as { data: { startRun: { status: string } } }).data.startRun.status).toMatch(/QUEUED|RUNNING/);
    const b = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/graphql-response+json' }, body: JSON.stringify({ query: '{ models { id } }' }) });
    expect(b.status).toBe(200);
    const c = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-populace-csrf': '1' }, body: new URLSearchParams({ query: '{ models { id } }' }) });
    expect(((await c.json()) as { data: { models: unknown[] } }).data.models.length).toBeGreaterThan(0);
  });
});

describe('requests that could stall the server', () => {
  const errorOf = async (r: Response) => ((await r.json()) as { data?: unknown; errors: { message: string; extensions: { code: string; details?: Record<string, unknown> } }[] }).errors[0]!;

  it('twenty 2,000,000-agent populationStats aliases are refused before any build', async () => {
    const one = (i: number) => `a${i}: populationStats(input: { population: "nyc", agents: 2000000, seed: ${i}, groupBy: ["ageBand"] }) { total }`;
    const r = await json(`{ ${Array.from({ length: 20 }, (_, i) => one(i)).join(' ')} }`);
    const e = await errorOf(r);
    expect(e.extensions).toEqual({ code: 'LIMIT_EXCEEDED', details: { limit: 'maxCost', max: 10_000, received: 20 * (20 + 2000 + 1) } });
  });

  it('charges agents given as a variable', async () => {
    const r = await json('query($n: Int) { populationStats(input: { population: "nyc", agents: $n }) { total } }', { n: 20_000_000 });
    expect((await errorOf(r)).extensions.details).toMatchObject({ limit: 'maxCost', received: 20 + 20_000 + 1 });
  });

  it('a document of a million __typename aliases is refused by its size, a smaller one by its tokens or aliases', async () => {
    const huge = await rawPost(JSON.stringify({ query: `{ ${Array.from({ length: 1_000_000 }, (_, i) => `a${i}: __typename`).join(' ')} }` }));
    // refused by its declared length: the answer, or the upload cut off
    expect([413, 'reset']).toContain(huge);
    expect(await rawPost(JSON.stringify({ query: `{ models { id } }`, padding: 'x'.repeat(2_000_000) }))).not.toBe(200);
    const many = { text: '' };
    await rawPost(JSON.stringify({ query: `{ ${Array.from({ length: 5000 }, (_, i) => `a${i}: __typename`).join(' ')} }` }), many);
    expect(JSON.parse(many.text).errors[0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'maxTokens' } });
    const aliased = { text: '' };
    await rawPost(JSON.stringify({ query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} }` }), aliased);
    expect(JSON.parse(aliased.text).errors[0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'maxAliasesPerSelection', max: 30, received: 40 } });
  });

  it('a body over the limit without a Content-Length is cut off as it arrives', async () => {
    const status = await new Promise<number | 'reset'>((resolve) => {
      const req = request(server.url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', () => resolve('reset'));
      const chunk = ' '.repeat(64 * 1024);
      for (let i = 0; i < 40; i++) req.write(chunk);
      req.end();
    });
    expect([413, 'reset']).toContain(status);
    expect((await json('{ models { id } }')).status).toBe(200);
  });

  it('series are charged by their points: unbounded ones on many runs are refused', async () => {
    const series = (alias: string, points?: number) => `${alias}: runs(first: 100) { runs { metrics${points ? `(maxPoints: ${points})` : ''} { steps series { name values } } } }`;
    const r = await json(`{ ${series('a')} ${series('b')} ${series('c')} }`);
    expect((await errorOf(r)).extensions.details).toMatchObject({ limit: 'maxCost' });
    const small = await json(`{ ${series('a', 20)} }`);
    expect(((await small.json()) as { errors?: unknown }).errors).toBeUndefined();
  });

  it('a long string argument is not echoed back whole', async () => {
    const long = 'x'.repeat(200_000);
    const r = await json(`{ population(id: "${long}") { id } }`);
    const text = await r.text();
    expect(text.length).toBeLessThan(6000);
    expect(text).toContain('more characters');
    const typed = await json(`{ runs(first: "${long}") { total } }`);
    expect((await typed.text()).length).toBeLessThan(6000);
  });
});

describe('production switches', () => {
  it('without GraphiQL and introspection, the page is gone and __schema refused; queries answer', async () => {
    const k = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: tempDbPath() });
    const s = await startGraphqlServer({ kit: k, port: 0, logging: captureLogger(), yoga: { graphiql: false, introspection: false } });
    try {
      const page = await fetch(s.url, { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-type') ?? '').not.toContain('text/html');
      const intro = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __schema { types { name } } }' }) });
      const body = (await intro.json()) as { errors: { message: string }[] };
      expect(body.errors[0]!.message).toMatch(/introspection/i);
      const ok = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ models { id } }' }) });
      expect(((await ok.json()) as { data: { models: unknown[] } }).data.models.length).toBeGreaterThan(0);
    } finally {
      await k.close();
      await s.close();
    }
  });

  it('populace-graphql --no-graphiql --no-introspection serves the API without either', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'populace-graphql-flags-'));
    let url = '';
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const done = main(['--port', '0', '--db', path.join(cwd, 'runs.db'), '--backend', 'cpu', '--no-graphiql', '--no-introspection'], {
      cwd,
      stopped,
      stdout: { write: (t: string) => (url = /listening on (\S+)/.exec(t)?.[1] ?? url) },
      stderr: { write: () => true },
    });
    try {
      for (let i = 0; i < 400 && !url; i++) await new Promise((r) => setTimeout(r, 50));
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      expect((await fetch(url, { headers: { accept: 'text/html' } })).headers.get('content-type') ?? '').not.toContain('text/html');
      const intro = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __type(name: "Run") { name } }' }) });
      expect(((await intro.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/introspection/i);
    } finally {
      stop();
      expect(await done).toBe(0);
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('the GraphiQL page names only this server, under a self-only CSP, and its assets are served', async () => {
    const page = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBe(6);
    for (const a of assets) {
      const r = await fetch(new URL(a, server.url));
      expect(r.status, a).toBe(200);
      expect((await r.text()).length).toBeGreaterThan(50);
    }
    expect((await fetch(new URL('/graphql/assets/../../etc/passwd', server.url))).status).not.toBe(200);
  });
});
