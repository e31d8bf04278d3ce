/**
 * The documents the analyzer retrieves from, as text: a card per model and
 * population (from the runtime's descriptions) and a note per recorded run
 * (model, population, parameters changed from the defaults, results).
 */
import { Document } from '@langchain/core/documents';
import type { ParamValue, Runtime } from '@populace/core';
import type { RunRecord, RunStore, SensitivityOutcome, CalibrateOutcome, ScenariosOutcome } from '@populace/server-kit';
import { summarizeRun } from '../run-outcome.js';

/** What a document is. */
export type DocumentKind = 'model' | 'population' | 'run' | 'document';

/** Metadata of every indexed document. */
export interface DocumentMeta {
  readonly id: string;
  readonly kind: DocumentKind;
  readonly title: string;
  readonly [key: string]: unknown;
}

const short = (v: ParamValue): string => (typeof v === 'number' ? String(v) : v.every((x) => x === v[0]) ? `${v[0]} in every one of ${v.length} periods` : `[${v.join(', ')}]`);
const num = (v: number | null): string => (v === null ? '-' : Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(Math.round(v * 1000) / 1000));

/** The card of model `id`: description, parameters (default, bounds, learnable, meaning), metrics, behaviours. */
export function modelCard(runtime: Runtime, id: string): Document<DocumentMeta> {
  const d = runtime.describeModel(id);
  const params = Object.entries(d.parameters).map(([name, p]) => `${name}${p.description ? ` (${p.description})` : ''}: default ${short(p.default)}, bounds [${p.bounds[0] ?? '-inf'}, ${p.bounds[1] ?? 'inf'}]${p.learnable ? ', learnable' : ''}${p.unit ? `, unit ${p.unit}` : ''}`);
  const metrics = Object.entries(d.metrics).map(([name, m]) => `${name}${m.description ? ` (${m.description})` : ''}`);
  const behaviors = Object.entries(d.behaviors).map(([name, b]) => `${name} (${b.description})`);
  const text = [
    `Model ${d.id} (plugin ${d.plugin}). ${d.description}`,
    `Agent types: ${Object.entries(d.agentTypes).map(([t, a]) => `${t}${a.description ? ` (${a.description})` : ''}`).join('; ')}.`,
    Object.keys(d.networks).length > 0 ? `Contact networks it uses: ${Object.entries(d.networks).map(([n, x]) => `${n}${x.optional ? ' (optional)' : ''}`).join(', ')}.` : '',
    `Metrics (one value per step): ${metrics.join('; ')}.`,
    behaviors.length > 0 ? `Behaviour slots: ${behaviors.join('; ')}.` : '',
    `Parameters: ${params.join('; ')}.`,
    `Substeps: ${d.substeps.map((s) => `${s.name}${s.description ? ` (${s.description})` : ''}`).join('; ')}.`,
  ]
    .filter(Boolean)
    .join('\n');
  return new Document({ pageContent: text, metadata: { id: `model:${d.id}`, kind: 'model', title: `Model ${d.id}`, model: d.id }, id: `model:${d.id}` });
}

/** The card of population `id`: description, sizes, agent types, networks, attributes with labels. */
export function populationCard(runtime: Runtime, id: string): Document<DocumentMeta> {
  const p = runtime.describePopulation(id);
  const attributes = Object.entries(p.attributes).flatMap(([type, schema]) =>
    Object.entries(schema).map(([name, a]) => `${type}.${name} (${a.kind}: ${a.description}${a.labels ? `; labels ${a.labels.join(', ')}` : ''}${a.unit ? `; unit ${a.unit}` : ''})`),
  );
  const text = [
    `Population ${p.id} (plugin ${p.plugin}). ${p.description}`,
    `Default ${p.defaultAgents.toLocaleString('en-US')} agents, at most ${p.maxAgents.toLocaleString('en-US')}. Agent types: ${p.agentTypes.join(', ')}.`,
    p.networks.length > 0 ? `Contact networks (layers): ${p.networks.join(', ')}.` : 'No contact networks (homogeneous mixing).',
    attributes.length > 0 ? `Attributes: ${attributes.join('; ')}.` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return new Document({ pageContent: text, metadata: { id: `population:${p.id}`, kind: 'population', title: `Population ${p.id}`, population: p.id }, id: `population:${p.id}` });
}

function changedParams(runtime: Runtime, record: RunRecord): string[] {
  let defaults: Record<string, ParamValue> = {};
  try {
    defaults = Object.fromEntries(Object.entries(runtime.models.get(record.model).definition.parameters).map(([k, s]) => [k, s.default]));
  } catch {
    // a model of a plugin this runtime does not have: list every parameter
  }
  return Object.entries(record.params)
    .filter(([k, v]) => JSON.stringify(defaults[k]) !== JSON.stringify(v))
    .map(([k, v]) => `${k} = ${short(v)}`);
}

function resultText(store: RunStore, record: RunRecord): string {
  if (record.status !== 'done') return `It ended as ${record.status}${record.error ? `: ${record.error.message}` : ''}.`;
  if (record.kind === 'sensitivity') {
    const s = record.result as SensitivityOutcome;
    return `Sensitivity of ${s.output.metric}:${s.output.agg} (value ${num(s.output.value)}); largest elasticities: ${s.entries.slice(0, 5).map((e) => `${e.param}${e.index === undefined ? '' : `[${e.index}]`} ${num(e.elasticity)}`).join(', ')}.`;
  }
  if (record.kind === 'calibrate') {
    const c = record.result as CalibrateOutcome;
    return `Calibration reached loss ${num(c.loss)} after ${c.epochs} epochs; fitted ${Object.entries(c.params).map(([k, v]) => `${k} = ${short(v)}`).join(', ')}.`;
  }
  if (record.kind === 'scenarios') {
    const s = record.result as ScenariosOutcome;
    return `Scenario sweep over seeds ${s.seeds.join(', ')}: ${s.scenarios.map((x) => `${x.name} (${Object.entries(x.params).map(([k, v]) => `${k} = ${short(v)}`).join(', ') || 'defaults'})`).join('; ')}.`;
  }
  const summary = summarizeRun(store, record.id);
  return `Results per metric (total over steps, peak at step, final): ${Object.entries(summary).map(([m, s]) => `${m} total ${num(s.total)}, peak ${num(s.peak)} at step ${num(s.peakStep)}, final ${num(s.final)}`).join('; ')}.`;
}

/** The note of a recorded run: what ran (model, population, size, seed, changed parameters) and what came out. */
export function runNote(runtime: Runtime, store: RunStore, record: RunRecord): Document<DocumentMeta> {
  const changed = changedParams(runtime, record);
  const text = [
    `Run ${record.id}: a ${record.kind} job of model ${record.model}${record.population ? ` on population ${record.population}` : ''}, ${record.agents} agents, ${record.steps} steps, seed ${record.seed}${record.label ? `, label "${record.label}"` : ''}${record.parentId ? `, part of sweep ${record.parentId}` : ''}, created ${record.createdAt}.`,
    changed.length > 0 ? `Parameters changed from the defaults: ${changed.join('; ')}.` : 'All parameters at their defaults.',
    resultText(store, record),
  ].join('\n');
  return new Document({ pageContent: text, metadata: { id: `run:${record.id}`, kind: 'run', title: `Run ${record.id} (${record.kind} of ${record.model})`, runId: record.id, status: record.status }, id: `run:${record.id}` });
}
