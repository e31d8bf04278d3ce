/**
 * Writing a new plugin project into a directory: refuses a non-empty one, writes nothing over
 * existing files, and touches no network (installing is the next step, the user's).
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkPackageName, checkPluginName, ScaffoldError } from './names.js';
import { pluginFiles } from './templates.js';

/** What to scaffold, and where. */
export interface ScaffoldOptions {
  /** Target directory (created when missing; must be empty when present). */
  readonly dir: string;
  /** npm package name. */
  readonly packageName: string;
  /** Plugin name: the namespace of its ids. */
  readonly pluginName: string;
}

/** What was written. */
export interface ScaffoldResult {
  /** Absolute path of the project. */
  readonly dir: string;
  /** Files written, relative to `dir`, sorted. */
  readonly files: readonly string[];
}

/** Entries of `dir` that make it non-empty ('.git' alone is allowed), or undefined when it does not exist. */
async function entriesOf(dir: string): Promise<string[] | undefined> {
  try {
    return (await readdir(dir)).filter((e) => e !== '.git');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw new ScaffoldError(`${dir} is a file; choose a directory that does not exist yet, or an empty one.`);
    throw error;
  }
}

/**
 * Scaffolds a plugin project: package.json, tsconfig, src/ (model, population, plugin, test),
 * README and a changesets setup.
 *
 * @example
 * ```ts
 * await scaffoldPlugin({ dir: 'flu-plugin', packageName: 'populace-plugin-flu', pluginName: 'flu' });
 * ```
 */
export async function scaffoldPlugin(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const packageName = checkPackageName(options.packageName);
  const pluginName = checkPluginName(options.pluginName);
  if (typeof options.dir !== 'string' || options.dir.trim() === '') throw new ScaffoldError('expected a target directory, e.g. create-populace-plugin my-plugin.');
  const dir = path.resolve(options.dir);
  const existing = await entriesOf(dir);
  if (existing && existing.length > 0) {
    const shown = existing.slice(0, 5).join(', ') + (existing.length > 5 ? `, ... (${existing.length} entries)` : '');
    throw new ScaffoldError(`${options.dir} is not empty (it holds ${shown}); choose a new directory or empty this one. Nothing was written.`);
  }
  const files = pluginFiles({ packageName, pluginName });
  for (const [rel, text] of Object.entries(files)) {
    const target = path.join(dir, rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text, { flag: 'wx' });
  }
  return { dir, files: Object.keys(files).sort() };
}
