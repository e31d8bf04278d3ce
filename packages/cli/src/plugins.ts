/**
 * Building the runtime the commands use: the plugins of the config file in
 * the working directory (or `--config`), else of installed packages that
 * declare `"populace": { "plugin": ... }`, plus the built-in example plugin.
 */
import { createRuntime, type BackendChoice, type PopulaceConfig, type Runtime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { loadPlugins } from '@populace/core/node';

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
  const loaded = await loadPlugins({ cwd: options.cwd, ...(options.config === undefined ? {} : { config: options.config }), builtins: [examplePlugin] });
  const backend = options.backend ?? loaded.config?.backend ?? 'auto';
  const runtime = createRuntime({ plugins: loaded.plugins, backend });
  return { runtime, configPath: loaded.configPath, config: loaded.config };
}
