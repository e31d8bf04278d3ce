/**
 * Runs started over GraphQL build their population in the kit's worker
 * builder, against a real server on a loopback port: the run's metrics equal
 * those of the same simulation built in this thread (so the transferred
 * agent tables and contact networks are the population's), the builder is
 * the one populationStats uses too, and cancelling a run while its
 * population builds terminates the worker. Structure, not times, is asserted;
 * bench/run-build-stall.mjs measures the event-loop stall.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '@populace/core';
import epi from '@populace/models-epi';
import populations from '@populace/populations';
import { createPopulationBuilder, createServerKit, type CountingPopulationBuilder, type ServerKit } from '@populace/server-kit';
import { startGraphqlServer, type RunningGraphqlServer } from '../packages/graphql/src/http-server.js';
import { captureLogger, removeTempDirs, tempDbPath } from '../packages/graphql/src/yoga.fixture.js';

const runtime = createRuntime({ plugins: [populations, epi], backend: 'cpu' });
let builder: CountingPopulationBuilder;
let kit: ServerKit;
let server: RunningGraphqlServer;
beforeAll(async () => {
  // every build of 1,000 agents or more goes to the worker
  builder = createPopulationBuilder({ source: { modules: [import.meta.resolve('@populace/populations')] }, offThreadAgents: 1000 });
  kit = createServerKit({ runtime, db: tempDbPath(), concurrency: 1, populationBuilder: builder });
  // no populationBuilder option: the server uses the kit's
  server = await startGraphqlServer({ kit, port: 0, host: '127.0.0.1', logging: captureLogger() });
});
afterAll(async () => {
  await kit.close();
  await server.close();
  removeTempDirs();
});

const post = async (query: string, variables?: Record<string, unknown>) => (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json() as Promise<{ data?: any; errors?: { message: string; extensions?: any }[] }>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const RUN = { model: 'epi/sir', population: 'nyc', agents: 6000, steps: 12, seed: 5 } as const;

describe('a run over GraphQL with the worker builder', () => {
  it('builds in the worker, networks included, and gives the metrics of an in-thread build', async () => {
    const before = builder.stats();
    const started = await post('mutation($input: StartRunInput!) { startRun(input: $input, waitMs: 60000) { id status stepsRecorded } }', { input: RUN });
    expect(started.errors).toBeUndefined();
    expect(started.data.startRun).toMatchObject({ status: 'DONE', stepsRecorded: RUN.steps });
    expect(builder.stats()).toMatchObject({ inWorker: before.inWorker + 1, inThread: before.inThread, workers: 0 });
    // the reference: the same simulation, its population built by the definition in this thread
    const sim = runtime.createSimulation({ model: RUN.model, population: RUN.population, agents: RUN.agents, seed: RUN.seed });
    const reference = (await sim.run({ steps: RUN.steps })).metrics;
    sim.dispose();
    // epi/sir on nyc spreads over the contact layers: without the networks the run would differ
    expect(reference.newInfections!.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(kit.store.series(started.data.startRun.id).series).toEqual(reference);
  });

  it('is the builder populationStats uses (one builder per kit)', async () => {
    const before = builder.stats().inWorker;
    const r = await post('{ populationStats(input: { population: "nyc", agents: 4000, seed: 11 }) { total } }');
    expect(r.errors).toBeUndefined();
    expect(r.data.populationStats.total).toBe(4000);
    expect(builder.stats().inWorker).toBe(before + 1);
  });

  it('cancelling a run while its population builds terminates the worker', async () => {
    // a worker of an earlier build may still be exiting: start from none
    for (let i = 0; i < 500 && builder.stats().workers > 0; i++) await sleep(10);
    const before = builder.stats();
    const started = await post('mutation { startRun(input: { model: "epi/sir", population: "nyc", agents: 2000000, steps: 5, seed: 1 }) { id } }');
    expect(started.errors).toBeUndefined();
    const id = started.data.startRun.id as string;
    // the build of 2,000,000 agents takes seconds: wait until its worker is up
    for (let i = 0; i < 500 && builder.stats().workers === 0; i++) await sleep(10);
    expect(builder.stats().workers).toBe(1);
    const cancelled = await post('mutation($id: ID!) { cancelRun(id: $id) { outcome run { status stepsRecorded } } }', { id });
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data.cancelRun).toMatchObject({ outcome: 'CANCELLED', run: { status: 'CANCELLED', stepsRecorded: 0 } });
    expect(builder.stats()).toMatchObject({ aborted: before.aborted + 1, inWorker: before.inWorker });
    for (let i = 0; i < 500 && builder.stats().workers > 0; i++) await sleep(10);
    expect(builder.stats().workers).toBe(0);
    // the server is free for the next run
    expect((await post('{ server { running queued memoryInUse } }')).data.server).toEqual({ running: 0, queued: 0, memoryInUse: 0 });
  });
});
