/**
 * Plugins of installed packages: every package in a `node_modules` between the
 * working directory and the file system root whose package.json declares
 * `"populace": { "plugin": "./dist/plugin.js" }`.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPluginDefinition, PopulaceError, type PluginDefinition } from '@populace/core';

/** Where a loaded plugin came from. */
export interface PluginSource {
  readonly plugin: PluginDefinition;
  /**
   * `specifier` (named by `--plugin` or POPULACE_PLUGINS), `config` (a config file), `package`
   * (an installed package found from the working directory) or `builtin`.
   */
  readonly from: 'specifier' | 'config' | 'package' | 'builtin';
  /** The config file, package directory or module file. */
  readonly location?: string;
  /** The `--plugin` / POPULACE_PLUGINS value it was loaded from (when `from` is `specifier`). */
  readonly specifier?: string;
}

async function packageDirs(nodeModules: string): Promise<string[]> {
  const dirs: string[] = [];
  let entries: string[];
  try {
    entries = await readdir(nodeModules);
  } catch {
    return dirs;
  }
  for (const entry of entries.sort()) {
    if (entry.startsWith('.')) continue;
    const full = path.join(nodeModules, entry);
    if (entry.startsWith('@')) {
      for (const sub of (await readdir(full).catch(() => [] as string[])).sort()) dirs.push(path.join(full, sub));
    } else dirs.push(full);
  }
  return dirs;
}

/**
 * Imports the plugin a package declares in its package.json `populace.plugin` field; undefined
 * when the package declares none (or has no readable package.json).
 */
export async function importPluginPackage(dir: string): Promise<PluginDefinition | undefined> {
  let pkg: { name?: string; populace?: { plugin?: unknown } };
  try {
    pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const entry = pkg.populace?.plugin;
  if (entry === undefined) return undefined;
  const name = pkg.name ?? dir;
  if (typeof entry !== 'string') {
    throw new PopulaceError('plugin-load-failed', `package ${name}: "populace.plugin" must be a path such as "./dist/plugin.js", received ${JSON.stringify(entry)}.`, { details: { package: name } });
  }
  let mod: { default?: unknown; plugin?: unknown };
  try {
    mod = await import(pathToFileURL(path.resolve(dir, entry)).href);
  } catch (error) {
    throw new PopulaceError('plugin-load-failed', `package ${name}: its plugin ${entry} failed to load (${(error as Error).message}). Rebuild or reinstall the package.`, { cause: error, details: { package: name } });
  }
  const plugin = isPluginDefinition(mod.default) ? mod.default : mod.plugin;
  if (!isPluginDefinition(plugin)) {
    throw new PopulaceError('plugin-load-failed', `package ${name}: ${entry} exports no plugin. Export one made with definePlugin as the default export or as 'plugin'.`, { details: { package: name } });
  }
  return plugin;
}

/**
 * Plugins of installed packages, from every node_modules between `cwd` and the file system root
 * (nearest wins when two declare a plugin of one name).
 *
 * @example
 * ```ts
 * const found = await discoverPlugins({ cwd: process.cwd() });
 * found.map((s) => `${s.plugin.name} ${s.location}`);
 * ```
 */
export async function discoverPlugins(options: { cwd?: string } = {}): Promise<PluginSource[]> {
  const found = new Map<string, PluginSource>();
  let dir = path.resolve(options.cwd ?? process.cwd());
  for (;;) {
    for (const pkgDir of await packageDirs(path.join(dir, 'node_modules'))) {
      const plugin = await importPluginPackage(pkgDir);
      if (plugin && !found.has(plugin.name)) found.set(plugin.name, { plugin, from: 'package', location: pkgDir });
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return [...found.values()];
}
