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

  it('an unknown population fails with the registry error', async () => {
    const runtime = createRuntime({ plugins: [populations], backend: 'cpu' });
    const build = createPopulationBuilder({ source: { modules: [import.meta.resolve('@populace/populations')] }, offThreadAgents: 1 });
    await expect(build(runtime, 'populations/nowhere', 3000, 7)).rejects.toMatchObject({ code: 'unknown-id' });
  });
});
