/**
 * The catalog operations: list_models, describe_model, list_populations.
 */
import type { PopulationNeeds } from '@populace/core';
import { z } from 'zod';
import { listModels, listOdeComponents, listPopulations, needsText } from '../catalog.js';
import { defineOperation } from './define-operation.js';

const modelSummary = z.object({ id: z.string(), plugin: z.string(), description: z.string(), parameters: z.array(z.string()), learnable: z.array(z.string()), metrics: z.array(z.string()), defaultAgents: z.number(), populations: z.array(z.string()) });
const attributeInfo = z.object({ description: z.string(), kind: z.enum(['category', 'number', 'id']), labels: z.array(z.string()).optional(), ordered: z.boolean().optional(), unit: z.string().optional() });
const populationSummary = z.object({ id: z.string(), plugin: z.string(), description: z.string(), defaultAgents: z.number(), maxAgents: z.number(), agentTypes: z.array(z.string()), networks: z.array(z.string()), attributes: z.record(z.string(), z.record(z.string(), attributeInfo)), models: z.array(z.string()) });
const behaviorSlot = z.object({ agentType: z.string(), description: z.string(), range: z.tuple([z.number(), z.number()]).nullable(), context: z.record(z.string(), z.string()) });

const odeComponentSummary = z.object({ id: z.string(), plugin: z.string(), description: z.string(), state: z.array(z.string()), parameters: z.record(z.string(), z.object({ default: z.number(), bounds: z.tuple([z.number().nullable(), z.number().nullable()]), learnable: z.boolean(), unit: z.string().optional(), description: z.string().optional() })), inputs: z.array(z.string()), outputs: z.array(z.string()) });

const bounds = (b: readonly [number | null, number | null]): string => `[${b[0] ?? '-inf'}, ${b[1] ?? 'inf'}]`;

/** list_models: every model with its parameters and metrics, and the ODE components plugins contribute. */
export const listModelsOperation = defineOperation({
  name: 'list_models',
  title: 'List models',
  description: 'Lists the simulation models this server can run, with their parameters (learnable ones can be calibrated) and the metrics they report, and the ODE components plugins contribute (state, parameters, outputs).',
  readOnly: true,
  input: z.object({}),
  output: z.object({ models: z.array(modelSummary), odeComponents: z.array(odeComponentSummary) }),
  text: ({ models, odeComponents }) => {
    const text = `${models.length} models:\n${models.map((m) => `${m.id}: ${m.description}\n  parameters: ${m.parameters.join(', ')} (learnable: ${m.learnable.join(', ') || 'none'})\n  metrics: ${m.metrics.join(', ')}\n  populations it runs on: ${m.populations.join(', ') || 'none loaded (it runs without one)'}`).join('\n')}\nUse describe_model for bounds and meanings.`;
    const ode = odeComponents.map((c) => `${c.id}: ${c.description}\n  state: ${c.state.join(', ')}; parameters: ${Object.entries(c.parameters).map(([n, p]) => `${n} = ${p.default}${p.unit ? ` ${p.unit}` : ''}`).join(', ') || 'none'}; outputs: ${c.outputs.join(', ') || 'none'}`).join('\n');
    return odeComponents.length ? `${text}\n${odeComponents.length} ODE components (building blocks of models, not runnable on their own):\n${ode}` : text;
  },
  run: async (_input, { runtime }) => ({
    models: listModels(runtime).map((m) => ({ ...m, parameters: [...m.parameters], learnable: [...m.learnable], metrics: [...m.metrics], populations: [...m.populations] })),
    odeComponents: listOdeComponents(runtime).map((c) => ({ ...c, state: [...c.state], inputs: [...c.inputs], outputs: [...c.outputs], parameters: Object.fromEntries(Object.entries(c.parameters).map(([n, p]) => [n, { ...p, bounds: [p.bounds[0], p.bounds[1]] as [number | null, number | null] }])) })),
  }),
});

