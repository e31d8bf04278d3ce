/**
 * `populace-graphql`: the command. Serves the GraphQL API until SIGINT or
 * SIGTERM; then it stops listening and closes the kit, so runs still
 * queued or running are recorded as failed (`interrupted`), never lost.
 */
import { PopulaceError } from '@populace/core';
import { createHttpGuard, describePluginSources, HTTP_OPTIONS, httpOptionsHelp, integerOption, openServerKit, parseHttpArgs, parseServerArgs, SERVER_OPTIONS_HELP, stopSignal, type ServerMainIO } from '@populace/server-kit';
import { DEFAULT_PORT, startGraphqlServer } from './http-server.js';
import { DEFAULT_QUERY_LIMITS } from './query-limits.js';
import type { ChatModel } from './resolvers-analysis.js';

/** The help text. */
export const USAGE = `Usage: populace-graphql [--port N] [--host 127.0.0.1] [--token T] [options]

Serves the Populace GraphQL API at http://<host>:<port>/graphql (GraphiQL in a
browser; subscriptions over server-sent events). The Host header must name this
server and browser requests from other origins are refused; any --host outside
loopback needs a bearer token.

${httpOptionsHelp(DEFAULT_PORT)}
  --max-query-depth <N>          deepest field nesting of a query (default ${DEFAULT_QUERY_LIMITS.maxDepth})
  --max-query-cost <N>           highest estimated query cost (default ${DEFAULT_QUERY_LIMITS.maxCost})
  --no-graphiql                  no GraphiQL page (for production; the API answers as usual)
  --no-introspection             refuse schema introspection (__schema, __type); GraphiQL needs it
${SERVER_OPTIONS_HELP}
  -h, --help                     this help
`;

/** Streams and process hooks of `main` (defaults: the process's). */
export type MainIO = ServerMainIO;

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
    const { kit: args, values } = parseServerArgs(argv, { ...HTTP_OPTIONS, 'max-query-depth': { type: 'string' }, 'max-query-cost': { type: 'string' }, 'no-graphiql': { type: 'boolean' }, 'no-introspection': { type: 'boolean' } });
    if (values.help) {
      stdout.write(USAGE);
      return 0;
    }
    const http = parseHttpArgs(values, { defaultPort: DEFAULT_PORT, env: io.env ?? process.env });
    // a bind outside loopback without a token, or a weak token, fails before the kit loads
    createHttpGuard(http);
    const maxDepth = integerOption('max-query-depth', values['max-query-depth'] as string | undefined, 1);
    const maxCost = integerOption('max-query-cost', values['max-query-cost'] as string | undefined, 1);
    const stop = io.stopped ?? stopSignal();
    const kit = await openServerKit({ ...args, ...(io.cwd ? { cwd: io.cwd } : {}), ...(io.env ? { env: io.env } : {}) });
    let server;
    try {
      // POPULACE_LLM_PROVIDER's chat model (read by openServerKit): archetypes and the ask mutation share it
      const chatModel = kit.behaviorModel as ChatModel | undefined;
      server = await startGraphqlServer({ kit, ...http, queryLimits: { ...(maxDepth ? { maxDepth } : {}), ...(maxCost ? { maxCost } : {}) }, chatModel, yoga: {
          graphiql: values['no-graphiql'] !== true,
          introspection: values['no-introspection'] !== true,
          // large population builds run in the kit's worker builder, shared with its runs
          populationBuilder: kit.populationBuilder,
        },
      });
    } catch (error) {
      await kit.close();
      throw error;
    }
    const recovered = kit.store.recoveredOnOpen;
    log(`populace-graphql: run store ${kit.dbPath}${recovered ? ` (${recovered} runs of a stopped server marked interrupted)` : ''}; ${kit.runtime.models.ids().length} models; plugins ${describePluginSources(kit.pluginSources)}`);
    log(`populace-graphql: ${server.access}`);
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
