/**
 * Where the run store lives: `--db <path>`, else the environment variable
 * POPULACE_DB, else `populace-runs.db` in the working directory.
 */
import path from 'node:path';

/** The file name used when neither --db nor POPULACE_DB is given. */
export const DEFAULT_DB_FILE = 'populace-runs.db';

/** The environment variable that names the run store. */
export const DB_ENV = 'POPULACE_DB';

/**
 * The run store path: `db` (from --db), else `env.POPULACE_DB`, else `<cwd>/populace-runs.db`,
 * resolved against `cwd`. ':memory:' is kept as it is.
 *
 * @example
 * ```ts
 * resolveDbPath({ db: undefined, env: { POPULACE_DB: '/data/runs.db' } }); // '/data/runs.db'
 * ```
 */
export function resolveDbPath(options: { db?: string | undefined; env?: Readonly<Record<string, string | undefined>>; cwd?: string } = {}): string {
  const env = options.env ?? process.env;
  const chosen = options.db ?? (env[DB_ENV] ? env[DB_ENV] : undefined) ?? DEFAULT_DB_FILE;
  return chosen === ':memory:' ? chosen : path.resolve(options.cwd ?? process.cwd(), chosen);
}
