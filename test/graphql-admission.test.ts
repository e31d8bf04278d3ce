/**
 * What the GraphQL server admits, against a real server on a loopback port:
 * runs are admitted by their memory estimates against the kit's budget (a run
 * that does not fit next to the running ones waits, one larger than the whole
 * budget is refused at once), and `ask` costs more the longer its question,
 * up to a maximum length.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, estimateSimulationMemory } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { createServerKit, type ServerKit } from '@populace/server-kit';
import { startGraphqlServer, type RunningGraphqlServer } from '../packages/graphql/src/http-server.js';
import { captureLogger, removeTempDirs, tempDbPath } from '../packages/graphql/src/yoga.fixture.js';

const runtime = createRuntime({ plugins: [examplePlugin], backend: 'cpu' });
const RUN = { model: 'network-sir', population: 'random-graph', agents: 2000, steps: 10_000, seed: 1 };
/** One run's estimate, from core directly. */
const ONE = estimateSimulationMemory({ model: runtime.models.get(RUN.model).definition, population: runtime.populations.get(RUN.population).definition, agents: RUN.agents, steps: RUN.steps }).bytes;
const BUDGET = Math.floor(ONE * 1.5);

let kit: ServerKit;
let server: RunningGraphqlServer;
let costly: RunningGraphqlServer;
beforeAll(async () => {
  kit = createServerKit({ runtime, db: tempDbPath(), concurrency: 2, memoryBudget: BUDGET });
  server = await startGraphqlServer({ kit, port: 0, host: '127.0.0.1', logging: captureLogger() });
  costly = await startGraphqlServer({ kit, port: 0, host: '127.0.0.1', logging: captureLogger(), queryLimits: { maxCost: 130 } });
});
afterAll(async () => {
  await kit.close();
  await server.close();
  await costly.close();
  removeTempDirs();
});

type Answer = { data?: any; errors?: { message: string; extensions?: any }[] };
const post = async (url: string, query: string, variables?: Record<string, unknown>) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json() as Promise<Answer>;
const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id status } }';

describe('memory admission over GraphQL', () => {
  it('holds a run back while the running one leaves no room in the budget', async () => {
    const a = await post(server.url, START, { input: RUN });
    const b = await post(server.url, START, { input: { ...RUN, seed: 2 } });
    expect([a.errors, b.errors]).toEqual([undefined, undefined]);
    expect([a.data.startRun.status, b.data.startRun.status]).toEqual(['RUNNING', 'QUEUED']);
    // two slots, room for one: the second waits for memory
    const s = await post(server.url, '{ server { concurrency running queued memoryBudget memoryInUse memoryWait } }');
    expect(s.data.server).toEqual({ concurrency: 2, running: 1, queued: 1, memoryBudget: BUDGET, memoryInUse: ONE, memoryWait: 1 });
    // when the first ends, the second starts
    await post(server.url, 'mutation($id: ID!) { cancelRun(id: $id) { outcome } }', { id: a.data.startRun.id });
    const after = await post(server.url, `{ run(id: "${b.data.startRun.id}") { status } server { running queued memoryInUse memoryWait } }`);
    expect(after.data).toEqual({ run: { status: 'RUNNING' }, server: { running: 1, queued: 0, memoryInUse: ONE, memoryWait: 0 } });
    await post(server.url, 'mutation($id: ID!) { cancelRun(id: $id) { outcome } }', { id: b.data.startRun.id });
  });

  it('refuses a run larger than the whole budget with LIMIT_EXCEEDED, recording nothing', async () => {
    const total = (await post(server.url, '{ runs { total } }')).data.runs.total;
    const big = await post(server.url, START, { input: { ...RUN, agents: 200_000 } });
    expect(big.data).toBeNull();
    expect(big.errors![0]!.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'memoryBudget', max: BUDGET } });
    expect(big.errors![0]!.message).toMatch(/more than this server's whole memory budget of .* so it could never start/);
    expect((await post(server.url, '{ runs { total } }')).data.runs.total).toBe(total);
  });
});

describe('the cost of ask', () => {
  const ASK = 'mutation($q: String!) { ask(question: $q) { answer } }';
  // the field's base cost 100, one per 100 characters of the question, and 1 for `answer`
  const cost = (chars: number) => 100 + Math.floor(chars / 100) + 1;

  it('grows with the question: a long one goes over a cost limit a short one passes', async () => {
    const short = await post(costly.url, ASK, { q: 'x'.repeat(250) });
    // within the cost: it reaches the resolver, which has no chat model here
    expect(short.errors![0]!.extensions.code).toBe('MISSING_REQUIREMENT');
    const long = await post(costly.url, ASK, { q: 'x'.repeat(3500) });
    expect(long.errors![0]!.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'maxCost', max: 130, received: cost(3500) } });
  });

  it('refuses a question over 4,000 characters with a clear error', async () => {
    const over = await post(server.url, ASK, { q: 'x'.repeat(4001) });
    expect(over.errors![0]!.extensions.code).toBe('INVALID_ARGUMENT');
    expect(over.errors![0]!.message).toMatch(/question expected at most 4000 characters, received 4001/);
    // and one far over it never reaches the resolver: its cost alone is over the default limit
    const huge = await post(server.url, ASK, { q: 'x'.repeat(1_000_000) });
    expect(huge.errors![0]!.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'maxCost', received: cost(1_000_000) } });
  });
});
