import { toJsonSchema } from '@langchain/core/utils/json_schema';
import type { ServerKit } from '@populace/server-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANALYSIS_TOOL_SPECS, createAnalysisTools } from './analysis-tools.js';
import { useTestKit } from './analyzer.fixture.js';
import { describeModel, describePopulation, listCatalog } from './catalog.js';

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

  it('lists and describes models and populations', async () => {
    const catalog = listCatalog(kit);
    expect(catalog.models.map((m) => m.id)).toEqual(['epi/sir', 'epi/seir', 'epi/covid', 'epi/h5n1']);
    expect(catalog.populations.find((p) => p.id === 'populations/nyc')!.attributes.people).toContain('income');
    expect(describeModel(kit, { model: 'covid' }).parameters.isolationDays!.default).toBe(14);
    expect(describePopulation(kit, { population: 'nyc' }).attributes.people!.ageBand!.labels![0]).toBe('0-4');
    expect(() => describeModel(kit, { model: 'flu' })).toThrow(expect.objectContaining({ code: 'unknown-id', message: expect.stringContaining('epi/covid') }));
    expect(() => listCatalog(kit, { x: 1 } as never)).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    const tools = createAnalysisTools(kit, { agents: 500 });
    const run = tools.find((t) => t.name === 'run_scenario')!;
    const result = JSON.parse((await run.invoke({ model: 'epi/sir', steps: 5 })) as string);
    expect(result.agents).toBe(500); // the default filled in
    expect(kit.store.require(result.runId).status).toBe('done');
  });
});
