/**
 * Plugins named on a command line (`--plugin`) or in `POPULACE_PLUGINS`: a
 * package name, resolved the way Node finds packages (every `node_modules`
 * from a directory up to the root) from the working directory and from where
 * Populace itself is installed; or a path to a package directory, a
 * package.json, or a JavaScript module that exports a plugin.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPluginDefinition, PopulaceError, type PluginDefinition } from '@populace/core';

/** The environment variable listing plugins to load, separated by `path.delimiter` (`:` on Linux and macOS, `;` on Windows). */
export const PLUGINS_ENV = 'POPULACE_PLUGINS';

/** A plugin loaded from a specifier, and where it was found. */
export interface ResolvedPluginSpecifier {
  readonly plugin: PluginDefinition;
  /** The specifier as given. */
  readonly specifier: string;
  /** The package directory or module file it was loaded from. */
  readonly location: string;
}

/**
 * The specifiers of `POPULACE_PLUGINS`: split on the platform path delimiter, blanks dropped.
 *
 * @example
 * ```ts
 * pluginsFromEnv({ POPULACE_PLUGINS: '@populace/models-epi:@populace/populations' }); // on Linux: both names
 * ```
 */
export function pluginsFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  return (env[PLUGINS_ENV] ?? '')
    .split(path.delimiter)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const isPathLike = (spec: string): boolean => spec.startsWith('.') || path.isAbsolute(spec) || spec.startsWith('~') || /\.(m?js|cjs|json)$/i.test(spec) || (spec.includes(path.sep) && !spec.startsWith('@')) || spec.includes('\\');

/** A valid npm package name: `name` or `@scope/name`, lowercase-ish, no path segments beyond the scope. */
const PACKAGE_NAME = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;

function fail(spec: string, reason: string, fix: string, details: Record<string, unknown> = {}): never {
  throw new PopulaceError('plugin-load-failed', `plugin '${spec}': ${reason} ${fix}`, { details: { specifier: spec, ...details } });
}

async function importPlugin(spec: string, file: string, what: string): Promise<PluginDefinition> {
  let mod: { default?: unknown; plugin?: unknown };
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (error) {
    fail(spec, `${what} ${file} failed to load (${(error as Error).message}).`, 'Build or reinstall it.', { file });
  }
  const plugin = isPluginDefinition(mod.default) ? mod.default : mod.plugin;
  if (!isPluginDefinition(plugin)) fail(spec, `${what} ${file} exports no plugin.`, "Export one made with definePlugin as the default export or as 'plugin'.", { file });
  return plugin;
}

async function fromPackageDir(spec: string, dir: string): Promise<ResolvedPluginSpecifier> {
  const manifest = path.join(dir, 'package.json');
  let pkg: { name?: string; main?: unknown; populace?: { plugin?: unknown } };
  try {
    pkg = JSON.parse(await readFile(manifest, 'utf8'));
  } catch (error) {
    fail(spec, `${manifest} could not be read as JSON (${(error as Error).message}).`, 'Give a package directory with a valid package.json, or the plugin module itself.', { file: manifest });
  }
  const entry = pkg.populace?.plugin ?? (typeof pkg.main === 'string' ? pkg.main : undefined);
  if (typeof entry !== 'string') {
    fail(spec, `package ${pkg.name ?? dir} declares no plugin: its package.json has no "populace": { "plugin": "./dist/plugin.js" } field${pkg.populace?.plugin !== undefined ? ' that is a path' : ''}.`, 'Add that field, or give the path of the module that exports the plugin.', { package: pkg.name ?? dir });
  }
  return { plugin: await importPlugin(spec, path.resolve(dir, entry), `package ${pkg.name ?? dir}: its plugin`), specifier: spec, location: dir };
}

/** Every `node_modules` directory from `from` up to the file system root, nearest first. */
function nodeModulesChain(from: string): string[] {
  const out: string[] = [];
  let dir = path.resolve(from);
  for (;;) {
    if (path.basename(dir) !== 'node_modules') out.push(path.join(dir, 'node_modules'));
    const parent = path.dirname(dir);
    if (parent === dir) return out;
    dir = parent;
  }
}

/**
 * Loads the plugin a specifier names. `searchFrom` are the directories a package name is resolved
 * from, in order (the tools pass the working directory, then Populace's own location). Every
 * failure is a PopulaceError (code `plugin-load-failed`) naming the specifier, the reason and,
 * for a package that is not found, every `node_modules` directory searched.
 *
 * @example
 * ```ts
 * const { plugin, location } = await resolvePluginSpecifier('@populace/models-epi', [process.cwd()]);
 * ```
 */
export async function resolvePluginSpecifier(spec: string, searchFrom: readonly string[], cwd: string = searchFrom[0] ?? process.cwd()): Promise<ResolvedPluginSpecifier> {
  if (typeof spec !== 'string' || spec.trim() === '') fail(String(spec), 'expected a package name or a path, received an empty value.', 'Write e.g. --plugin @populace/models-epi or --plugin ./my-plugin.js.');
  const home = process.env.HOME ?? '';
  if (isPathLike(spec)) {
    const full = path.resolve(cwd, spec.startsWith('~') && home ? path.join(home, spec.slice(1)) : spec);
    if (!existsSync(full)) fail(spec, `no file or directory at ${full}.`, 'Check the path (relative paths are resolved from the working directory).', { path: full });
    if (statSync(full).isDirectory()) return fromPackageDir(spec, full);
    if (path.basename(full) === 'package.json') return fromPackageDir(spec, path.dirname(full));
    return { plugin: await importPlugin(spec, full, 'module'), specifier: spec, location: full };
  }
  if (!PACKAGE_NAME.test(spec)) fail(spec, 'expected a package name such as @populace/models-epi or a path such as ./plugin.js.', 'Check the spelling.');
  const searched: string[] = [];
  for (const base of searchFrom) {
    for (const modules of nodeModulesChain(base)) {
      if (searched.includes(modules)) continue;
      searched.push(modules);
      const dir = path.join(modules, ...spec.split('/'));
      if (existsSync(path.join(dir, 'package.json'))) return fromPackageDir(spec, dir);
    }
  }
  return fail(spec, `no installed package of that name; searched ${searched.join(', ')}.`, `Install it (npm install ${spec}) next to your project or next to Populace, or give its path.`, { searched });
}