/** describe_model: one model in full. */
export const describeModelOperation = defineOperation({
  name: 'describe_model',
  title: 'Describe a model',
  description: 'Describes one model: its state (agent types, properties, networks), its parameters with defaults, bounds, units and meaning, and its metrics.',
  readOnly: true,
  input: z.object({ model: z.string().min(1).describe("Model id, full ('example/network-sir') or bare ('network-sir').") }),
  output: z.object({
    id: z.string(),
    plugin: z.string(),
    description: z.string(),
    parameters: z.record(z.string(), z.object({ default: z.union([z.number(), z.array(z.number())]), bounds: z.tuple([z.number().nullable(), z.number().nullable()]), learnable: z.boolean(), integer: z.boolean(), description: z.string().optional(), unit: z.string().optional() })),
    metrics: z.record(z.string(), z.object({ description: z.string().optional(), unit: z.string().optional() })),
    inputs: z.record(z.string(), z.object({ description: z.string(), unit: z.string().optional(), default: z.union([z.number(), z.object({ length: z.number() }), z.null()]) })),
    agentTypes: z.record(z.string(), z.unknown()),
    environment: z.record(z.string(), z.unknown()),
    networks: z.record(z.string(), z.unknown()),
    substeps: z.array(z.object({ name: z.string(), description: z.string().optional(), reads: z.array(z.string()), writes: z.array(z.string()) })),
    behaviors: z.record(z.string(), behaviorSlot),
    needs: z.object({ agents: z.record(z.string(), z.unknown()), networks: z.record(z.string(), z.unknown()) }),
    populations: z.array(z.string()),
  }),
  text: (d) => {
    const params = Object.entries(d.parameters).map(([n, p]) => `  ${n} = ${JSON.stringify(p.default)} in ${bounds(p.bounds)}${p.unit ? ` ${p.unit}` : ''}${p.learnable ? ' (learnable)' : ''}${p.description ? `: ${p.description}` : ''}`);
    const metrics = Object.entries(d.metrics).map(([n, m]) => `  ${n}${m.description ? `: ${m.description}` : ''}`);
    const networks = Object.keys(d.networks);
    const inputs = Object.entries(d.inputs).map(([n, i]) => `  ${n}${i.unit ? ` (${i.unit})` : ''}: ${i.description}; default ${i.default === null ? 'none (must be given)' : typeof i.default === 'number' ? i.default : `a series of ${i.default.length} steps`}`);
    const slots = Object.entries(d.behaviors).map(([n, b]) => `  ${n} (${b.agentType}${b.range ? `, values in [${b.range.join(', ')}]` : ''}): ${b.description}`);
    return [`${d.id}: ${d.description}`, 'Parameters (default, bounds):', ...params, 'Metrics:', ...metrics, ...(inputs.length ? ['Inputs (exogenous series, fed as data or linked from another model):', ...inputs] : []), ...(networks.length ? [`Networks it uses: ${networks.join(', ')}`] : []), `Needs from a population: ${needsText(d.needs as unknown as PopulationNeeds)}`, `Populations it runs on: ${d.populations.join(', ') || 'none loaded (it runs without one)'}`, ...(slots.length ? ['Behaviour slots (filled by an LLM archetype or another behaviour):', ...slots] : [])].join('\n');
  },
  run: async ({ model }, { runtime }) => {
    const d = runtime.describeModel(model);
    return JSON.parse(JSON.stringify({ ...d, populations: runtime.populationsFor(d.id) })) as never;
  },
});

/** list_populations: every population and the models that fit it. */
export const listPopulationsOperation = defineOperation({
  name: 'list_populations',
  title: 'List populations',
  description: 'Lists the populations models can run on, with their default and maximum agent counts, the agent types, attributes and networks they provide, and the models that can run on each.',
  readOnly: true,
  input: z.object({}),
  output: z.object({ populations: z.array(populationSummary) }),
  text: ({ populations }) => {
    const attrs = (p: (typeof populations)[number]) => Object.entries(p.attributes).map(([type, schema]) => `${type}: ${Object.keys(schema).join(', ')}`).join('; ');
    return `${populations.length} populations:\n${populations.map((p) => `${p.id}: ${p.description}\n  agents: default ${p.defaultAgents}, at most ${p.maxAgents}; networks: ${p.networks.join(', ') || 'none'}${attrs(p) ? `; attributes: ${attrs(p)}` : ''}\n  models that fit: ${p.models.join(', ') || 'none loaded'}`).join('\n')}`;
  },
  run: async (_input, { runtime }) => JSON.parse(JSON.stringify({ populations: listPopulations(runtime) })) as never,
});

