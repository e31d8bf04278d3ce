/**
 * `populace-graphql`: the command. Serves the GraphQL API until SIGINT or
 * SIGTERM; then it stops listening and closes the kit, so runs still
 * queued or running are recorded as failed (`interrupted`), never lost.
 */
import { PopulaceError } from '@populace/core';
import { describePluginSources, openServerKit, parseServerArgs, SERVER_OPTIONS_HELP, stopSignal, type ServerMainIO } from '@populace/server-kit';
import { DEFAULT_HOST, DEFAULT_PORT, startGraphqlServer } from './http-server.js';
import { DEFAULT_QUERY_LIMITS } from './query-limits.js';
import type { ChatModel } from './resolvers-analysis.js';

/** The help text. */
export const USAGE = `Usage: populace-graphql [--port N] [--host 127.0.0.1] [options]

Serves the Populace GraphQL API at http://<host>:<port>/graphql (GraphiQL in a
browser; subscriptions over server-sent events).

  --port <N>                     HTTP port (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <host>                  HTTP host (default ${DEFAULT_HOST}; loopback hosts only accept loopback Host headers)
  --max-query-depth <N>          deepest field nesting of a query (default ${DEFAULT_QUERY_LIMITS.maxDepth})
  --max-query-cost <N>           highest estimated query cost (default ${DEFAULT_QUERY_LIMITS.maxCost})
${SERVER_OPTIONS_HELP}
  -h, --help                     this help
`;

/** Streams and process hooks of `main` (defaults: the process's). */
export type MainIO = ServerMainIO;

function integerFlag(flag: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new PopulaceError('invalid-argument', `--${flag}: expected an integer in [${min}, ${max}], received ${JSON.stringify(text)}.`, { details: { option: flag } });
  return n;
}

/**
 * Runs the server until it is stopped; resolves with the exit code (0, or 2 for a bad command
 * line or configuration, 1 for an unexpected failure).
 *
 * @example
 * ```ts
 * process.exitCode = await main(['--port', '0', '--db', 'runs.db']);
 * ```
 */
export async function main(argv: readonly string[], io: MainIO = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const log = (m: string) => stderr.write(`${m}\n`);
  try {
    const { kit: args, values } = parseServerArgs(argv, { port: { type: 'string' }, host: { type: 'string' }, 'max-query-depth': { type: 'string' }, 'max-query-cost': { type: 'string' } });
    if (values.help) {
      stdout.write(USAGE);
      return 0;
    }
    const port = integerFlag('port', values.port as string | undefined, 0, 65535) ?? DEFAULT_PORT;
    const host = (values.host as string | undefined) ?? DEFAULT_HOST;
    if (host.length === 0) throw new PopulaceError('invalid-argument', '--host: expected a host name or address such as 127.0.0.1, received "".');
    const maxDepth = integerFlag('max-query-depth', values['max-query-depth'] as string | undefined, 1);
    const maxCost = integerFlag('max-query-cost', values['max-query-cost'] as string | undefined, 1);
    const stop = io.stopped ?? stopSignal();
    const kit = await openServerKit({ ...args, ...(io.cwd ? { cwd: io.cwd } : {}), ...(io.env ? { env: io.env } : {}) });
    let server;
    try {
      // POPULACE_LLM_PROVIDER's chat model (read by openServerKit): archetypes and the ask mutation share it
      const chatModel = kit.behaviorModel as ChatModel | undefined;
      server = await startGraphqlServer({ kit, port, host, queryLimits: { ...(maxDepth ? { maxDepth } : {}), ...(maxCost ? { maxCost } : {}) }, chatModel });
    } catch (error) {
      await kit.close();
      throw error;
    }
    const recovered = kit.store.recoveredOnOpen;
    log(`populace-graphql: run store ${kit.dbPath}${recovered ? ` (${recovered} runs of a stopped server marked interrupted)` : ''}; ${kit.runtime.models.ids().length} models; plugins ${describePluginSources(kit.pluginSources)}`);
    stdout.write(`populace-graphql listening on ${server.url}\n`);
    await stop;
    // runs end first (their subscribers see the interrupted finish), then the connections close
    await kit.close();
    await server.close();
    return 0;
  } catch (error) {
    if (PopulaceError.isInstance(error)) {
      log(`populace-graphql: ${error.message}`);
      return 2;
    }
    log(`populace-graphql: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
