/**
 * Population manifests named by a request (`population: "town/population.yaml"`):
 * a server reads them only under the directories its operator allows with
 * `--data-dir`. A relative path is looked up in each data directory in order;
 * an absolute one must lie inside one. Symlinks and `..` are resolved before
 * the check, and every file the manifest names is checked the same way before
 * it is read. Messages never show the data directories' absolute paths.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { PopulaceError, type PopulationFile, type Runtime } from '@populace/core';

/** The data directories of a server, resolved (real paths). */
export interface DataDirs {
  readonly dirs: readonly string[];
  /**
   * Any manifest is read, a relative path resolved from this directory (the CLI: the user's own
   * files, from its working directory); the servers never set it.
   */
  readonly anyFrom?: string | undefined;
}

/**
 * Resolves `--data-dir` values against `cwd`: each must be an existing directory. Returns their real paths.
 *
 * @example
 * ```ts
 * const dataDirs = resolveDataDirs(['./data'], process.cwd());
 * ```
 */
export function resolveDataDirs(values: readonly string[], cwd: string): DataDirs {
  const dirs = values.map((value) => {
    const full = path.resolve(cwd, value);
    if (!existsSync(full) || !statSync(full).isDirectory()) {
      throw new PopulaceError('invalid-argument', `--data-dir: expected an existing directory, received ${JSON.stringify(value)} (${full} ${existsSync(full) ? 'is not a directory' : 'does not exist'}). Create it or fix the path.`, { details: { option: 'data-dir' } });
    }
    return realpathSync(full);
  });
  return { dirs: [...new Set(dirs)] };
}

const inside = (file: string, dir: string): boolean => {
  const rel = path.relative(dir, file);
  return rel === '' ? false : !rel.startsWith('..') && !path.isAbsolute(rel);
};

/** The real path of `file`, or its lexical path (`..` resolved) when it does not exist. */
function real(file: string): string {
  return existsSync(file) ? realpathSync(file) : path.resolve(file);
}

function refused(value: string, what: string): PopulaceError {
  return new PopulaceError('path-not-allowed', `population '${value}': ${what} is outside the server's data directories, so it is not read. Put the population under a directory given with --data-dir, or name it relative to one.`, { details: { population: value } });
}

/** Replaces the data directories' absolute paths in a message with `<data-dir>`. */
function mask(message: string, dataDirs: DataDirs): string {
  let out = message;
  for (const dir of dataDirs.dirs) {
    out = out.split(dir).join('<data-dir>');
    const rel = path.relative(process.cwd(), dir);
    if (rel && rel !== '.' && !rel.startsWith('..')) out = out.split(rel).join('<data-dir>');
  }
  return out;
}

/**
 * Opens the population file a request names, inside the data directories only. Throws a
 * PopulaceError (`path-not-allowed`) for a path outside them (nothing is read), or when the server
 * has no data directory; `invalid-argument` when no data directory holds it.
 *
 * @example
 * ```ts
 * const file = openAllowedPopulationFile(runtime, 'town/population.yaml', dataDirs);
 * file.digest; // 'sha256:...'
 * ```
 */
export function openAllowedPopulationFile(runtime: Runtime, value: string, dataDirs: DataDirs): PopulationFile {
  if (dataDirs.anyFrom !== undefined) return runtime.openPopulationFile(path.resolve(dataDirs.anyFrom, value), { name: value });
  if (dataDirs.dirs.length === 0) {
    throw new PopulaceError('path-not-allowed', `population '${value}' names a population file, and this server reads none: its operator must start it with --data-dir <dir> to allow the manifests under <dir>. Otherwise use a population id (list_populations).`, { details: { population: value } });
  }
  const candidates = path.isAbsolute(value) ? [value] : dataDirs.dirs.map((d) => path.join(d, value));
  let found: string | undefined;
  for (const candidate of candidates) {
    const full = real(candidate);
    if (!dataDirs.dirs.some((d) => inside(full, d))) throw refused(value, 'the file');
    if (existsSync(full)) {
      found = full;
      break;
    }
  }
  if (found === undefined) {
    throw new PopulaceError('invalid-argument', `population '${value}': no such file in the server's data directories. Name a manifest relative to a data directory (e.g. town/population.yaml).`, { details: { population: value } });
  }
  const check = (file: string): void => {
    if (!dataDirs.dirs.some((d) => inside(real(file), d))) throw refused(value, `a file it names (${path.basename(file)})`);
  };
  try {
    return runtime.openPopulationFile(found, { name: value, check });
  } catch (error) {
    if (PopulaceError.isInstance(error)) throw new PopulaceError(error.code, mask(error.message, dataDirs), { details: { population: value }, cause: error });
    throw error;
  }
}
