/**
 * Building the runtime the commands use: the plugins named by `--plugin` and
 * POPULACE_PLUGINS, then those of the config file in the working directory
 * (or `--config`), else of installed packages that declare
 * `"populace": { "plugin": ... }`, plus the built-in example plugin.
 * The loading itself is server-kit's `loadRuntime` (shared with the servers
 * and `populace-worker`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { BackendChoice, PopulaceConfig, Runtime } from '@populace/core';
import { loadRuntime as loadToolRuntime, pluginsFromEnv, type PluginSource } from '@populace/server-kit/plugins';
import type { ParsedArgs } from './args.js';
import type { ResolvedIO } from './io.js';
import { checkInputFile } from './input-file.js';

/** A runtime and where its plugins came from. */
export interface LoadedRuntime {
  readonly runtime: Runtime;
  /** The config file used, if any. */
  readonly configPath: string | undefined;
  readonly config: PopulaceConfig | undefined;
  /** Where each plugin came from, in load order. */
  readonly sources: readonly PluginSource[];
}

/** Where the plugins of a command line come from: --config, --plugin and the environment. */
export interface PluginArgs {
  readonly cwd: string;
  readonly config?: string | undefined;
  /** `--plugin` values, then POPULACE_PLUGINS entries. */
  readonly plugins: readonly string[];
}

/** The CLI's own directory: package names given to --plugin are also resolved from here. */
const CLI_DIR = path.dirname(fileURLToPath(import.meta.url));

/** The plugin options of parsed arguments: `--config`, every `--plugin`, then POPULACE_PLUGINS. */
export function pluginArgs(args: ParsedArgs, io: ResolvedIO): PluginArgs {
  const flags = (args.options.plugin as readonly string[] | undefined) ?? [];
  return { cwd: io.cwd, config: args.options.config as string | undefined, plugins: [...flags, ...pluginsFromEnv(io.env)] };
}

/**
 * Loads the plugins and creates a runtime. The backend is `backend` if given, else the config
 * file's `backend`, else `auto`. Errors are PopulaceErrors naming the plugin that failed.
 */
export async function loadRuntime(options: PluginArgs & { backend?: BackendChoice | undefined }): Promise<LoadedRuntime> {
  // a FIFO or a device as --config would hang or fail the import (a missing file is loadConfig's to report)
  if (options.config !== undefined && existsSync(path.resolve(options.cwd, options.config))) checkInputFile(options.config, options.cwd, 'config', 'a populace.config.{js,mjs,ts} file');
  const loaded = await loadToolRuntime({
    cwd: options.cwd,
    plugins: options.plugins,
    searchFrom: [CLI_DIR],
    ...(options.config === undefined ? {} : { config: options.config }),
    ...(options.backend === undefined ? {} : { backend: options.backend }),
  });
  return { runtime: loaded.runtime, configPath: loaded.configPath, config: loaded.config, sources: loaded.sources };
}
