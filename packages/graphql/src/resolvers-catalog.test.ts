/**
 * The catalog queries through `yoga.fetch`, checked against core's own
 * descriptions of the example plugin.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime, type PopulationDescription, type Runtime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { DEFAULT_LIMITS } from '@populace/server-kit';
import { DEFAULT_QUERY_LIMITS } from './query-limits.js';
import { removeTempDirs, testServer } from './yoga.fixture.js';

const server = testServer({ limits: { maxAgents: 100_000 } });
const runtime: Runtime = createRuntime({ plugins: [examplePlugin], backend: 'cpu' });
afterAll(async () => {
  await server.kit.close();
  removeTempDirs();
});

describe('models, model, populations, population, server', () => {
  it('models lists every model with its parameters, bounds and metrics as core describes them', async () => {
    const { data, errors } = await server.gql(`{ models { id plugin description defaultAgents
      parameters { name description unit default defaultValues lower upper learnable integer timeVarying }
      metrics { name description } } }`);
    expect(errors).toBeUndefined();
    expect(data!.models.map((m: { id: string }) => m.id)).toEqual(runtime.models.ids());
    for (const m of data!.models) {
      const d = runtime.describeModel(m.id);
      expect(m.plugin).toBe('example');
      expect(m.description).toBe(d.description);
      expect(m.defaultAgents).toBe(runtime.models.get(m.id).definition.defaultAgents);
      expect(m.metrics).toEqual(Object.entries(d.metrics).map(([name, v]) => ({ name, description: v.description ?? null })));
      expect(m.parameters.map((p: { name: string }) => p.name)).toEqual(Object.keys(d.parameters));
      for (const p of m.parameters) {
        const spec = d.parameters[p.name]!;
        expect([p.lower, p.upper]).toEqual(spec.bounds);
        expect(p.learnable).toBe(spec.learnable);
        expect(p.timeVarying).toBe(Array.isArray(spec.default));
        expect(p.defaultValues).toEqual(Array.isArray(spec.default) ? spec.default : [spec.default]);
        expect(p.default).toBe(Array.isArray(spec.default) ? null : spec.default);
      }
    }
    const sir = data!.models.find((m: { id: string }) => m.id === 'example/network-sir');
    expect(sir.parameters.find((p: { name: string }) => p.name === 'beta')).toMatchObject({ default: 0.05, lower: 0, upper: 5, learnable: true, unit: '1/day' });
  });

  it('model(id) takes a bare id and lists state, networks and substeps', async () => {
    const { data, errors } = await server.gql(`{ model(id: "network-sir") { id
      agentTypes { name properties { name dtype shape description } }
      environment { name dtype shape } networks { name agents layer optional } substeps { name reads writes } } }`);
    expect(errors).toBeUndefined();
    const d = runtime.describeModel('network-sir');
    expect(data!.model.id).toBe('example/network-sir');
    expect(data!.model.agentTypes).toEqual([
      { name: 'people', properties: Object.entries(d.agentTypes.people!.properties).map(([name, p]) => ({ name, dtype: p.dtype, shape: p.shape, description: p.description ?? null })) },
    ]);
    expect(data!.model.environment).toEqual([{ name: 'newInfections', dtype: 'float32', shape: [] }]);
    expect(data!.model.networks).toEqual([{ name: 'contacts', agents: 'people', layer: 'contacts', optional: false }]);
    expect(data!.model.substeps).toEqual(d.substeps.map((s) => ({ name: s.name, reads: s.reads, writes: s.writes })));
  });

  it('populations and population(id) are core descriptions', async () => {
    const { data, errors } = await server.gql('{ populations { id plugin description defaultAgents maxAgents agentTypes networks attributes { agentType name kind } } population(id: "random-graph") { id maxAgents } }');
    expect(errors).toBeUndefined();
    const flatten = (a: PopulationDescription['attributes']) => Object.entries(a).flatMap(([agentType, s]) => Object.entries(s).map(([name, i]) => ({ agentType, name, kind: i.kind })));
    expect(data!.populations).toEqual(runtime.populations.ids().map((id) => runtime.describePopulation(id)).map((d) => ({ ...d, attributes: flatten(d.attributes) })));
    expect(data!.population).toEqual({ id: 'example/random-graph', maxAgents: runtime.describePopulation('random-graph').maxAgents });
  });

  it('server reports the executor and the limits in force (null for none)', async () => {
    const { data, errors } = await server.gql('{ server { concurrency running queued limits { maxAgents maxSteps maxWallMs maxQueryDepth maxQueryCost } } }');
    expect(errors).toBeUndefined();
    expect(data!.server).toEqual({
      concurrency: 2,
      running: 0,
      queued: 0,
      limits: { maxAgents: 100_000, maxSteps: DEFAULT_LIMITS.maxSteps, maxWallMs: DEFAULT_LIMITS.maxWallMs, maxQueryDepth: DEFAULT_QUERY_LIMITS.maxDepth, maxQueryCost: DEFAULT_QUERY_LIMITS.maxCost },
    });
  });

  it('unknown and ambiguous ids are UNKNOWN_ID errors that list the known ids; the rest of the query still answers', async () => {
    const { data, errors } = await server.gql('{ models { id } model(id: "network-sri") { id } population(id: "nowhere") { id } }');
    expect(data!.models).toHaveLength(3);
    expect(data!.model).toBeNull();
    expect(data!.population).toBeNull();
    expect(errors).toHaveLength(2);
    const [model, population] = [errors!.find((e) => e.path?.[0] === 'model')!, errors!.find((e) => e.path?.[0] === 'population')!];
    expect(model.extensions!.code).toBe('UNKNOWN_ID');
    expect(model.message).toContain("Did you mean 'example/network-sir'?");
    expect(model.extensions!.details!.known).toEqual(runtime.models.ids());
    expect(population.extensions!.code).toBe('UNKNOWN_ID');
    expect(population.message).toContain('example/random-graph');
  });
});
