/**
 * A large population build does not hold the server: while populationStats
 * builds nyc at 500,000 agents in the worker thread, small requests sent
 * every 20 ms keep being answered (in the server's thread none would be,
 * the build being one synchronous call). Counts, not times, are asserted;
 * bench/graphql-stall.mjs measures the stall itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '@populace/core';
import populations from '@populace/populations';
import { createPopulationBuilder, createServerKit, type ServerKit } from '@populace/server-kit';
import { startGraphqlServer, type RunningGraphqlServer } from '../packages/graphql/src/http-server.js';
import { captureLogger, removeTempDirs, tempDbPath } from '../packages/graphql/src/yoga.fixture.js';

let kit: ServerKit;
let server: RunningGraphqlServer;
beforeAll(async () => {
  kit = createServerKit({ runtime: createRuntime({ plugins: [populations], backend: 'cpu' }), db: tempDbPath(), concurrency: 2 });
  const populationBuilder = createPopulationBuilder({ source: { modules: [import.meta.resolve('@populace/populations')] } });
  server = await startGraphqlServer({ kit, port: 0, logging: captureLogger(), yoga: { populationBuilder } });
});
afterAll(async () => {
  await kit.close();
  await server.close();
  removeTempDirs();
});

const post = async (query: string) => (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json() as Promise<{ data?: any; errors?: unknown[] }>;

describe('a large build in the worker', () => {
  it('leaves the server answering other requests meanwhile', async () => {
    let pending = true;
    let answeredDuring = 0;
    const pinger = (async () => {
      while (pending) {
        const r = await post('{ populations { id } }');
        if (pending && r.data) answeredDuring += 1;
        await new Promise((res) => setTimeout(res, 20));
      }
    })();
    const big = await post('{ populationStats(input: { population: "nyc", agents: 500000, seed: 3, groupBy: ["ageBand"] }) { total } }');
    pending = false;
    await pinger;
    expect(big.errors).toBeUndefined();
    expect(big.data.populationStats.total).toBe(500_000);
    expect(answeredDuring).toBeGreaterThanOrEqual(5);
  });
});
