/**
 * @populace/graphql over real HTTP on an ephemeral 127.0.0.1 port: queries,
 * a subscription read as server-sent events until the run completes,
 * GraphiQL, the Host-header and CORS guards, and a shutdown that ends live
 * subscriptions with the truth.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { createServerKit, type ServerKit } from '@populace/server-kit';
import { startGraphqlServer, type RunningGraphqlServer } from '../packages/graphql/src/http-server.js';
import { readSse, sseRequest } from '../packages/graphql/src/sse.fixture.js';
import { captureLogger, referenceMetrics, removeTempDirs, SIR_INPUT, tempDbPath } from '../packages/graphql/src/yoga.fixture.js';

let kit: ServerKit;
let server: RunningGraphqlServer;
beforeAll(async () => {
  kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: tempDbPath(), concurrency: 2 });
  server = await startGraphqlServer({ kit, port: 0, logging: captureLogger() });
});
afterAll(async () => {
  await kit.close();
  await server.close();
  removeTempDirs();
});

async function gql(query: string, variables?: Record<string, unknown>) {
  const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  expect(response.status).toBe(200);
  return (await response.json()) as { data: any; errors?: any[] };
}

/** A raw request with any Host and Origin headers (fetch will not send a foreign Host). */
function raw(headers: Record<string, string>, body = JSON.stringify({ query: '{ models { id } }' })): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const FOLLOW = 'subscription($id: ID!) { runProgress(id: $id) { type status step progress { done total } metrics { name values } run { id status stepsRecorded error { code message } } } }';

describe('populace GraphQL over HTTP', () => {
  it('listens on 127.0.0.1 at /graphql and answers queries', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(server.port).toBeGreaterThan(0);
    const { data, errors } = await gql('{ models { id } populations { id } }');
    expect(errors).toBeUndefined();
    expect(data.models.map((m: { id: string }) => m.id)).toContain('example/network-sir');
    expect(data.populations.map((p: { id: string }) => p.id)).toContain('example/random-graph');
  });

  it('streams a run’s progress over SSE, step by step, until it completes', async () => {
    const steps = 40;
    const started = await gql('mutation($input: StartRunInput!) { startRun(input: $input) { id } }', { input: { ...SIR_INPUT, steps } });
    const id = started.data.startRun.id;
    const response = await fetch(server.url, sseRequest(FOLLOW, { id }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const received: any[] = [];
    let completed = false;
    for await (const e of readSse(response)) {
      if (e.event === 'complete') {
        completed = true;
        break;
      }
      expect(e.event).toBe('next');
      received.push(e.data.data.runProgress);
    }
    expect(completed).toBe(true);
    const stepsSeen = received.filter((p) => p.type === 'PROGRESS' && p.step !== null).map((p) => p.step);
    expect(stepsSeen.length).toBeGreaterThan(0);
    expect(stepsSeen).toEqual([...stepsSeen].sort((a, b) => a - b));
    expect(new Set(stepsSeen).size).toBe(stepsSeen.length);
    expect(stepsSeen.at(-1)).toBe(steps);
    const last = received.at(-1);
    expect(last).toMatchObject({ type: 'FINISHED', status: 'DONE', run: { id, status: 'DONE', stepsRecorded: steps, error: null } });
    const reference = await referenceMetrics(steps);
    expect(last.metrics).toEqual(['S', 'I', 'R', 'newInfections'].map((name) => ({ name, values: reference[name] })));
    const stored = await gql('query($id: ID!) { run(id: $id) { metrics { series { name values } } } }', { id });
    expect(stored.data.run.metrics.series).toEqual(last.metrics);
  });

  it('serves GraphiQL to browsers and refuses a mutation over GET', async () => {
    const page = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Populace GraphQL</title>');
    const query = encodeURIComponent('mutation { cancelRun(id: "x") { outcome } }');
    // without the CSRF header a GET is refused before parsing; with it, a mutation still never runs over GET
    expect((await fetch(`${server.url}?query=${query}`, { headers: { accept: 'application/json' } })).status).toBe(403);
    const viaGet = await fetch(`${server.url}?query=${query}`, { headers: { accept: 'application/json', 'x-populace-csrf': '1' } });
    expect(viaGet.status).toBe(405);
  });

  it('accepts loopback Host headers only, so DNS rebinding cannot reach it', async () => {
    const port = server.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) expect((await raw({ host })).status).toBe(200);
    const foreign = await raw({ host: `attacker.example:${port}` });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(foreign.body).toContain('attacker.example');
  });

  it('gives CORS headers to pages from this machine only', async () => {
    const local = await raw({ host: `127.0.0.1:${server.port}`, origin: 'http://localhost:5173' });
    expect(local.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const foreign = await raw({ host: `127.0.0.1:${server.port}`, origin: 'https://attacker.example' });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('shutdown', () => {
  it('closing the kit, then the server, ends a live subscription with the interrupted run', async () => {
    const own = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: tempDbPath(), concurrency: 1 });
    const http = await startGraphqlServer({ kit: own, port: 0, logging: captureLogger() });
    const started = await fetch(http.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }', variables: { input: { ...SIR_INPUT, steps: 10_000 } } }) });
    const id = ((await started.json()) as any).data.startRun.id;
    const response = await fetch(http.url, sseRequest(FOLLOW, { id }));
    const events: any[] = [];
    const reading = (async () => {
      for await (const e of readSse(response)) events.push(e);
    })();
    while (own.store.require(id).stepsRecorded < 3) await new Promise((r) => setTimeout(r, 10));
    await own.close();
    await http.close();
    await reading;
    expect(events.at(-1)).toEqual({ event: 'complete', data: null });
    const last = events.at(-2).data.data.runProgress;
    expect(last).toMatchObject({ type: 'FINISHED', status: 'FAILED', run: { id, status: 'FAILED', error: { code: 'interrupted' } } });
    expect(last.run.error.message).toContain('the server stopped during the run');
    expect(last.run.stepsRecorded).toBeGreaterThanOrEqual(3);
    await expect(fetch(http.url)).rejects.toThrow();
  });
});
