/**
 * Resolvers of the catalog: models, populations and the server's limits.
 * Models are core's descriptions (`runtime.describeModel`) with their maps
 * turned into lists.
 */
import type { ModelDescription, PopulationDescription, Runtime } from '@populace/core';
import { listModels, listOdeComponents, listPopulations, needRows, type Executor, type OdeComponentSummary } from '@populace/server-kit';
import type { QueryLimits } from './query-limits.js';
import { finite } from './values.js';

/** A model as the Model type's resolvers receive it. */
export type ModelSource = ModelDescription & { readonly defaultAgents: number };

function modelSource(runtime: Runtime, id: string): ModelSource {
  const description = runtime.describeModel(id);
  return { ...description, defaultAgents: runtime.models.get(description.id).definition.defaultAgents };
}

const described = <T extends { description?: string | undefined }>(name: string, value: T) => ({ name, ...value, description: value.description ?? null });

/** Query fields and type resolvers of the catalog. */
export function catalogResolvers(kit: { readonly runtime: Runtime; readonly executor: Executor }, queryLimits: QueryLimits) {
  const { runtime } = kit;
  return {
    Query: {
      models: (): ModelSource[] => listModels(runtime).map((m) => modelSource(runtime, m.id)),
      model: (_: unknown, { id }: { id: string }): ModelSource => modelSource(runtime, id),
      populations: (): PopulationDescription[] => listPopulations(runtime),
      population: (_: unknown, { id }: { id: string }): PopulationDescription => runtime.describePopulation(id),
      odeComponents: (): OdeComponentSummary[] => listOdeComponents(runtime),
      server: () => {
        const stats = kit.executor.stats();
        const limits = kit.executor.limits;
        return {
          ...stats,
          memoryBudget: finite(stats.memoryBudget),
          limits: { ...Object.fromEntries(Object.entries(limits).map(([k, v]) => [k, finite(v)])), maxQueryDepth: finite(queryLimits.maxDepth), maxQueryCost: finite(queryLimits.maxCost) },
        };
      },
    },
    Model: {
      parameters: (m: ModelSource) =>
        Object.entries(m.parameters).map(([name, p]) => {
          const timeVarying = Array.isArray(p.default);
          return {
            name,
            description: p.description ?? null,
            unit: p.unit ?? null,
            default: timeVarying ? null : (p.default as number),
            defaultValues: timeVarying ? [...(p.default as number[])] : [p.default as number],
            lower: p.bounds[0],
            upper: p.bounds[1],
            learnable: p.learnable,
            integer: p.integer,
            timeVarying,
          };
        }),
      metrics: (m: ModelSource) => Object.entries(m.metrics).map(([name, v]) => described(name, v)),
      agentTypes: (m: ModelSource) =>
        Object.entries(m.agentTypes).map(([name, a]) => ({ name, description: a.description ?? null, properties: Object.entries(a.properties).map(([k, p]) => described(k, p)) })),
      environment: (m: ModelSource) => Object.entries(m.environment).map(([name, e]) => described(name, e)),
      networks: (m: ModelSource) => Object.entries(m.networks).map(([name, n]) => described(name, n)),
      substeps: (m: ModelSource) => m.substeps.map((s) => ({ ...s, description: s.description ?? null })),
      needs: (m: ModelSource) => needRows(m.needs),
      populations: (m: ModelSource) => runtime.populationsFor(m.id),
      behaviors: (m: ModelSource) =>
        Object.entries(m.behaviors).map(([name, b]) => ({ name, agentType: b.agentType, description: b.description, range: b.range, context: Object.entries(b.context).map(([k, d]) => ({ name: k, description: d })) })),
    },
    OdeComponent: {
      parameters: (c: OdeComponentSummary) =>
        Object.entries(c.parameters).map(([name, p]) => ({ name, description: p.description ?? null, unit: p.unit ?? null, default: p.default, defaultValues: [p.default], lower: p.bounds[0], upper: p.bounds[1], learnable: p.learnable, integer: false, timeVarying: false })),
    },
    Population: {
      models: (p: PopulationDescription) => runtime.modelsFor(p.id),
      attributes: (p: PopulationDescription) =>
        Object.entries(p.attributes).flatMap(([agentType, schema]) =>
          Object.entries(schema).map(([name, a]) => ({ agentType, name, description: a.description, kind: a.kind, labels: a.labels ?? null, unit: a.unit ?? null })),
        ),
    },
  };
}
