/**
 * The plugins a tool (the CLI, the MCP and GraphQL servers, `populace-worker`)
 * loads, and the runtime it builds on them: plugins named by `--plugin` /
 * POPULACE_PLUGINS, then the config file's, else every installed plugin
 * package found from the working directory, plus built-in ones.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRuntime, PopulaceError, type BackendChoice, type PluginDefinition, type PopulaceConfig, type Runtime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { loadConfig } from './config-file.js';
import { discoverPlugins, type PluginSource } from './installed-packages.js';
import { resolvePluginSpecifier } from './plugin-specifiers.js';

/**
 * Where Populace is installed (the directory of @populace/server-kit): package names given to
 * `--plugin` are also resolved from here, through every `node_modules` up to the root, so a
 * plugin installed beside Populace (globally, or in this monorepo) is found from any folder.
 */
export const INSTALL_DIR = fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');

export interface LoadedPlugins {
  readonly plugins: PluginDefinition[];
  readonly sources: PluginSource[];
  /** The config file used, if any. */
  readonly configPath?: string;
  readonly config?: PopulaceConfig;
}

/** Options of `loadPlugins` and `loadRuntime`. */
export interface LoadPluginsOptions {
  /** The working directory (default `process.cwd()`): config files, installed packages and relative paths are found from it. */
  readonly cwd?: string;
  /** A config file (`--config`), relative to `cwd`. */
  readonly config?: string;
  /** Plugins named by package name or path (`--plugin`, POPULACE_PLUGINS), loaded first. */
  readonly plugins?: readonly string[];
  /** Extra directories package names are resolved from, after `cwd` and INSTALL_DIR (e.g. a tool's own directory). */
  readonly searchFrom?: readonly string[];
  /** Added last unless a plugin of the same name is already there. */
  readonly builtins?: readonly PluginDefinition[];
}

/**
 * The plugins a tool should load: those named by `plugins` (each a package name, resolved from
 * `cwd` and from where Populace is installed, or a path), then the config file's if there is one,
 * else every installed plugin package found from `cwd`; `builtins` are added unless a plugin of
 * the same name is already there. A plugin named explicitly wins over a discovered one of the same
 * name; two different explicit plugins of one name are an error.
 *
 * @example
 * ```ts
 * const { plugins, sources } = await loadPlugins({ cwd: process.cwd(), plugins: ['@populace/models-epi'] });
 * ```
 */
export async function loadPlugins(options: LoadPluginsOptions = {}): Promise<LoadedPlugins> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const sources: PluginSource[] = [];
  const searchFrom = [cwd, INSTALL_DIR, ...(options.searchFrom ?? [])];
  for (const spec of options.plugins ?? []) {
    const found = await resolvePluginSpecifier(spec, searchFrom, cwd);
    const same = sources.find((s) => s.plugin.name === found.plugin.name);
    if (same) {
      if (same.location === found.location || same.plugin === found.plugin) continue;
      throw new PopulaceError('duplicate-id', `plugin '${found.plugin.name}' is named twice: by '${same.specifier}' (${same.location}) and by '${spec}' (${found.location}). Name it once.`, { details: { plugin: found.plugin.name } });
    }
    sources.push({ plugin: found.plugin, from: 'specifier', location: found.location, specifier: spec });
  }
  const loaded = await loadConfig({ cwd, ...(options.config ? { file: options.config } : {}) });
  const others: PluginSource[] = loaded
    ? loaded.config.plugins.map((plugin) => ({ plugin, from: 'config' as const, location: loaded.path }))
    : await discoverPlugins({ cwd });
  for (const source of [...others, ...(options.builtins ?? []).map((plugin) => ({ plugin, from: 'builtin' as const }))]) {
    if (!sources.some((s) => s.plugin.name === source.plugin.name)) sources.push(source);
  }
  return { plugins: sources.map((s) => s.plugin), sources, ...(loaded ? { configPath: loaded.path, config: loaded.config } : {}) };
}

/** A runtime built from the plugins on disk, and where they came from. */
export interface LoadedRuntime extends LoadedPlugins {
  readonly runtime: Runtime;
}

/**
 * What the tools (the CLI, the MCP and GraphQL servers, `populace-worker`) run on: the plugins
 * `loadPlugins` finds (named by `plugins`, then the config file's or the installed packages from
 * `cwd`) plus `builtins` (default: core's example plugin, so a fresh install has something to
 * run), in a runtime on `backend` (default: the config file's, else `auto`).
 *
 * @example
 * ```ts
 * const { runtime, sources } = await loadRuntime({ cwd: process.cwd() });
 * runtime.models.ids(); // ['example/network-sir', ...] plus every installed plugin's models
 * ```
 */
export async function loadRuntime(options: LoadPluginsOptions & { backend?: BackendChoice } = {}): Promise<LoadedRuntime> {
  const loaded = await loadPlugins({ ...options, builtins: options.builtins ?? [examplePlugin] });
  const runtime = createRuntime({ plugins: loaded.plugins, backend: options.backend ?? loaded.config?.backend ?? 'auto' });
  return { ...loaded, runtime };
}
