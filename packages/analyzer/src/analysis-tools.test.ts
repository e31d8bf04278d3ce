import { toJsonSchema } from '@langchain/core/utils/json_schema';
import { findOperation, wireInput, type ServerKit } from '@populace/server-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANALYSIS_TOOL_SPECS, createAnalysisTools, OPERATION_TOOLS } from './analysis-tools.js';
import { useTestKit } from './analyzer.fixture.js';
import { describePopulation } from './catalog.js';

const testKitOf = useTestKit();
let kit: ServerKit;
beforeAll(() => {
  kit = testKitOf();
});

describe('analysis tools', () => {
  it('convert to JSON schema for providers, with descriptions on every field', () => {
    for (const spec of ANALYSIS_TOOL_SPECS) {
      const schema = toJsonSchema(spec.schema) as { type: string; properties: Record<string, { description?: string }>; additionalProperties?: boolean };
      expect(schema.type, spec.name).toBe('object');
      expect(schema.additionalProperties, spec.name).toBe(false);
      for (const [field, p] of Object.entries(schema.properties)) expect(p.description, `${spec.name}.${field}`).toBeTruthy();
      expect(spec.description.length).toBeGreaterThan(40);
    }
    expect(new Set(ANALYSIS_TOOL_SPECS.map((s) => s.name)).size).toBe(ANALYSIS_TOOL_SPECS.length);
  });

  it('offers the catalog operations as declared in server-kit (name, description, input)', () => {
    for (const name of OPERATION_TOOLS) {
      const op = findOperation(name)!;
      const spec = ANALYSIS_TOOL_SPECS.find((s) => s.name === name)!;
      expect(spec.description).toBe(op.description);
      expect(toJsonSchema(spec.schema)).toEqual(toJsonSchema(wireInput(op)));
    }
  });

  it('lists and describes models and populations', async () => {
    const tools = createAnalysisTools(kit, { agents: 500 });
    const call = async (name: string, input: Record<string, unknown>) => JSON.parse((await tools.find((t) => t.name === name)!.invoke(input)) as string);
    const catalog = await call('list_models', {});
    expect(catalog.models.map((m: { id: string }) => m.id)).toEqual(kit.runtime.models.ids());
    expect(catalog.models.map((m: { id: string }) => m.id)).toEqual(['epi/sir', 'epi/seir', 'epi/covid', 'epi/h5n1']);
    const populations = await call('list_populations', {});
    expect(Object.keys(populations.populations.find((p: { id: string }) => p.id === 'populations/nyc')!.attributes.people)).toContain('income');
    expect((await call('describe_model', { model: 'covid' })).parameters.isolationDays.default).toBe(14);
    expect(describePopulation(kit, { population: 'nyc' }).attributes.people!.ageBand!.labels![0]).toBe('0-4');
    const spec = (name: string) => ANALYSIS_TOOL_SPECS.find((s) => s.name === name)!;
    await expect(spec('describe_model').run(kit, { model: 'flu' }, {})).rejects.toMatchObject({ code: 'unknown-id', message: expect.stringContaining('epi/covid') });
    await expect(spec('list_models').run(kit, { x: 1 }, {})).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining("unknown key 'x'") });
    const run = tools.find((t) => t.name === 'run_scenario')!;
    const result = JSON.parse((await run.invoke({ model: 'epi/sir', steps: 5 })) as string);
    expect(result.agents).toBe(500); // the default filled in
    expect(kit.store.require(result.runId).status).toBe('done');
  });
});
