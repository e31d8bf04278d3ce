/**
 * @populace/server-kit/plugins: finding plugins on disk. The tools (the CLI,
 * the servers, `populace-worker`) load plugins named by `--plugin` /
 * POPULACE_PLUGINS, from a `populace.config.{js,mjs,ts}` file, or else from
 * installed packages whose package.json declares
 * `"populace": { "plugin": "./dist/plugin.js" }`. What a config file holds
 * (`defineConfig`, `PopulaceConfig`) is core's.
 */
export { CONFIG_FILES, loadConfig } from './config-file.js';
export { discoverPlugins, importPluginPackage } from './installed-packages.js';
export type { PluginSource } from './installed-packages.js';
export { INSTALL_DIR, loadPlugins, loadRuntime } from './load-runtime.js';
export type { LoadedPlugins, LoadedRuntime, LoadPluginsOptions } from './load-runtime.js';
export { PLUGINS_ENV, pluginsFromEnv, resolvePluginSpecifier } from './plugin-specifiers.js';
export type { ResolvedPluginSpecifier } from './plugin-specifiers.js';
