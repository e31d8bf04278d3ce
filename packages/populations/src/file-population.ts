/**
 * A population definition backed by files: give it an id and a manifest and
 * put it in your plugin or config.
 */
import { definePopulation, PopulaceError, type AttributeInfo, type AttributeSchema, type PopulationDefinition } from '@populace/core';
import { loadResolvedManifest } from './load.js';
import { readManifest, type AgentsSpec } from './manifest.js';
import { countRows } from './row-count.js';

/** The attribute schema a manifest declares (labels of categories when the manifest fixes them). */
function manifestAttributes(agents: AgentsSpec, file: string): AttributeSchema {
  const out: Record<string, AttributeInfo> = {};
  for (const [name, spec] of Object.entries(agents.attributes ?? {})) {
    const s = typeof spec === 'string' ? { type: spec } : spec;
    out[name] = s.type === 'category' ? { description: `category from column '${s.column ?? name}' of ${file}`, kind: 'category', ...(s.labels ? { labels: [...s.labels] } : {}) } : { description: `${s.type} from column '${s.column ?? name}' of ${file}`, kind: 'number' };
  }
  if (agents.household !== undefined) out.household = { description: `household id from column '${agents.household}'`, kind: 'id' };
  if (agents.area !== undefined) {
    const area = typeof agents.area === 'string' ? { column: agents.area } : agents.area;
    out.area = { description: `area from column '${area.column}'`, kind: 'category', ...(area.labels ? { labels: [...area.labels] } : {}) };
  }
  return out;
}

/** Options of `filePopulation`. */
export interface FilePopulationOptions {
  /** Local id (the plugin adds its namespace). */
  readonly id: string;
  /** The manifest (.json, .yaml or .yml): a path (relative to the working directory) or a file URL such as `new URL('./town/population.yaml', import.meta.url)`. */
  readonly manifest: string | URL;
  readonly description?: string;
  /** Sees the absolute path of the manifest and of every file it names before it is read (servers keep reads inside their data directories). */
  readonly check?: (file: string) => void;
}

/**
 * A PopulationDefinition whose `build` loads the manifest's files. The manifest is checked now and
 * the agents are counted (a file population has exactly that many agents); the files are parsed and
 * validated at build time. The seed does not change a file population.
 *
 * @example
 * ```ts
 * // populace.config.js
 * import { defineConfig, definePlugin } from '@populace/core';
 * import { filePopulation } from '@populace/populations';
 * const town = filePopulation({ id: 'town', manifest: new URL('./town/population.yaml', import.meta.url) });
 * export default defineConfig({ plugins: [definePlugin({ name: 'mine', version: '1.0.0', populations: [town] })] });
 * ```
 */
export function filePopulation(options: FilePopulationOptions): PopulationDefinition {
  if (typeof options !== 'object' || options === null || !(typeof options.manifest === 'string' || options.manifest instanceof URL)) {
    throw new PopulaceError('invalid-argument', `filePopulation: expected { id, manifest: 'path/to/population.yaml' }, received ${JSON.stringify(options)}.`);
  }
  const access = options.check ? { check: options.check } : {};
  const resolved = readManifest(options.manifest, access);
  const count = countRows(resolved.agents);
  if (count < 1) throw new PopulaceError('invalid-argument', `${resolved.agents.display}: expected at least one row after the header, received none.`, { details: { file: resolved.agents.display } });
  const types = resolved.networks.map((n) => n.name);
  return definePopulation({
    id: options.id,
    description: options.description ?? resolved.manifest.description ?? `${count} agents loaded from ${resolved.file}${types.length ? ` with layers ${types.join(', ')}` : ''}`,
    defaultAgents: count,
    maxAgents: count,
    agentTypes: [resolved.manifest.agents.type ?? 'people'],
    networks: types,
    attributes: { [resolved.manifest.agents.type ?? 'people']: manifestAttributes(resolved.manifest.agents, resolved.file) },
    build: async ({ agents }) => {
      if (agents !== undefined && agents !== count) {
        throw new PopulaceError('invalid-argument', `population '${options.id}' is loaded from ${resolved.agents.display} and has exactly ${count} agents; received a request for ${agents}. Give no agent count for a file population.`, { details: { agents, count } });
      }
      const data = await loadResolvedManifest(readManifest(options.manifest, access));
      const built = Object.values(data.agents)[0]!.count;
      if (built !== count) throw new PopulaceError('invalid-argument', `${resolved.agents.display}: expected ${count} agents (counted when the population was defined), received ${built}. The file changed; restart to pick up the new size.`);
      return data;
    },
  });
}
