/**
 * `defineConfig`: the contents of a `populace.config.{js,mjs,ts}` file.
 */
import { BACKEND_CHOICES, type BackendChoice } from './backend.js';
import { isPluginDefinition, type PluginDefinition } from './plugin.js';
import { assertDefinition, deepFreeze, isPlainObject } from './validate.js';

export interface PopulaceConfig {
  /** Plugins to load, in order. */
  readonly plugins: readonly PluginDefinition[];
  /** Default tensor backend for tools that read this config. */
  readonly backend?: BackendChoice;
}

/**
 * Declares a project's Populace configuration.
 *
 * @example
 * ```ts
 * // populace.config.js
 * import { defineConfig } from '@populace/core';
 * import epi from '@populace/models-epi';
 * export default defineConfig({ plugins: [epi] });
 * ```
 */
export function defineConfig(config: PopulaceConfig): PopulaceConfig {
  validateConfig(config, 'defineConfig');
  return deepFreeze({ ...config, plugins: [...config.plugins] });
}

/** Checks a config object; `where` names the file or call in errors. */
export function validateConfig(config: unknown, where: string): asserts config is PopulaceConfig {
  assertDefinition(isPlainObject(config), where, 'a config object { plugins, backend? } (use defineConfig)', config);
  assertDefinition(Array.isArray(config.plugins), `${where}.plugins`, 'an array of plugins', config.plugins);
  config.plugins.forEach((p, i) => assertDefinition(isPluginDefinition(p), `${where}.plugins[${i}]`, 'a plugin made with definePlugin', p, "Import the package's default export."));
  assertDefinition(config.backend === undefined || BACKEND_CHOICES.includes(config.backend as BackendChoice), `${where}.backend`, `one of ${BACKEND_CHOICES.join(', ')}`, config.backend);
}
