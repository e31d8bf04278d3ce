/**
 * `populace models [id] [--json]`: the models of every loaded plugin, or the
 * full description of one.
 */
import type { ModelDescription } from '@populace/core';
import { listOdeComponents } from '@populace/server-kit';
import { optionalPositional } from '../args.js';
import type { Command } from '../command.js';
import { formatBounds, formatValue, keyValues, table, toJson } from '../format.js';
import { loadRuntime, pluginArgs } from '../plugins.js';
import { outputWidth, wrapLine } from '../text-width.js';

/** One entry of `populace models --json`. */
export interface ModelSummary {
  readonly id: string;
  readonly description: string;
  readonly plugin: string;
  readonly parameters: Record<string, { default: number | readonly number[]; bounds: [number | null, number | null]; learnable: boolean; description?: string }>;
  readonly metrics: string[];
}

/** The `--json` summary of a model description. */
export function summarizeModel(d: ModelDescription): ModelSummary {
  return {
    id: d.id,
    description: d.description,
    plugin: d.plugin,
    parameters: Object.fromEntries(
      Object.entries(d.parameters).map(([name, p]) => [name, { default: p.default, bounds: p.bounds, learnable: p.learnable, ...(p.description === undefined ? {} : { description: p.description }) }]),
    ),
    metrics: Object.keys(d.metrics),
  };
}

/** What `models <id>` shows of a model's needs: its agent types, attributes and networks, then the populations that fit. */
function needsText(d: ModelDescription, fitting: readonly string[]): string {
  const rows: string[][] = [];
  for (const [type, a] of Object.entries(d.needs.agents)) {
    rows.push([`  agents ${a.agentType}`, 'required', type === a.agentType ? '' : `model agent type '${type}'`]);
    for (const [name, attr] of Object.entries(a.attributes)) rows.push([`  attribute ${a.agentType}.${name}`, attr.fallback === null ? 'required' : 'optional', attr.fallback === null ? attr.description : `without it: ${attr.fallback}`]);
  }
  for (const [layer, n] of Object.entries(d.needs.networks)) rows.push([`  network ${layer}`, n.fallback === null ? 'required' : 'optional', n.description ?? '']);
  return 'needs from a population:\n' + table(['  PART', 'NEED', 'NOTE'], rows) + wrapLine(`populations that fit: ${fitting.join(', ') || '(none loaded)'}`, outputWidth(), 4) + '\n';
}

function describeOne(d: ModelDescription, fitting: readonly string[]): string {
  const parts = [keyValues([['model', d.id], ['plugin', d.plugin], ['description', d.description]])];
  const params = Object.entries(d.parameters);
  parts.push(
    params.length === 0
      ? 'parameters: (none)\n'
      : 'parameters:\n' +
          table(
            ['  NAME', 'DEFAULT', 'BOUNDS', 'LEARNABLE', 'DESCRIPTION'],
            params.map(([name, p]) => [`  ${name}`, formatValue(p.default), formatBounds(p.bounds), p.learnable ? 'yes' : 'no', [p.description, p.unit ? `(${p.unit})` : ''].filter(Boolean).join(' ')]),
            ['left', 'right'],
          ),
  );
  const metrics = Object.entries(d.metrics);
  parts.push(metrics.length === 0 ? 'metrics: (none)\n' : 'metrics:\n' + table(['  NAME', 'DESCRIPTION'], metrics.map(([name, m]) => [`  ${name}`, m.description ?? ''])));
  const inputs = Object.entries(d.inputs ?? {});
  if (inputs.length > 0) {
    const given = (v: (typeof inputs)[number][1]['default']) => (v === null ? 'required' : typeof v === 'number' ? `default ${v}` : `default series of ${v.length} steps`);
    parts.push('inputs (give with run --input name=file.csv, or --link in a composed run):\n' + table(['  NAME', 'UNIT', 'DEFAULT', 'DESCRIPTION'], inputs.map(([name, i]) => [`  ${name}`, i.unit ?? '-', given(i.default), i.description])));
  }
  const agents = Object.entries(d.agentTypes).flatMap(([type, a]) => Object.entries(a.properties).map(([prop, p]) => [`  agents/${type}/${prop}`, p.dtype + (p.shape.length ? `[${p.shape.join(',')}]` : ''), p.description ?? '']));
  const env = Object.entries(d.environment).map(([name, e]) => [`  env/${name}`, e.dtype + (e.shape.length ? `[${e.shape.join(',')}]` : ''), e.description ?? '']);
  const nets = Object.entries(d.networks).map(([name, n]) => [`  networks/${name}`, `${n.agents} (layer ${n.layer}${n.optional ? ', optional' : ''})`, n.description ?? '']);
  parts.push('state:\n' + table(['  PATH', 'TYPE', 'DESCRIPTION'], [...agents, ...env, ...nets]));
  parts.push(
    'substeps:\n' +
      table(
        ['  NAME', 'READS', 'WRITES'],
        d.substeps.map((s) => [`  ${s.name}`, s.reads.join(' ') || '-', s.writes.join(' ') || '-']),
      ),
  );
  parts.push(needsText(d, fitting));
  const slots = Object.entries(d.behaviors);
  if (slots.length > 0) {
    parts.push(
      'behaviour slots (fill with run --behavior slot=archetype):\n' +
        table(
          ['  SLOT', 'AGENTS', 'RANGE', 'DESCRIPTION'],
          slots.map(([name, b]) => [`  ${name}`, b.agentType, b.range ? `[${b.range.join(', ')}]` : '-', `${b.description}; context: ${Object.keys(b.context).join(', ') || 'none'}`]),
        ),
    );
  }
  return parts.join('\n');
}

