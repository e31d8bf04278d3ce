/**
 * `populace populations [id] [--json]`: the populations of every loaded plugin.
 */
import { optionalPositional } from '../args.js';
import type { Command } from '../command.js';
import { keyValues, table, toJson } from '../format.js';
import { loadRuntime, pluginArgs } from '../plugins.js';

export const populationsCommand: Command = {
  name: 'populations',
  summary: 'list the populations of the loaded plugins, or describe one',
  synopsis: 'populations [id]',
  usage: ['populations [--json]', 'populations <id> [--json]'],
  details: [
    'Populations say who the agents are and how they meet (contact networks); give one',
    "to 'populace run' with --population.",
    '',
    'JSON (--json): an array of { id, description, plugin, defaultAgents, maxAgents,',
    'agentTypes, networks, attributes, models }, or one such object when an id is given;',
    '`models` lists the loaded models that can run on the population.',
  ].join('\n'),
  options: {
    json: { type: 'boolean', description: 'print JSON on stdout instead of a table' },
  },
  async run(args, io) {
    const id = optionalPositional(args, 'populations', 'population id');
    const { runtime } = await loadRuntime(pluginArgs(args, io));
    if (id !== undefined) {
      const p = { ...runtime.describePopulation(id), models: runtime.modelsFor(id) };
      io.stdout.write(
        args.options.json
          ? toJson(p) + '\n'
          : keyValues([
              ['population', p.id],
              ['plugin', p.plugin],
              ['description', p.description],
              ['default agents', String(p.defaultAgents)],
              ['max agents', String(p.maxAgents)],
              ['agent types', p.agentTypes.join(', ') || '-'],
              ['networks', p.networks.join(', ') || '-'],
              ['attributes', Object.entries(p.attributes).map(([t, a]) => Object.keys(a).map((n) => `${t}.${n}`).join(', ')).join(', ') || '-'],
              ['models that fit', p.models.join(', ') || '-'],
            ]),
      );
      return 0;
    }
    const pops = runtime.populations.ids().map((p) => ({ ...runtime.describePopulation(p), models: runtime.modelsFor(p) }));
    if (args.options.json) {
      io.stdout.write(toJson(pops) + '\n');
      return 0;
    }
    if (pops.length === 0) {
      io.stdout.write('No populations. Add a plugin that contributes one to populace.config.js or install one.\n');
      return 0;
    }
    io.stdout.write(
      table(
        ['ID', 'DEFAULT AGENTS', 'MAX AGENTS', 'AGENT TYPES', 'NETWORKS', 'MODELS THAT FIT', 'DESCRIPTION'],
        pops.map((p) => [p.id, String(p.defaultAgents), String(p.maxAgents), p.agentTypes.join(',') || '-', p.networks.join(',') || '-', p.models.join(',') || '-', p.description]),
        ['left', 'right', 'right'],
      ),
    );
    return 0;
  },
};
