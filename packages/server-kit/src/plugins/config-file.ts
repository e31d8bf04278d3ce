/**
 * `populace.config.{js,mjs,ts}`: the config file a tool reads from its working
 * directory (or the one named by `--config`). A TypeScript file is transpiled
 * with the `typescript` package (the project's own, else the one installed
 * beside Populace) into a temporary module next to it, imported, then removed.
 * What a config holds, and its check, are core's (`defineConfig`, `validateConfig`).
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PopulaceError, validateConfig, type PopulaceConfig } from '@populace/core';

/** The config file names looked for in the working directory, in order. */
export const CONFIG_FILES = ['populace.config.js', 'populace.config.mjs', 'populace.config.ts'] as const;

async function importTypeScript(file: string): Promise<unknown> {
  let ts: typeof import('typescript') | undefined;
  // The project's own typescript first, then the one installed beside @populace/server-kit.
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
 * Loads a config file: `file` if given (relative to `cwd`), else the first of CONFIG_FILES in
 * `cwd`. Returns undefined when there is none. Errors are PopulaceErrors (`config-not-found`,
 * `config-invalid`) naming the file and the fix.
 *
 * @example
 * ```ts
 * const found = await loadConfig({ cwd: process.cwd() });
 * found?.config.plugins.map((p) => p.name);
 * ```
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