export const modelsCommand: Command = {
  name: 'models',
  summary: 'list the models of the loaded plugins, or describe one',
  synopsis: 'models [id]',
  usage: ['models [--json]', 'models <id> [--json]'],
  details: [
    'Without an id: one row per model (id, parameters, metrics, description), then one row per',
    'ODE component the plugins contribute (id, state, parameters with defaults, outputs).',
    'With an id (full, like example/network-sir, or bare, like network-sir): its parameters',
    'with defaults and bounds, metrics, state, substeps, behaviour slots, what it needs from a',
    'population (agent types, attributes, contact networks; optional ones with their fallback) and',
    'the loaded populations that fit it.',
    '',
    'JSON (--json): a list is an array of { id, description, plugin, parameters:',
    '{ <name>: { default, bounds, learnable, description } }, metrics: [<name>...] };',
    'one model is the full description { id, plugin, description, agentTypes, environment,',
    'networks, parameters, metrics, substeps, behaviors, needs: { agents, networks }, populations:',
    '[ids of the loaded populations that fit] }. Bounds are [lower, upper] or null when',
    'unbounded; an open side prints as null.',
  ].join('\n'),
  options: {
    json: { type: 'boolean', description: 'print JSON on stdout instead of a table' },
  },
  async run(args, io) {
    const id = optionalPositional(args, 'models', 'model id');
    const { runtime } = await loadRuntime(pluginArgs(args, io));
    if (id !== undefined) {
      const d = runtime.describeModel(id);
      const populations = runtime.populationsFor(d.id);
      io.stdout.write(args.options.json ? toJson({ ...d, populations }) + '\n' : describeOne(d, populations));
      return 0;
    }
    const models = runtime.models.ids().map((m) => runtime.describeModel(m));
    if (args.options.json) {
      io.stdout.write(toJson(models.map(summarizeModel)) + '\n');
      return 0;
    }
    if (models.length === 0) {
      io.stdout.write('No models. Add a plugin to populace.config.js or install a plugin package.\n');
      return 0;
    }
    io.stdout.write(
      table(
        ['ID', 'PARAMETERS', 'METRICS', 'DESCRIPTION'],
        models.map((d) => [d.id, Object.keys(d.parameters).join(',') || '-', Object.keys(d.metrics).join(',') || '-', d.description]),
      ),
    );
    const components = listOdeComponents(runtime);
    if (components.length > 0) {
      io.stdout.write(
        '\nODE components (for models built with @populace/ode):\n' +
          table(
            ['ID', 'STATE', 'PARAMETERS', 'OUTPUTS', 'DESCRIPTION'],
            components.map((c) => [c.id, c.state.join(','), Object.entries(c.parameters).map(([n, p]) => `${n}=${formatValue(p.default)}`).join(',') || '-', c.outputs.join(',') || '-', c.description]),
          ),
      );
    }
    return 0;
  },
};
