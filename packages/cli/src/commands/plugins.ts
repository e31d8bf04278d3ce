/**
 * `populace plugins [--json]`: the loaded plugins, what each contributes and
 * where it came from (a --plugin/POPULACE_PLUGINS specifier, the config file,
 * an installed package, or built in).
 */
import type { PluginSource } from '@populace/server-kit/plugins';
import type { Command } from '../command.js';
import { table, toJson } from '../format.js';
import { loadRuntime, pluginArgs } from '../plugins.js';

/** One entry of `populace plugins --json`. */
export interface PluginSummary {
  readonly name: string;
  readonly version: string;
  readonly description: string | null;
  /** `specifier`, `config`, `package` or `builtin`. */
  readonly from: PluginSource['from'];
  /** The package directory, module or config file it was loaded from (null for built-in ones). */
  readonly location: string | null;
  /** The --plugin / POPULACE_PLUGINS value, when `from` is `specifier`. */
  readonly specifier: string | null;
  readonly models: readonly string[];
  readonly populations: readonly string[];
}

/** The summary of one loaded plugin. */
export function summarizePlugin(source: PluginSource): PluginSummary {
  const p = source.plugin;
  return {
    name: p.name,
    version: p.version,
    description: p.description ?? null,
    from: source.from,
    location: source.location ?? null,
    specifier: source.specifier ?? null,
    models: p.models.map((m) => `${p.name}/${m.id}`),
    populations: p.populations.map((q) => `${p.name}/${q.id}`),
  };
}

const origin = (s: PluginSummary): string => (s.from === 'specifier' ? `--plugin ${s.specifier}` : s.from);

export const pluginsCommand: Command = {
  name: 'plugins',
  summary: 'list the loaded plugins and where each came from',
  synopsis: 'plugins',
  usage: ['plugins [--json]'],
  details: [
    'One row per plugin: name, version, how it was found (--plugin/POPULACE_PLUGINS, config,',
    'an installed package, builtin), its location, and its models and populations.',
    '',
    'JSON (--json): an array of { name, version, description, from, location, specifier,',
    'models: [<id>...], populations: [<id>...] }.',
  ].join('\n'),
  options: {
    json: { type: 'boolean', description: 'print JSON on stdout instead of a table' },
  },
  async run(args, io) {
    const { sources } = await loadRuntime(pluginArgs(args, io));
    const summaries = sources.map(summarizePlugin);
    if (args.options.json) {
      io.stdout.write(toJson(summaries) + '\n');
      return 0;
    }
    io.stdout.write(
      table(
        ['NAME', 'VERSION', 'FROM', 'LOCATION', 'CONTRIBUTES'],
        summaries.map((s) => [s.name, s.version, origin(s), s.location ?? '-', [...s.models, ...s.populations].join(', ') || '-']),
      ),
    );
    return 0;
  },
};
