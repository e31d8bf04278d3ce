/**
 * A large population build does not hold the server: while populationStats
 * builds nyc at 500,000 agents in the worker thread, small requests sent
 * every 20 ms keep being answered (in the server's thread none would be,
 * the build being one synchronous call). Nor does a sensitivity's stochastic
 * derivative, which runs in the server's thread between event-loop turns.
 * Counts, not times, are asserted; bench/graphql-stall.mjs measures the stall itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import populations from '@populace/populations';
import { createPopulationBuilder, createServerKit, type ServerKit } from '@populace/server-kit';
import { startGraphqlServer, type RunningGraphqlServer } from '../packages/graphql/src/http-server.js';
import { captureLogger, removeTempDirs, tempDbPath } from '../packages/graphql/src/yoga.fixture.js';

let kit: ServerKit;
let server: RunningGraphqlServer;
beforeAll(async () => {
  kit = createServerKit({ runtime: createRuntime({ plugins: [populations, examplePlugin], backend: 'cpu' }), db: tempDbPath(), concurrency: 2 });
  const populationBuilder = createPopulationBuilder({ source: { modules: [import.meta.resolve('@populace/populations')] } });
  server = await startGraphqlServer({ kit, port: 0, logging: captureLogger(), yoga: { populationBuilder } });
});
afterAll(async () => {
  await kit.close();
  await server.close();
  removeTempDirs();
});

const post = async (query: string) => (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json() as Promise<{ data?: any; errors?: unknown[] }>;

/** `request`'s answer, and how many small requests (one every 20 ms) the server answered while it ran. */
async function answeredWhile<T>(request: () => Promise<T>): Promise<{ answer: T; answeredDuring: number }> {
  let pending = true;
  let answeredDuring = 0;
  const pinger = (async () => {
    while (pending) {
      const r = await post('{ populations { id } }');
      if (pending && r.data) answeredDuring += 1;
      await new Promise((res) => setTimeout(res, 20));
    }
  })();
  const answer = await request();
  pending = false;
  await pinger;
  return { answer, answeredDuring };
}

describe('a large build in the worker', () => {
  it('leaves the server answering other requests meanwhile', async () => {
    const { answer: big, answeredDuring } = await answeredWhile(() => post('{ populationStats(input: { population: "nyc", agents: 500000, seed: 3, groupBy: ["ageBand"] }) { total } }'));
    expect(big.errors).toBeUndefined();
    expect(big.data.populationStats.total).toBe(500_000);
    expect(answeredDuring).toBeGreaterThanOrEqual(5);
  });
});

describe("a sensitivity's stochastic derivative", () => {
  it('leaves the server answering other requests meanwhile', async () => {
    // 12 replicates x 30 x 31 alternative steps of 2,000 agents: seconds of work in the server's thread
    const { answer: s, answeredDuring } = await answeredWhile(() =>
      post('mutation { sensitivity(input: { model: "network-sir", population: "random-graph", agents: 2000, seed: 1, steps: 30, output: { metric: "newInfections" }, wrt: ["beta"], estimator: "stochastic-derivative", replicates: 12 }, waitMs: 120000) { status sensitivity { estimator entries { param standardError } } } }'),
    );
    expect(s.errors).toBeUndefined();
    expect(s.data.sensitivity).toMatchObject({ status: 'DONE', sensitivity: { estimator: 'stochastic-derivative', entries: [{ param: 'beta' }] } });
    // the forward run's 30 steps alone give a handful of answers (7 with the alternatives run synchronously); turns during the alternatives give about 100
    expect(answeredDuring).toBeGreaterThanOrEqual(20);
  });
});
