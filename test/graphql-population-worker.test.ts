/**
 * The worker-thread population builder of @populace/server-kit, as the GraphQL
 * server uses it: a build in the worker has the agents of a build in this
 * thread, and its errors keep their codes. Imports the package build (the
 * worker runs its compiled entry).
 */
import { describe, expect, it } from 'vitest';
import { createRuntime } from '@populace/core';
import populations from '@populace/populations';
import { createPopulationBuilder } from '@populace/server-kit';

describe('createPopulationBuilder', () => {
  it('a build in a worker thread has the agents of a build in this thread', async () => {
    const runtime = createRuntime({ plugins: [populations], backend: 'cpu' });
    const build = createPopulationBuilder({ source: { modules: [import.meta.resolve('@populace/populations')] }, offThreadAgents: 1 });
    const off = await build(runtime, 'populations/nyc', 3000, 7);
    const here = await runtime.populations.get('populations/nyc').definition.build({ agents: 3000, seed: 7 });
    expect(off.agents.people!.count).toBe(here.agents.people!.count);
    for (const [name, values] of Object.entries(here.agents.people!.attributes ?? {})) expect(Array.from(off.agents.people!.attributes![name]!), name).toEqual(Array.from(values));
    expect(off.agents.people!.labels).toEqual(here.agents.people!.labels);
  });

  it('with networks: true, returns the contact networks of a build in this thread', async () => {
    const runtime = createRuntime({ plugins: [populations], backend: 'cpu' });
    const build = createPopulationBuilder({ source: { modules: [import.meta.resolve('@populace/populations')] }, offThreadAgents: 1 });
    const off = await build(runtime, 'populations/nyc', 3000, 7, { networks: true });
    const here = await runtime.populations.get('populations/nyc').definition.build({ agents: 3000, seed: 7 });
    expect(Object.keys(off.networks ?? {}).sort()).toEqual(Object.keys(here.networks ?? {}).sort());
    for (const [name, net] of Object.entries(here.networks ?? {})) {
      const got = off.networks![name]!;
      expect(got.agents, name).toBe(net.agents);
      if (net.kind === 'hashed') expect(got).toEqual(net);
      else {
        expect(got.kind === 'hashed' ? null : got.rowPtr, name).toEqual(net.rowPtr);
        expect(got.kind === 'hashed' ? null : got.colIdx, name).toEqual(net.colIdx);
      }
    }
    // statistics do not need them: without the option none come back
    expect((await build(runtime, 'populations/nyc', 3000, 7)).networks).toBeUndefined();
    expect(build.stats()).toMatchObject({ inWorker: 2, inThread: 0, aborted: 0 });
    // each worker is terminated once it answered
    for (let i = 0; i < 500 && build.stats().workers > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(build.stats().workers).toBe(0);
  });

  it('an aborted signal rejects with aborted, and a build below offThreadAgents stays in this thread', async () => {
    const runtime = createRuntime({ plugins: [populations], backend: 'cpu' });
    const build = createPopulationBuilder({ source: { modules: [import.meta.resolve('@populace/populations')] }, offThreadAgents: 5000 });
    const controller = new AbortController();
    controller.abort();
    await expect(build(runtime, 'populations/nyc', 6000, 1, { signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' });
    const small = await build(runtime, 'populations/nyc', 2000, 1, { networks: true });
    expect(small.agents.people!.count).toBe(2000);
    expect(Object.keys(small.networks ?? {}).length).toBeGreaterThan(0);
    expect(build.stats()).toEqual({ inWorker: 0, inThread: 1, aborted: 1, workers: 0 });
  });

  it('an unknown population fails with the registry error', async () => {
    const runtime = createRuntime({ plugins: [populations], backend: 'cpu' });
    const build = createPopulationBuilder({ source: { modules: [import.meta.resolve('@populace/populations')] }, offThreadAgents: 1 });
    await expect(build(runtime, 'populations/nowhere', 3000, 7)).rejects.toMatchObject({ code: 'unknown-id' });
  });
});
