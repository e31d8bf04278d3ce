/**
 * `populace-mcp`: the command. stdio by default; `--http` serves Streamable
 * HTTP. It stops on SIGINT/SIGTERM (and, over stdio, when the client closes
 * the connection); unfinished jobs are then recorded as interrupted.
 */
import { PopulaceError } from '@populace/core';
import { createHttpGuard, describePluginSources, HTTP_OPTIONS, httpOptionsHelp, integerOption, openServerKit, parseHttpArgs, parseServerArgs, SERVER_OPTIONS_HELP, stopSignal, type ServerMainIO } from '@populace/server-kit';
import type { ChatModel } from './context.js';
import { DEFAULT_PORT, startHttpServer } from './http.js';
import { DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_IDLE_MS } from './http-sessions.js';
import { createPopulaceMcpServer } from './server.js';
import { GuardedStdioTransport } from './stdio.js';

/** The help text. */
export const USAGE = `Usage: populace-mcp [--http [--port N] [--host 127.0.0.1] [--token T]] [options]

Serves Populace to AI assistants over MCP: over stdio (the default; the client
starts this command), or with --http as Streamable HTTP at http://<host>:<port>/mcp.
Over HTTP the Host header must name this server and browser requests from other
origins are refused; any --host outside loopback needs a bearer token.

  --http                         serve Streamable HTTP instead of stdio
${httpOptionsHelp(DEFAULT_PORT)}
                                 (over stdio: the longest message line)
  --max-sessions <N>             MCP sessions open at once over HTTP (default ${DEFAULT_MAX_SESSIONS})
  --session-idle-ms <N>          close an HTTP session idle this long (default ${DEFAULT_SESSION_IDLE_MS})
${SERVER_OPTIONS_HELP}
  -h, --help                     this help
`;

/** Streams and process hooks of `main` (defaults: the process's). */
export type MainIO = ServerMainIO;

/**
 * Runs the server until it is stopped; resolves with the exit code (0, or 2 for a bad command
 * line or configuration, 1 for an unexpected failure).
 */
export async function main(argv: readonly string[], io: MainIO = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const log = (m: string) => stderr.write(`${m}\n`);
  try {
    const { kit: args, values } = parseServerArgs(argv, { http: { type: 'boolean' }, ...HTTP_OPTIONS, 'max-sessions': { type: 'string' }, 'session-idle-ms': { type: 'string' } });
    if (values.help) {
      stdout.write(USAGE);
      return 0;
    }
    const httpOnly = ['port', 'host', 'token', 'allowed-host', 'allowed-origin', 'max-sessions', 'session-idle-ms'].filter((o) => values[o] !== undefined);
    if (!values.http && httpOnly.length > 0) throw new PopulaceError('invalid-argument', `${httpOnly.map((o) => `--${o}`).join(', ')} need${httpOnly.length === 1 ? 's' : ''} --http (without it the server speaks over stdio).`);
    const http = parseHttpArgs(values, { defaultPort: DEFAULT_PORT, env: io.env ?? process.env });
    const maxSessions = integerOption('max-sessions', values['max-sessions'] as string | undefined, 1, 100_000);
    const sessionIdleMs = integerOption('session-idle-ms', values['session-idle-ms'] as string | undefined, 1000);
    // a bind outside loopback without a token, or a weak token, fails before the kit loads
    if (values.http) createHttpGuard(http);
    const kit = await openServerKit({ ...args, ...(io.cwd ? { cwd: io.cwd } : {}), ...(io.env ? { env: io.env } : {}) });
    // POPULACE_LLM_PROVIDER's chat model (read by openServerKit): archetypes and the ask tool share it
    const chatModel = kit.behaviorModel as ChatModel | undefined;
    const recovered = kit.store.recoveredOnOpen;
    const facts = `run store ${kit.dbPath}${recovered ? ` (${recovered} run${recovered === 1 ? '' : 's'} of a stopped server marked interrupted)` : ''}; ${kit.runtime.models.ids().length} models; plugins ${describePluginSources(kit.pluginSources)}; ask ${chatModel ? 'uses the configured chat model' : 'has no chat model (POPULACE_LLM_PROVIDER unset)'}`;
    const stop = io.stopped ?? stopSignal();
    if (values.http) {
      let served;
      try {
        served = await startHttpServer({ kit, ...http, maxSessions, sessionIdleMs, log, chatModel });
      } catch (error) {
        await kit.close();
        throw error;
      }
      stdout.write(`populace-mcp listening on ${served.url}\n`);
      log(`populace-mcp: ${facts}`);
      log(`populace-mcp: ${served.access}`);
      await stop;
      await served.close();
      await kit.close();
      return 0;
    }
    const server = createPopulaceMcpServer({ kit, log, chatModel });
    const transport = new GuardedStdioTransport({ maxMessageBytes: http.maxBodyBytes, log });
    const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
    await server.connect(transport);
    log(`populace-mcp: serving over stdio; ${facts}`);
    await Promise.race([stop, closed]);
    await server.close().catch(() => undefined);
    await kit.close();
    return 0;
  } catch (error) {
    if (PopulaceError.isInstance(error)) {
      log(`populace-mcp: ${error.message}`);
      return 2;
    }
    log(`populace-mcp: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
