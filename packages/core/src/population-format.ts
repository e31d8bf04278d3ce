/**
 * Population formats: how a plugin turns a file (a manifest naming data
 * files, say) into a population, so tools accept a path wherever they accept
 * a population id. The rule every tool follows: a population value that ends
 * in an extension a loaded format reads (`.json`, `.yaml`, `.yml` for the
 * manifests of @populace/populations) is a file path; anything else is an id.
 */
import type { PopulationDefinition } from './population.js';
import { assertDefinition, deepFreeze, isPlainObject, LOCAL_NAME } from './validate.js';

/** Options of a format's `open`. */
export interface PopulationFileAccess {
  /**
   * Called with the absolute path of every file before it is read (the manifest and each file it
   * names); throws to refuse it. Servers use it to keep reads inside their data directories.
   */
  readonly check?: (file: string) => void;
}

/** A population opened from a file. */
export interface OpenedPopulationFile {
  readonly population: PopulationDefinition;
  /** `sha256:<hex>` over the contents of every file it reads, in order: what was run. */
  readonly digest: string;
  /** Absolute paths of the files it reads (the manifest first). */
  readonly files: readonly string[];
}

/** A file format populations can be read from. */
export interface PopulationFormatDefinition {
  readonly id: string;
  readonly description: string;
  /** Lower-case extensions with their dot (`.yaml`). */
  readonly extensions: readonly string[];
  /** Opens a file (an absolute path): checks it, counts its agents, and says which files it reads. */
  open(file: string, access?: PopulationFileAccess): OpenedPopulationFile;
}

/**
 * Declares a population format. Pure: validates, freezes and returns it.
 *
 * @example
 * ```ts
 * const manifests = definePopulationFormat({
 *   id: 'manifest', description: 'population manifests', extensions: ['.yaml'],
 *   open: (file, access) => openManifest(file, access),
 * });
 * ```
 */
export function definePopulationFormat(input: PopulationFormatDefinition): PopulationFormatDefinition {
  const where = `definePopulationFormat(${typeof input?.id === 'string' ? input.id : '?'})`;
  assertDefinition(isPlainObject(input), 'definePopulationFormat', 'an object { id, description, extensions, open }', input);
  assertDefinition(typeof input.id === 'string' && LOCAL_NAME.test(input.id) && !input.id.includes('/'), `${where}.id`, "a local name without '/'", input.id);
  assertDefinition(typeof input.description === 'string' && input.description.length > 0, `${where}.description`, 'a non-empty string', input.description);
  assertDefinition(Array.isArray(input.extensions) && input.extensions.length > 0 && input.extensions.every((e) => typeof e === 'string' && /^\.[a-z0-9]+$/.test(e)), `${where}.extensions`, "a non-empty array of lower-case extensions with their dot, such as ['.yaml']", input.extensions);
  assertDefinition(typeof input.open === 'function', `${where}.open`, 'a function (file, access) => { population, digest, files }', input.open);
  return deepFreeze({ ...input, extensions: [...input.extensions] });
}

/** The format of `formats` that reads `value`'s extension, if any. */
export function formatFor<T extends { readonly extensions: readonly string[] }>(value: string, formats: readonly T[]): T | undefined {
  const lower = value.toLowerCase();
  return formats.find((f) => f.extensions.some((e) => lower.endsWith(e)));
}
