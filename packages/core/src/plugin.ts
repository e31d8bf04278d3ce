/**
 * Plugins: plain, frozen manifests of what a package contributes. Declaring a
 * plugin registers nothing; `createRuntime({ plugins })` does.
 */
import type { ModelDefinition } from './model.js';
import type { PopulationDefinition } from './population.js';
import type { PopulationFormatDefinition } from './population-format.js';
import type { SubstepDefinition } from './substep.js';
import { assertDefinition, deepFreeze, isPlainObject } from './validate.js';

/** Contributions whose full shape is defined by their own packages (ODE components, archetypes). */
export interface Contribution {
  readonly id: string;
  readonly description?: string;
}

export interface PluginDefinition<
  Name extends string = string,
  Models extends readonly ModelDefinition[] = readonly ModelDefinition[],
  Populations extends readonly PopulationDefinition[] = readonly PopulationDefinition[],
> {
  /** Namespace of every id it contributes: `<name>/<id>`. */
  readonly name: Name;
  readonly version: string;
  readonly description?: string;
  /** Names of plugins that must be in the same runtime. */
  readonly requires: readonly string[];
  readonly models: Models;
  readonly populations: Populations;
  readonly substeps: readonly SubstepDefinition<any, any>[];
  readonly odeComponents: readonly Contribution[];
  readonly archetypes: readonly Contribution[];
  /** File formats populations can be read from (`--population town.yaml`). */
  readonly populationFormats: readonly PopulationFormatDefinition[];
}

export interface PluginInput<Name extends string, Models extends readonly ModelDefinition[], Populations extends readonly PopulationDefinition[]> {
  readonly name: Name;
  readonly version: string;
  readonly description?: string;
  readonly requires?: readonly string[];
  readonly models?: Models;
  readonly populations?: Populations;
  readonly substeps?: readonly SubstepDefinition<any, any>[];
  readonly odeComponents?: readonly Contribution[];
  readonly archetypes?: readonly Contribution[];
  readonly populationFormats?: readonly PopulationFormatDefinition[];
}

export const PLUGIN_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Declares a plugin. Pure: validates, freezes and returns the manifest.
 *
 * @example
 * ```ts
 * export const plugin = definePlugin({ name: 'walks', version: '1.0.0', models: [walk] });
 * export default plugin;
 * ```
 */
export function definePlugin<
  const Name extends string,
  const Models extends readonly ModelDefinition[] = readonly [],
  const Populations extends readonly PopulationDefinition[] = readonly [],
>(input: PluginInput<Name, Models, Populations>): PluginDefinition<Name, Models, Populations> {
  assertDefinition(isPlainObject(input), 'definePlugin', 'an object { name, version, models?, populations?, ... }', input);
  const where = `definePlugin(${typeof input.name === 'string' ? input.name : '?'})`;
  assertDefinition(typeof input.name === 'string' && PLUGIN_NAME.test(input.name), `${where}.name`, 'a lowercase name of letters, digits and - (it becomes the id namespace)', input.name);
  assertDefinition(typeof input.version === 'string' && /^\d+\.\d+\.\d+/.test(input.version), `${where}.version`, 'a semver version such as 1.0.0', input.version);
  const lists = ['models', 'populations', 'substeps', 'odeComponents', 'archetypes', 'populationFormats'] as const;
  for (const key of lists) {
    const list = input[key];
    assertDefinition(list === undefined || Array.isArray(list), `${where}.${key}`, 'an array', list);
    const ids = new Set<string>();
    for (const item of list ?? []) {
      const id = key === 'substeps' ? (item as SubstepDefinition).name : (item as Contribution).id;
      assertDefinition(isPlainObject(item) && typeof id === 'string', `${where}.${key}`, key === 'substeps' ? 'substeps made with defineSubstep' : 'definitions with an id', item);
      assertDefinition(!ids.has(id), `${where}.${key}`, 'unique ids within the plugin', id, `Rename one of the two '${id}'.`);
      ids.add(id);
    }
  }
  const requires = input.requires ?? [];
  assertDefinition(Array.isArray(requires) && requires.every((r) => typeof r === 'string' && PLUGIN_NAME.test(r)), `${where}.requires`, 'an array of plugin names', requires);
  return deepFreeze({
    name: input.name,
    version: input.version,
    ...(input.description === undefined ? {} : { description: input.description }),
    requires: [...requires],
    models: [...(input.models ?? [])] as unknown as Models,
    populations: [...(input.populations ?? [])] as unknown as Populations,
    substeps: [...(input.substeps ?? [])],
    odeComponents: [...(input.odeComponents ?? [])],
    archetypes: [...(input.archetypes ?? [])],
    populationFormats: [...(input.populationFormats ?? [])],
  });
}

/** True for a value shaped like a plugin manifest (used when loading plugins from packages). */
export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return isPlainObject(value) && typeof value.name === 'string' && typeof value.version === 'string' && Array.isArray(value.models) && Array.isArray(value.populations);
}

type Ids<P, K extends 'models' | 'populations'> = P extends PluginDefinition<infer N, infer M, infer Q>
  ? (K extends 'models' ? M : Q)[number] extends infer D
    ? D extends { id: infer I extends string }
      ? `${N}/${I}` | I
      : never
    : never
  : never;

/** Full and bare model ids of a plugin list (just `string` when the list is only known at run time). */
export type ModelIdOf<P extends readonly PluginDefinition[]> = string extends P[number]['name'] ? string : Ids<P[number], 'models'>;
/** Full and bare population ids of a plugin list. */
export type PopulationIdOf<P extends readonly PluginDefinition[]> = string extends P[number]['name'] ? string : Ids<P[number], 'populations'>;
