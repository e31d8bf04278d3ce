/**
 * The two names of a plugin: its npm package name (`--name`) and its plugin name, the namespace of
 * every id it contributes (`<plugin>/<model>`), derived from the package name unless given.
 */

/** Thrown for bad input: the CLI prints its message on one line and exits 2. */
export class ScaffoldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScaffoldError';
  }
}

/** npm's rule for package names (lowercase, URL-safe, at most 214 characters, an optional scope). */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** @populace/core's rule for plugin names (definePlugin): they become the id namespace. */
export const PLUGIN_NAME = /^[a-z][a-z0-9-]*$/;

/** Checks an npm package name; throws a ScaffoldError saying what is expected. */
export function checkPackageName(name: string): string {
  if (name.length === 0 || name.length > 214 || !PACKAGE_NAME.test(name)) {
    throw new ScaffoldError(`--name: expected an npm package name (lowercase letters, digits, - . _ ~, optionally @scope/name, at most 214 characters), received ${JSON.stringify(name)}.`);
  }
  return name;
}

/** Checks a plugin name; throws a ScaffoldError saying what is expected. */
export function checkPluginName(name: string): string {
  if (!PLUGIN_NAME.test(name)) {
    throw new ScaffoldError(`--plugin-name: expected a lowercase name of letters, digits and - that starts with a letter (it becomes the namespace of the ids, e.g. 'flu' for 'flu/sir'), received ${JSON.stringify(name)}.`);
  }
  return name;
}

/**
 * A package name from a directory name: lowercased, anything npm refuses turned into '-'.
 *
 * @example
 * ```ts
 * packageNameFromDir('My Plugin'); // 'my-plugin'
 * ```
 */
export function packageNameFromDir(dir: string): string {
  const cleaned = dir.toLowerCase().replace(/[^a-z0-9._~-]+/g, '-').replace(/^[-._~]+|[-._~]+$/g, '');
  return cleaned || 'populace-plugin';
}

/**
 * The plugin name a package name suggests: the scope and the words 'populace' and 'plugin' around
 * it dropped, other characters folded into '-'.
 *
 * @example
 * ```ts
 * pluginNameFromPackage('@acme/populace-plugin-flu'); // 'flu'
 * pluginNameFromPackage('flu-models');                 // 'flu-models'
 * ```
 */
export function pluginNameFromPackage(pkg: string): string {
  const bare = pkg.replace(/^@[^/]+\//, '');
  const core = bare.replace(/^(?:populace-)?(?:plugin-)?/, '').replace(/(?:-populace)?(?:-plugin)?$/, '');
  const folded = (core || bare).replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+|-+$/g, '');
  return folded || 'my-plugin';
}
