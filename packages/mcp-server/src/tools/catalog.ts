/**
 * Tools that describe what the server offers: list_models, describe_model,
 * list_populations.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { listModels, listOdeComponents, listPopulations, needsText } from '@populace/server-kit';
import { z } from 'zod';
import type { ToolContext } from '../context.js';
import { guarded, ok } from '../tool-result.js';

const modelSummary = z.object({ id: z.string(), plugin: z.string(), description: z.string(), parameters: z.array(z.string()), learnable: z.array(z.string()), metrics: z.array(z.string()), defaultAgents: z.number(), populations: z.array(z.string()) });
const attributeInfo = z.object({ description: z.string(), kind: z.enum(['category', 'number', 'id']), labels: z.array(z.string()).optional(), ordered: z.boolean().optional(), unit: z.string().optional() });
const populationSummary = z.object({ id: z.string(), plugin: z.string(), description: z.string(), defaultAgents: z.number(), maxAgents: z.number(), agentTypes: z.array(z.string()), networks: z.array(z.string()), attributes: z.record(z.string(), z.record(z.string(), attributeInfo)), models: z.array(z.string()) });
const behaviorSlot = z.object({ agentType: z.string(), description: z.string(), range: z.tuple([z.number(), z.number()]).nullable(), context: z.record(z.string(), z.string()) });

const odeComponentSummary = z.object({ id: z.string(), plugin: z.string(), description: z.string(), state: z.array(z.string()), parameters: z.record(z.string(), z.object({ default: z.number(), bounds: z.tuple([z.number().nullable(), z.number().nullable()]), learnable: z.boolean(), unit: z.string().optional(), description: z.string().optional() })), inputs: z.array(z.string()), outputs: z.array(z.string()) });

const bounds = (b: readonly [number | null, number | null]): string => `[${b[0] ?? '-inf'}, ${b[1] ?? 'inf'}]`;

/** Registers list_models, describe_model and list_populations. */
export function registerCatalogTools(server: McpServer, ctx: ToolContext): void {
  const { runtime } = ctx.kit;
  server.registerTool(
    'list_models',
    {
      title: 'List models',
      description: 'Lists the simulation models this server can run, with their parameters (learnable ones can be calibrated) and the metrics they report, and the ODE components plugins contribute (state, parameters, outputs).',
      inputSchema: {},
      outputSchema: { models: z.array(modelSummary), odeComponents: z.array(odeComponentSummary) },
      annotations: { readOnlyHint: true },
    },
    () =>
      guarded('list_models', ctx.log, () => {
        const models = listModels(runtime);
        const text = models.map((m) => `${m.id}: ${m.description}\n  parameters: ${m.parameters.join(', ')} (learnable: ${m.learnable.join(', ') || 'none'})\n  metrics: ${m.metrics.join(', ')}\n  populations it runs on: ${m.populations.join(', ') || 'none loaded (it runs without one)'}`).join('\n');
        const odeComponents = listOdeComponents(runtime);
        const odeText = odeComponents.map((c) => `${c.id}: ${c.description}\n  state: ${c.state.join(', ')}; parameters: ${Object.entries(c.parameters).map(([n, p]) => `${n} = ${p.default}${p.unit ? ` ${p.unit}` : ''}`).join(', ') || 'none'}; outputs: ${c.outputs.join(', ') || 'none'}`).join('\n');
        return ok(`${models.length} models:\n${text}\nUse describe_model for bounds and meanings.${odeComponents.length ? `\n${odeComponents.length} ODE components (building blocks of models, not runnable on their own):\n${odeText}` : ''}`, { models, odeComponents });
      }),
  );

  server.registerTool(
    'describe_model',
    {
      title: 'Describe a model',
      description: 'Describes one model: its state (agent types, properties, networks), its parameters with defaults, bounds, units and meaning, and its metrics.',
      inputSchema: { model: z.string().min(1).describe("Model id, full ('example/network-sir') or bare ('network-sir').") },
      outputSchema: {
        id: z.string(),
        plugin: z.string(),
        description: z.string(),
        parameters: z.record(z.string(), z.object({ default: z.union([z.number(), z.array(z.number())]), bounds: z.tuple([z.number().nullable(), z.number().nullable()]), learnable: z.boolean(), integer: z.boolean(), description: z.string().optional(), unit: z.string().optional() })),
        metrics: z.record(z.string(), z.object({ description: z.string().optional() })),
        agentTypes: z.record(z.string(), z.unknown()),
        environment: z.record(z.string(), z.unknown()),
        networks: z.record(z.string(), z.unknown()),
        substeps: z.array(z.object({ name: z.string(), description: z.string().optional(), reads: z.array(z.string()), writes: z.array(z.string()) })),
        behaviors: z.record(z.string(), behaviorSlot),
        needs: z.object({ agents: z.record(z.string(), z.unknown()), networks: z.record(z.string(), z.unknown()) }),
        populations: z.array(z.string()),
      },
      annotations: { readOnlyHint: true },
    },
    ({ model }) =>
      guarded('describe_model', ctx.log, () => {
        const d = runtime.describeModel(model);
        const populations = runtime.populationsFor(d.id);
        const params = Object.entries(d.parameters).map(([n, p]) => `  ${n} = ${JSON.stringify(p.default)} in ${bounds(p.bounds)}${p.unit ? ` ${p.unit}` : ''}${p.learnable ? ' (learnable)' : ''}${p.description ? `: ${p.description}` : ''}`);
        const metrics = Object.entries(d.metrics).map(([n, m]) => `  ${n}${m.description ? `: ${m.description}` : ''}`);
        const networks = Object.keys(d.networks);
        const slots = Object.entries(d.behaviors).map(([n, b]) => `  ${n} (${b.agentType}${b.range ? `, values in [${b.range.join(', ')}]` : ''}): ${b.description}`);
        const text = [`${d.id}: ${d.description}`, 'Parameters (default, bounds):', ...params, 'Metrics:', ...metrics, ...(networks.length ? [`Networks it uses: ${networks.join(', ')}`] : []), `Needs from a population: ${needsText(d.needs)}`, `Populations it runs on: ${populations.join(', ') || 'none loaded (it runs without one)'}`, ...(slots.length ? ['Behaviour slots (filled by an LLM archetype or another behaviour):', ...slots] : [])].join('\n');
        return ok(text, JSON.parse(JSON.stringify({ ...d, populations })) as Record<string, unknown>);
      }),
  );

  server.registerTool(
    'list_populations',
    {
      title: 'List populations',
      description: 'Lists the populations models can run on, with their default and maximum agent counts, the agent types, attributes and networks they provide, and the models that can run on each.',
      inputSchema: {},
      outputSchema: { populations: z.array(populationSummary) },
      annotations: { readOnlyHint: true },
    },
    () =>
      guarded('list_populations', ctx.log, () => {
        const populations = listPopulations(runtime);
        const attrs = (p: (typeof populations)[number]) => Object.entries(p.attributes).map(([type, schema]) => `${type}: ${Object.keys(schema).join(', ')}`).join('; ');
        const text = populations.map((p) => `${p.id}: ${p.description}\n  agents: default ${p.defaultAgents}, at most ${p.maxAgents}; networks: ${p.networks.join(', ') || 'none'}${attrs(p) ? `; attributes: ${attrs(p)}` : ''}\n  models that fit: ${p.models.join(', ') || 'none loaded'}`).join('\n');
        return ok(`${populations.length} populations:\n${text}`, { populations });
      }),
  );
}
