/**
 * A bounded load on the GraphQL server over loopback: 200 requests, 20 at a
 * time, mixing catalog and run queries, population statistics, a few runs
 * started by mutations, and requests the server must refuse (over the cost
 * or alias limits, cross-site form posts). Every answer is data without
 * errors or one of the documented refusals, and the process's memory stays
 * bounded. No timing is asserted (see bench/graphql-stall.mjs for times).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import populations from '@populace/populations';
import { createServerKit, type ServerKit } from '@populace/server-kit';
import { startGraphqlServer, type RunningGraphqlServer } from '../packages/graphql/src/http-server.js';
import { captureLogger, removeTempDirs, tempDbPath } from '../packages/graphql/src/yoga.fixture.js';

let kit: ServerKit;
let server: RunningGraphqlServer;
beforeAll(async () => {
  kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin, populations], backend: 'cpu' }), db: tempDbPath(), concurrency: 2 });
  server = await startGraphqlServer({ kit, port: 0, logging: captureLogger() });
});
afterAll(async () => {
  await kit.close();
  await server.close();
  removeTempDirs();
});

interface Request {
  readonly kind: string;
  readonly init: RequestInit;
  /** The refusal this request must get, or undefined for data without errors. */
  readonly refusal?: string;
}

const json = (query: string): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
const MIX: ((i: number) => Request)[] = [
  () => ({ kind: 'models', init: json('{ models { id parameters { name default } metrics { name } } populations { id } }') }),
  () => ({ kind: 'runs', init: json('{ runs(first: 10) { total runs { id status metrics(maxPoints: 20) { steps series { name values } } } } server { running queued } }') }),
  (i) => ({ kind: 'stats', init: json(`{ populationStats(input: { population: "nyc", agents: 2000, seed: ${i % 3}, groupBy: ["ageBand"] }) { total rows { count } } }`) }),
  () => ({ kind: 'models', init: json('{ model(id: "network-sir") { id description } }') }),
  (i) => (i % 20 === 4 ? { kind: 'mutation', init: json('mutation { startRun(input: { model: "network-sir", population: "random-graph", agents: 500, steps: 3 }) { id status } }') } : { kind: 'models', init: json('{ models { id } }') }),
  () => ({ kind: 'over-cost', refusal: 'LIMIT_EXCEEDED', init: json(`{ ${Array.from({ length: 20 }, (_, i) => `a${i}: populationStats(input: { population: "nyc", agents: 2000000, seed: ${i} }) { total }`).join(' ')} }`) }),
  () => ({ kind: 'aliases', refusal: 'LIMIT_EXCEEDED', init: json(`{ ${Array.from({ length: 200 }, (_, i) => `a${i}: __typename`).join(' ')} }`) }),
  // a cross-site form post (refused by the Origin check) and a form post without Origin (refused by the content-type check)
  (i): Request => (Math.floor(i / 8) % 2 === 0
    ? { kind: 'csrf', refusal: 'FORBIDDEN', init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' }, body: new URLSearchParams({ query: 'mutation { cancelRun(id: "x") { id } }' }).toString() } }
    : { kind: 'csrf', refusal: 'CSRF_REJECTED', init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query: 'mutation { cancelRun(id: "x") { id } }' }).toString() } }),
];

describe('200 mixed requests, 20 at a time', () => {
  it('answers each with data or a documented refusal, within bounded memory', async () => {
    const rssBefore = process.memoryUsage().rss;
    const requests = Array.from({ length: 200 }, (_, i) => MIX[i % MIX.length]!(i));
    const outcomes: { kind: string; ok: boolean; detail: string }[] = [];
    let next = 0;
    let peakRss = rssBefore;
    const worker = async () => {
      while (next < requests.length) {
        const r = requests[next++]!;
        const response = await fetch(server.url, r.init);
        const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
        const codes = (body.errors ?? []).map((e) => e.extensions?.code);
        const ok = r.refusal ? codes.length > 0 && codes.every((c) => c === r.refusal) : response.status === 200 && codes.length === 0 && body.data != null;
        outcomes.push({ kind: r.kind, ok, detail: `${response.status} ${JSON.stringify(body).slice(0, 200)}` });
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    expect(outcomes).toHaveLength(200);
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(new Set(outcomes.map((o) => o.kind))).toEqual(new Set(['models', 'runs', 'stats', 'mutation', 'over-cost', 'aliases', 'csrf']));
    // generous: a few small builds and runs; the refused 2M-agent builds never start
    expect(peakRss - rssBefore).toBeLessThan(1.5 * 1024 ** 3);
  });
});
