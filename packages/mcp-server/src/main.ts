/**
 * `populace-mcp`: the command. stdio by default; `--http` serves Streamable
 * HTTP. It stops on SIGINT/SIGTERM (and, over stdio, when the client closes
 * the connection); unfinished jobs are then recorded as interrupted.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { PopulaceError } from '@populace/core';
import { describePluginSources, openServerKit, parseServerArgs, SERVER_OPTIONS_HELP, stopSignal, type ServerMainIO } from '@populace/server-kit';
import type { ChatModel } from './context.js';
import { DEFAULT_HOST, DEFAULT_PORT, startHttpServer } from './http.js';
import { createPopulaceMcpServer } from './server.js';

/** The help text. */
export const USAGE = `Usage: populace-mcp [--http [--port N] [--host 127.0.0.1]] [options]

Serves Populace to AI assistants over MCP: over stdio (the default; the client
starts this command), or with --http as Streamable HTTP at http://<host>:<port>/mcp.

  --http                         serve Streamable HTTP instead of stdio
  --port <N>                     HTTP port (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <host>                  HTTP host (default ${DEFAULT_HOST}; loopback hosts get DNS-rebinding protection)
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
    const { kit: args, values } = parseServerArgs(argv, { http: { type: 'boolean' }, port: { type: 'string' }, host: { type: 'string' } });
    if (values.help) {
      stdout.write(USAGE);
      return 0;
    }
    if (!values.http && (values.port !== undefined || values.host !== undefined)) throw new PopulaceError('invalid-argument', '--port and --host need --http (without it the server speaks over stdio).');
    const portText = values.port as string | undefined;
    const port = portText === undefined ? DEFAULT_PORT : Number(portText);
    if (portText !== undefined && (!/^\d+$/.test(portText) || port > 65535)) throw new PopulaceError('invalid-argument', `--port: expected an integer in [0, 65535], received ${JSON.stringify(portText)}.`);
    const kit = await openServerKit({ ...args, ...(io.cwd ? { cwd: io.cwd } : {}), ...(io.env ? { env: io.env } : {}) });
    // POPULACE_LLM_PROVIDER's chat model (read by openServerKit): archetypes and the ask tool share it
    const chatModel = kit.behaviorModel as ChatModel | undefined;
    const recovered = kit.store.recoveredOnOpen;
    const facts = `run store ${kit.dbPath}${recovered ? ` (${recovered} run${recovered === 1 ? '' : 's'} of a stopped server marked interrupted)` : ''}; ${kit.runtime.models.ids().length} models; plugins ${describePluginSources(kit.pluginSources)}; ask ${chatModel ? 'uses the configured chat model' : 'has no chat model (POPULACE_LLM_PROVIDER unset)'}`;
    const stop = io.stopped ?? stopSignal();
    if (values.http) {
      let http;
      try {
        http = await startHttpServer({ kit, port, host: (values.host as string | undefined) ?? DEFAULT_HOST, log, chatModel });
      } catch (error) {
        await kit.close();
        throw error;
      }
      stdout.write(`populace-mcp listening on ${http.url}\n`);
      log(`populace-mcp: ${facts}`);
      await stop;
      await http.close();
      await kit.close();
      return 0;
    }
    const server = createPopulaceMcpServer({ kit, log, chatModel });
    const transport = new StdioServerTransport();
    const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
    process.stdin.once('end', () => void transport.close());
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
