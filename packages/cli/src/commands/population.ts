/**
 * `populace population describe <id> [--agents N] [--seed S] [--json]`: builds
 * a population through the runtime and prints its marginals (each labelled
 * attribute's distribution, each numeric attribute's mean/min/max, households
 * and their sizes) and each contact layer's edges and degrees.
 */
import { allocationError, availableMemory, checkMemory, estimatePopulationSize } from '@populace/core';
import { positiveInteger, seedValue, usageError } from '../args.js';
import type { Command } from '../command.js';
import { formatDuration, formatNumber, keyValues, table, toJson } from '../format.js';
import { loadRuntime, pluginArgs } from '../plugins.js';
import { populationStats, type AgentTypeStats, type PopulationStats } from '../population-stats.js';
import { DEFAULT_SEED, openPopulation } from '../simulation-options.js';

/** The `--json` document of `population describe`. */
export interface PopulationDescribeDocument extends PopulationStats {
  readonly id: string;
  readonly plugin: string;
  readonly agents: number;
  readonly seed: number;
  readonly buildSeconds: number;
  /** `sha256:<hex>` of the manifest and its files, when the population was read from one. */
  readonly digest?: string;
}

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

function describeAgentType(type: string, s: AgentTypeStats): string {
  const parts: string[] = [];
  const numeric = Object.entries(s.numeric);
  if (numeric.length > 0) {
    parts.push(`${type}: numeric attributes\n` + table(['  NAME', 'MEAN', 'MIN', 'MAX'], numeric.map(([name, v]) => [`  ${name}`, formatNumber(v.mean), formatNumber(v.min), formatNumber(v.max)]), ['left', 'right', 'right', 'right']));
  }
  for (const [name, shares] of Object.entries(s.categorical)) {
    parts.push(`${type}: ${name}\n` + table(['  LABEL', 'COUNT', 'SHARE'], shares.map((c) => [`  ${c.label}`, String(c.count), percent(c.share)]), ['left', 'right', 'right']));
  }
  if (s.households) {
    const h = s.households;
    parts.push(
      `${type}: households ${h.count}, mean size ${formatNumber(h.meanSize)}\n` +
        table(['  SIZE', 'HOUSEHOLDS', 'SHARE'], h.sizes.map((r) => [`  ${r.size}`, String(r.households), percent(r.share)]), ['left', 'right', 'right']),
    );
  }
  return parts.join('\n');
}

function describeText(doc: PopulationDescribeDocument): string {
  const types = Object.entries(doc.agentTypes);
  const head = keyValues([
    ['population', doc.id],
    ['plugin', doc.plugin],
    ['agents', types.map(([t, s]) => `${s.count} ${t}`).join(', ') || '0'],
    ['seed', String(doc.seed)],
    ['built in', formatDuration(doc.buildSeconds * 1000)],
  ]);
  const layers = Object.entries(doc.networks);
  const networks =
    layers.length === 0
      ? 'networks: (none)\n'
      : 'networks\n' +
        table(
          ['  NAME', 'KIND', 'AGENTS', 'EDGES', 'MEAN DEGREE', 'MIN', 'MAX', 'WEIGHTS'],
          layers.map(([name, l]) => [`  ${name}`, l.kind, l.agents, String(l.edges), formatNumber(Number(l.meanDegree.toFixed(4))), String(l.minDegree), String(l.maxDegree), l.weighted ? 'yes' : 'no']),
          ['left', 'left', 'left', 'right', 'right', 'right', 'right'],
        );
  return [head, ...types.map(([t, s]) => describeAgentType(t, s)), networks].join('\n');
}

export const populationCommand: Command = {
  name: 'population',
  summary: "build a population and describe its marginals and contact layers",
  synopsis: 'population describe <id|file>',
  usage: ['population describe <id|file> [--agents N] [--seed S] [--json]'],
  details: [
    'Builds the population (full or bare id, e.g. populations/nyc or nyc, or the path of a',
    'population manifest ending in .json, .yaml or .yml) at --agents agents',
    "(default: the population's own size) with --seed, then prints for each agent type the",
    'distribution of every labelled attribute, mean/min/max of every numeric one and, when',
    "there is a 'household' attribute, the number of households and their sizes; and for each",
    'contact layer its edges and in-degrees (mean, min, max).',
    '',
    'JSON (--json): { id, plugin, agents, seed, buildSeconds, agentTypes: { <type>: { count,',
    'numeric: { <name>: { mean, min, max } }, categorical: { <name>: [{ label, count, share }] },',
    'households?: { count, meanSize, sizes: [{ size, households, share }] } } }, networks:',
    '{ <name>: { agents, kind, edges, meanDegree, minDegree, maxDegree, weighted } } }.',
  ].join('\n'),
  options: {
    agents: { type: 'string', value: 'N', description: "number of agents, a positive integer (default: the population's)" },
    seed: { type: 'string', value: 'S', description: `random seed, an integer in [0, 4294967295] (default ${DEFAULT_SEED})` },
    json: { type: 'boolean', description: 'print JSON on stdout instead of tables' },
  },
  async run(args, io) {
    const [action, id, ...rest] = args.positionals;
    if (action !== 'describe') {
      usageError(`'populace population' expects the action 'describe', received ${action === undefined ? 'nothing' : JSON.stringify(action)}. Write 'populace population describe <id>'; 'populace populations' lists the ids.`);
    }
    if (id === undefined || rest.length > 0) {
      usageError(`'populace population describe' expects one population id, received ${id === undefined ? 'none' : `${1 + rest.length}: ${[id, ...rest].map((p) => JSON.stringify(p)).join(' ')}`}. Run 'populace populations' for the ids.`);
    }
    const agents = args.options.agents === undefined ? undefined : positiveInteger('agents', args.options.agents as string);
    const seed = args.options.seed === undefined ? DEFAULT_SEED : seedValue(args.options.seed as string);
    const { runtime } = await loadRuntime(pluginArgs(args, io));
    const opened = openPopulation(runtime, id, io.cwd);
    const entry = typeof opened === 'string' ? runtime.populations.get(opened) : opened;
    const max = entry.definition.maxAgents;
    if (agents !== undefined && agents > max) {
      usageError(`--agents: expected an integer in [1, ${max}] (the limit of population '${entry.id}'), received ${agents}.`, { option: 'agents', received: agents, max });
    }
    // the build's size, refused before any allocation when this machine cannot hold it
    const size = estimatePopulationSize(entry.definition, agents ?? entry.definition.defaultAgents);
    const estimate = { ...size, steps: 0, population: size.bytes, state: 0, metrics: 0, tape: 0 };
    checkMemory(estimate, `building population '${entry.id}'`, availableMemory(io.env));
    const started = performance.now();
    let data;
    try {
      data = await entry.definition.build({ ...(agents === undefined ? {} : { agents }), seed });
    } catch (error) {
      throw allocationError(error, `building population '${entry.id}'`, estimate);
    }
    const buildSeconds = (performance.now() - started) / 1000;
    const stats = populationStats(data);
    const primary = entry.definition.agentTypes[0]!;
    const doc: PopulationDescribeDocument = { id: entry.id, plugin: entry.plugin, agents: data.agents[primary]?.count ?? 0, seed, buildSeconds, ...(typeof opened === 'object' ? { digest: opened.digest } : {}), ...stats };
    io.stdout.write(args.options.json ? toJson(doc) + '\n' : describeText(doc));
    return 0;
  },
};
