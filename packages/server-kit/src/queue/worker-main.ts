/**
 * `populace-worker`: runs jobs from the servers' Redis queue with the plugins
 * it is started with, until SIGINT or SIGTERM. The first signal stops taking
 * jobs and lets the running ones finish; a second releases them (BullMQ's
 * stalled-job check gives them to another worker).
 */
import { parseArgs } from 'node:util';
import { BACKEND_CHOICES, closest, PopulaceError, threadsFromEnv, type BackendChoice } from '@populace/core';
import { behaviorModelFromEnv } from '../behavior-model.js';
import { loadRuntime } from '../plugins/load-runtime.js';
import { pluginsFromEnv } from '../plugins/plugin-specifiers.js';
import type { ServerMainIO } from '../server-args.js';
import { describePluginSources } from '../server-kit.js';
import { DEFAULT_QUEUE_NAME, parseRedisUrl } from './queue-protocol.js';
import { startQueueWorker } from './queue-worker.js';
import { checkRedis } from './redis-connection.js';

/** The help text. */
export const WORKER_USAGE = `Usage: populace-worker --redis <url> [--plugin <name|path>]... [--concurrency N]

Runs Populace jobs that populace-graphql / populace-mcp started with the same
--redis put on the queue. Start any number, on any machine that reaches Redis;
each needs the plugins of the models it is to run (a job whose model it lacks
fails with that message).

  --redis <url>                  redis://[user:password@]host[:port][/db], rediss:// for TLS
  --plugin <name|path>           load this plugin (repeatable; POPULACE_PLUGINS adds more)
  --config <file>                populace.config.{js,mjs,ts} giving the plugins
  --backend <name>               tensor backend: ${BACKEND_CHOICES.join(', ')} (default auto)
  --concurrency <N>              jobs run at once (default 1)
  --queue <name>                 queue name (default ${DEFAULT_QUEUE_NAME}; the servers' must match)
  --lock-ms <N>                  how long a job stays locked to a silent worker (default 30000)
  --stalled-interval-ms <N>      how often stalled jobs are handed to another worker (default 30000)
  -h, --help                     this help
`;

function positive(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\+?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) throw new PopulaceError('invalid-argument', `--${flag}: expected a positive integer, received ${JSON.stringify(text)}.`);
  return n;
}

/**
 * Runs a worker until it is stopped; resolves with the exit code (0; 2 for a bad command line,
 * a plugin that does not load or Redis unreachable; 1 for an unexpected failure).
 *
 * @example
 * ```ts
 * process.exitCode = await workerMain(['--redis', 'redis://127.0.0.1:6379', '--plugin', '@populace/models-epi']);
 * ```
 */
export async function workerMain(argv: readonly string[], io: ServerMainIO = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const log = (m: string) => stderr.write(`${m}\n`);
  const env = io.env ?? process.env;
  try {
    const options = { redis: { type: 'string' }, plugin: { type: 'string', multiple: true }, config: { type: 'string' }, backend: { type: 'string' }, concurrency: { type: 'string' }, queue: { type: 'string' }, 'lock-ms': { type: 'string' }, 'stalled-interval-ms': { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
    let values;
    try {
      ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
    } catch (error) {
      const flag = /'(-{1,2}[^' ]+)/.exec((error as Error).message)?.[1];
      const guess = flag ? closest(flag, Object.keys(options).map((o) => `--${o}`)) : undefined;
      throw new PopulaceError('invalid-argument', `${(error as Error).message}${guess && guess !== flag ? ` Did you mean '${guess}'?` : ''} Run with --help for the options.`);
    }
    if (values.help) {
      stdout.write(WORKER_USAGE);
      return 0;
    }
    if (values.redis === undefined) throw new PopulaceError('invalid-argument', '--redis: required, e.g. --redis redis://127.0.0.1:6379 (the URL the servers were started with).');
    const redis = parseRedisUrl(values.redis);
    if (values.backend !== undefined && !BACKEND_CHOICES.includes(values.backend as BackendChoice)) throw new PopulaceError('invalid-argument', `--backend: expected one of ${BACKEND_CHOICES.join(', ')}, received ${JSON.stringify(values.backend)}.`);
    const concurrency = positive('concurrency', values.concurrency, 1);
    const lockDurationMs = positive('lock-ms', values['lock-ms'], 30_000);
    const stalledIntervalMs = positive('stalled-interval-ms', values['stalled-interval-ms'], 30_000);
    const queueName = values.queue ?? DEFAULT_QUEUE_NAME;
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(queueName)) throw new PopulaceError('invalid-argument', `--queue: expected letters, digits, '.', '_' or '-', received ${JSON.stringify(queueName)}.`);
    threadsFromEnv(env);
    const stop = io.stopped ?? new Promise<void>((resolve) => ['SIGINT', 'SIGTERM'].forEach((s) => process.once(s, () => resolve())));
    await checkRedis(redis);
    const cwd = io.cwd ?? process.cwd();
    const { runtime, sources } = await loadRuntime({ cwd, plugins: [...(values.plugin ?? []), ...pluginsFromEnv(env)], ...(values.config === undefined ? {} : { config: values.config }), ...(values.backend === undefined ? {} : { backend: values.backend as BackendChoice }) });
    const behaviorModel = await behaviorModelFromEnv(env);
    const worker = startQueueWorker({ runtime, redis, concurrency, queueName, lockDurationMs, stalledIntervalMs, ...(behaviorModel === undefined ? {} : { behaviorModel }) });
    log(`populace-worker ${worker.name}: queue ${queueName} on ${redis.display}; ${runtime.models.ids().length} models; plugins ${describePluginSources(sources)}`);
    stdout.write(`populace-worker ready (${worker.name}, concurrency ${concurrency})\n`);
    await stop;
    log(`populace-worker ${worker.name}: stopping; running jobs finish (signal again to release them to another worker)`);
    const again = io.stopped ? new Promise<never>(() => {}) : new Promise<void>((resolve) => ['SIGINT', 'SIGTERM'].forEach((s) => process.once(s, () => resolve())));
    // a second signal releases the running jobs; with Redis gone the worker gives up after 5 s
    await Promise.race([worker.close(), again.then(() => Promise.race([worker.close(true), new Promise((r) => setTimeout(r, 5000).unref())]))]);
    log(`populace-worker ${worker.name}: stopped after ${worker.completed()} jobs`);
    return 0;
  } catch (error) {
    if (PopulaceError.isInstance(error)) {
      log(`populace-worker: ${error.message}`);
      return 2;
    }
    log(`populace-worker: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
