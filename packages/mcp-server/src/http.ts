/**
 * Streamable HTTP: the server at `/mcp`, bound to 127.0.0.1 by default with
 * the SDK's DNS-rebinding protection (its Express app validates the Host
 * header for loopback hosts). One session, one McpServer, one transport.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { createDocumentIndex } from '@populace/analyzer';
import { PopulaceError } from '@populace/core';
import type { ChatModel, McpKit } from './context.js';
import { createPopulaceMcpServer } from './server.js';
import type { Logger } from './tool-result.js';

/** The port when --port is not given. */
export const DEFAULT_PORT = 3100;
/** The host when --host is not given. */
export const DEFAULT_HOST = '127.0.0.1';

/** Options of `startHttpServer`. */
export interface HttpServerOptions {
  readonly kit: McpKit;
  /** Default DEFAULT_PORT; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. Loopback hosts get DNS-rebinding protection; others need `allowedHosts`. */
  readonly host?: string;
  /** Host names accepted in the Host header (default: loopback names for a loopback host). */
  readonly allowedHosts?: readonly string[];
  readonly log?: Logger;
  /** The chat model of the `ask` tool (see PopulaceMcpServerOptions.chatModel). */
  readonly chatModel?: ChatModel | undefined;
}

/** A running HTTP server. */
export interface RunningHttpServer {
  /** `http://<host>:<port>/mcp` */
  readonly url: string;
  readonly port: number;
  /** Closes every session and the listener (not the kit). */
  close(): Promise<void>;
}

type Request = IncomingMessage & { body?: unknown };

const rpcError = (res: ServerResponse, status: number, message: string): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
};

/**
 * Serves the MCP server over Streamable HTTP at `/mcp`.
 *
 * @example
 * ```ts
 * const http = await startHttpServer({ kit, port: 0 });
 * console.log(http.url); // http://127.0.0.1:41234/mcp
 * await http.close();
 * ```
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new PopulaceError('invalid-argument', `--port: expected an integer in [0, 65535], received ${String(port)}.`);
  const app = createMcpExpressApp({ host, ...(options.allowedHosts ? { allowedHosts: [...options.allowedHosts] } : {}) });
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: McpServer }>();
  // one document index for every session (search_documents)
  const documents = createDocumentIndex({ runtime: options.kit.runtime, store: options.kit.store });

  const handle = async (req: Request, res: ServerResponse): Promise<void> => {
    const id = req.headers['mcp-session-id'];
    const session = typeof id === 'string' ? sessions.get(id) : undefined;
    if (session) return session.transport.handleRequest(req, res, req.body);
    if (id !== undefined) return rpcError(res, 404, `unknown MCP session '${String(id)}': it ended or the server restarted. Initialize a new session.`);
    if (req.method !== 'POST' || !isInitializeRequest(req.body)) return rpcError(res, 400, 'no MCP session: send an initialize request first (POST /mcp without an mcp-session-id header).');
    const server = createPopulaceMcpServer({ kit: options.kit, documents, chatModel: options.chatModel, ...(options.log ? { log: options.log } : {}) });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => {
        sessions.set(sid, { transport, server });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      void server.close();
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  };

  app.all('/mcp', (req: Request, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      (options.log ?? ((m: string) => process.stderr.write(`${m}\n`)))(`populace-mcp: HTTP request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) rpcError(res, 500, 'internal server error');
    });
  });
  app.use((_req: Request, res: ServerResponse) => rpcError(res, 404, 'not found: the MCP endpoint is /mcp'));

  const listener: Server = await new Promise((resolve, reject) => {
    const s: Server = app.listen(port, host, () => resolve(s));
    s.once('error', (error: NodeJS.ErrnoException) => reject(new PopulaceError('invalid-argument', `could not listen on ${host}:${port} (${error.code ?? error.message}). Choose another --port or --host.`, { cause: error })));
  });
  const actual = (listener.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${actual}/mcp`,
    port: actual,
    close: async () => {
      for (const { transport, server } of [...sessions.values()]) {
        await transport.close().catch(() => undefined);
        await server.close().catch(() => undefined);
      }
      sessions.clear();
      await new Promise<void>((resolve) => {
        listener.close(() => resolve());
        listener.closeAllConnections();
      });
    },
  };
}
