/**
 * Building the runtime the commands use: the plugins of the config file in
 * the working directory (or `--config`), else of installed packages that
 * declare `"populace": { "plugin": ... }`, plus the built-in example plugin.
 * The loading itself is core's `loadRuntime` (shared with the servers).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BackendChoice, PopulaceConfig, Runtime } from '@populace/core';
import { loadRuntime as loadToolRuntime } from '@populace/core/node';
import { checkInputFile } from './input-file.js';

/** A runtime and where its plugins came from. */
export interface LoadedRuntime {
  readonly runtime: Runtime;
  /** The config file used, if any. */
  readonly configPath: string | undefined;
  readonly config: PopulaceConfig | undefined;
}

/**
 * Loads the plugins visible from `cwd` and creates a runtime. The backend is `backend` if
 * given, else the config file's `backend`, else `auto`. Errors are PopulaceErrors.
 */
export async function loadRuntime(options: { cwd: string; config?: string | undefined; backend?: BackendChoice | undefined }): Promise<LoadedRuntime> {
  // a FIFO or a device as --config would hang or fail the import (a missing file is core's to report)
  if (options.config !== undefined && existsSync(path.resolve(options.cwd, options.config))) checkInputFile(options.config, options.cwd, 'config', 'a populace.config.{js,mjs,ts} file');
  const loaded = await loadToolRuntime({ cwd: options.cwd, ...(options.config === undefined ? {} : { config: options.config }), ...(options.backend === undefined ? {} : { backend: options.backend }) });
  return { runtime: loaded.runtime, configPath: loaded.configPath, config: loaded.config };
}
