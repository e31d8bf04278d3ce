/**
 * The command-line options every server shares (--db, --config, --backend,
 * --concurrency and the limits), parsed with node:util's parseArgs. Every
 * mistake is a PopulaceError naming the option, the value and the fix.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BACKEND_CHOICES, closest, PopulaceError, type BackendChoice } from '@populace/core';
import { DB_ENV, DEFAULT_DB_FILE } from './db-path.js';
import { DEFAULT_LIMITS, LIMIT_FLAGS, type RunLimits } from './limits.js';
import { parseRedisUrl } from './queue/queue-protocol.js';
import type { ServerKitArgs } from './server-kit.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The shared options, for parseArgs. */
export const SERVER_OPTIONS: Options = {
  db: { type: 'string' },
  config: { type: 'string' },
  plugin: { type: 'string', multiple: true },
  'data-dir': { type: 'string', multiple: true },
  backend: { type: 'string' },
  concurrency: { type: 'string' },
  redis: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...Object.fromEntries(Object.values(LIMIT_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
};

/** Help lines of the shared options. */
export const SERVER_OPTIONS_HELP = [
  `  --db <path>                    run store (SQLite) file; default $${DB_ENV}, else ./${DEFAULT_DB_FILE}`,
  '  --config <file>                populace.config.{js,mjs,ts} giving the plugins (default: the one in',
  '                                 the working directory, else every installed plugin package)',
  '  --plugin <name|path>           load this plugin (repeatable): a package name, resolved from the',
  '                                 working directory and from where Populace is installed, or a path',
  '                                 to a package directory, package.json or module. POPULACE_PLUGINS',
  "                                 adds more, separated like PATH (':' on Linux/macOS, ';' on Windows)",
  '  --data-dir <dir>               directory whose population manifests (.json/.yaml/.yml) requests',
  '                                 may name as their population (repeatable; none: manifests refused)',
  `  --backend <name>               tensor backend: ${BACKEND_CHOICES.join(', ')} (default: the config's, else auto)`,
  '  --concurrency <N>              jobs running at once (default: the number of CPU cores)',
  '  --redis <url>                  run jobs on populace-worker processes through this Redis',
  '                                 (redis://host:6379, rediss:// for TLS); default: in this process',
  ...(Object.keys(LIMIT_FLAGS) as (keyof RunLimits)[]).map((k) => `  --${`${LIMIT_FLAGS[k]} <N>`.padEnd(29)}per-call limit ${k} (default ${DEFAULT_LIMITS[k]})`),
].join('\n');

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\+?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new PopulaceError('invalid-argument', `--${flag}: expected a positive integer, received ${JSON.stringify(text)}.`, { details: { option: flag } });
  }
  return n;
}

/**
 * Parses `argv` with the shared options plus `extra`; returns the kit's arguments and every
 * option's raw value.
 *
 * @example
 * ```ts
 * const { kit, values } = parseServerArgs(process.argv.slice(2), { port: { type: 'string' } });
 * ```
 */
export function parseServerArgs(argv: readonly string[], extra: Options = {}): { kit: ServerKitArgs; values: Record<string, string | boolean | undefined> } {
  const options = { ...SERVER_OPTIONS, ...extra };
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (error) {
    const message = (error as Error).message;
    const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
    const guess = flag ? closest(flag, Object.keys(options).map((o) => `--${o}`)) : undefined;
    throw new PopulaceError('invalid-argument', `${message}${guess && guess !== flag ? ` Did you mean '${guess}'?` : ''} Run with --help for the options.`, { cause: error });
  }
  const v = values as Record<string, string | boolean | undefined>;
  const backend = v.backend as string | undefined;
  if (backend !== undefined && !BACKEND_CHOICES.includes(backend as BackendChoice)) {
    throw new PopulaceError('invalid-argument', `--backend: expected one of ${BACKEND_CHOICES.join(', ')}, received ${JSON.stringify(backend)}.`, { details: { option: 'backend' } });
  }
  const limits: Partial<Record<keyof RunLimits, number>> = {};
  for (const [key, flag] of Object.entries(LIMIT_FLAGS) as [keyof RunLimits, string][]) {
    if (typeof v[flag] === 'string') limits[key] = positive(flag, v[flag] as string);
  }
  return {
    kit: {
      db: v.db as string | undefined,
      config: v.config as string | undefined,
      plugins: (values.plugin as string[] | undefined) ?? [],
      dataDirs: (values['data-dir'] as string[] | undefined) ?? [],
      backend: backend as BackendChoice | undefined,
      concurrency: typeof v.concurrency === 'string' ? positive('concurrency', v.concurrency) : undefined,
      redis: typeof v.redis === 'string' ? parseRedisUrl(v.redis).url : undefined,
      limits,
    },
    values: v,
  };
}

/** Streams and process hooks of a server bin's `main` (defaults: the process's). */
export interface ServerMainIO {
  readonly stdout?: { write(text: string): unknown };
  readonly stderr?: { write(text: string): unknown };
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Resolves when the server should stop (default: SIGINT or SIGTERM). */
  readonly stopped?: Promise<unknown>;
}

/**
 * Resolves with the first SIGINT or SIGTERM the process receives: when a server bin should stop.
 *
 * @example
 * ```ts
 * const signal = await stopSignal(); // then close the kit
 * ```
 */
export function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}
