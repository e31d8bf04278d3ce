/**
 * @populace/core/node: finding plugins on disk. Tools (the CLI, the servers)
 * load plugins from a `populace.config.{js,mjs,ts}` file, or else from
 * installed packages whose package.json declares
 * `"populace": { "plugin": "./dist/plugin.js" }`.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BackendChoice } from './backend.js';
import { validateConfig, type PopulaceConfig } from './config.js';
import { PopulaceError } from './errors.js';
import { examplePlugin } from './examples/plugin.js';
import { isPluginDefinition, type PluginDefinition } from './plugin.js';
import { createRuntime, type Runtime } from './runtime.js';
import { resolvePluginSpecifier } from './plugin-specifiers.js';

export { defineConfig } from './config.js';
export { PLUGINS_ENV, pluginsFromEnv, resolvePluginSpecifier } from './plugin-specifiers.js';
export type { ResolvedPluginSpecifier } from './plugin-specifiers.js';
export type { PopulaceConfig } from './config.js';

export const CONFIG_FILES = ['populace.config.js', 'populace.config.mjs', 'populace.config.ts'] as const;

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

/** Where Populace itself is installed: package names given to `--plugin` are also resolved from here. */
export const INSTALL_DIR = path.dirname(fileURLToPath(import.meta.url));

export interface LoadedPlugins {
  readonly plugins: PluginDefinition[];
  readonly sources: PluginSource[];
  /** The config file used, if any. */
  readonly configPath?: string;
  readonly config?: PopulaceConfig;
}

async function importTypeScript(file: string): Promise<unknown> {
  let ts: typeof import('typescript') | undefined;
  // The project's own typescript first, then the one installed beside @populace/core.
  for (const from of [path.join(path.dirname(file), 'noop.js'), import.meta.url]) {
    try {
      ts = createRequire(from)('typescript') as typeof import('typescript');
      break;
    } catch {
      // try the next location
    }
  }
  if (!ts) {
    throw new PopulaceError('config-invalid', `${file}: a TypeScript config needs the 'typescript' package, which is not installed. Install it (npm install -D typescript) or rename the file to populace.config.js.`, { details: { file } });
  }
  const out = ts.transpileModule(await readFile(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }, fileName: file });
  const temp = path.join(path.dirname(file), `.populace.config.${process.pid}.${Date.now()}.mjs`);
  await writeFile(temp, out.outputText);
  try {
    return await import(pathToFileURL(temp).href);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Loads a config file: `file` if given, else the first of CONFIG_FILES in `cwd`.
 * Returns undefined when there is none.
 */
export async function loadConfig(options: { cwd?: string; file?: string } = {}): Promise<{ path: string; config: PopulaceConfig } | undefined> {
  const cwd = options.cwd ?? process.cwd();
  let file: string | undefined;
  if (options.file !== undefined) {
    file = path.resolve(cwd, options.file);
    if (!existsSync(file)) throw new PopulaceError('config-not-found', `config file ${file} does not exist. Check the path given to --config.`, { details: { file } });
  } else {
    file = CONFIG_FILES.map((f) => path.join(cwd, f)).find((f) => existsSync(f));
    if (!file) return undefined;
  }
  let mod: unknown;
  try {
    mod = file.endsWith('.ts') ? await importTypeScript(file) : await import(pathToFileURL(file).href);
  } catch (error) {
    if (PopulaceError.isInstance(error)) throw error;
    throw new PopulaceError('config-invalid', `${file} failed to load: ${(error as Error).message}`, { cause: error, details: { file } });
  }
  const config = (mod as { default?: unknown }).default;
  try {
    validateConfig(config, path.basename(file));
  } catch (error) {
    throw new PopulaceError('config-invalid', `${file}: ${(error as Error).message} Export it as the default: export default defineConfig({ plugins: [...] }).`, { cause: error, details: { file } });
  }
  return { path: file, config };
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

/** Imports the plugin a package declares in its package.json `populace.plugin` field. */
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

/** Plugins of installed packages, from every node_modules between `cwd` and the file system root (nearest wins). */
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

/** Options of `loadPlugins` and `loadRuntime`. */
export interface LoadPluginsOptions {
  /** The working directory (default `process.cwd()`): config files, installed packages and relative paths are found from it. */
  readonly cwd?: string;
  /** A config file (`--config`), relative to `cwd`. */
  readonly config?: string;
  /** Plugins named by package name or path (`--plugin`, POPULACE_PLUGINS), loaded first. */
  readonly plugins?: readonly string[];
  /** Extra directories package names are resolved from, after `cwd` and Populace's own location (e.g. a tool's install directory). */
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
 * What the tools (the CLI, the MCP and GraphQL servers) run on: the plugins `loadPlugins` finds
 * (named by `plugins`, then the config file's or the installed packages from `cwd`) plus `builtins` (default: the built-in example plugin, so a fresh install has
 * something to run), in a runtime on `backend` (default: the config file's, else `auto`).
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
