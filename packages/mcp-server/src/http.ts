/**
 * Streamable HTTP: the server at `/mcp` on node:http, bound to 127.0.0.1 by
 * default. Every request passes server-kit's guard first (Host and Origin
 * checks against DNS rebinding and cross-site pages, the bearer token when
 * one is set); bodies are bounded and parsed here, and every refusal is a
 * JSON-RPC error, never an HTML page. Sessions (one McpServer each) are
 * capped and closed when idle (see SessionRegistry).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { createDocumentIndex } from '@populace/analyzer';
import { PopulaceError } from '@populace/core';
import { createHttpGuard, DEFAULT_HTTP_HOST, executorForClient, DEFAULT_MAX_BODY_BYTES, HttpRefusal, listenHttp, parseJsonBody, readRequestBody, sendRefusal, urlHost } from '@populace/server-kit';
import type { ChatModel, McpKit } from './context.js';
import { SessionRegistry } from './http-sessions.js';
import { createPopulaceMcpServer } from './server.js';
import type { Logger } from './tool-result.js';

/** The port when --port is not given. */
export const DEFAULT_PORT = 3100;
/** The host when --host is not given. */
export const DEFAULT_HOST = DEFAULT_HTTP_HOST;

/** Options of `startHttpServer`. */
export interface HttpServerOptions {
  readonly kit: McpKit;
  /** Default DEFAULT_PORT; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. A host outside loopback (127.0.0.0/8, ::1) requires `token`. */
  readonly host?: string;
  /** The bearer token every request must carry (`Authorization: Bearer <token>`). */
  readonly token?: string | undefined;
  /** More host names accepted in the Host header (default: loopback names for a loopback host, the host itself otherwise). */
  readonly allowedHosts?: readonly string[] | undefined;
  /** More browser origins accepted (default: those on an accepted host). */
  readonly allowedOrigins?: readonly string[] | undefined;
  /** Largest request body in bytes (default DEFAULT_MAX_BODY_BYTES). */
  readonly maxBodyBytes?: number | undefined;
  /** Sessions open at once (default DEFAULT_MAX_SESSIONS). */
  readonly maxSessions?: number | undefined;
  /** A session without requests for this long is closed (default DEFAULT_SESSION_IDLE_MS). */
  readonly sessionIdleMs?: number | undefined;
  readonly log?: Logger;
  /** The chat model of the `ask` tool (see PopulaceMcpServerOptions.chatModel). */
  readonly chatModel?: ChatModel | undefined;
}

/** A running HTTP server. */
export interface RunningHttpServer {
  /** `http://<host>:<port>/mcp` */
  readonly url: string;
  readonly port: number;
  /** Who can reach the server, in one line (for the startup log). */
  readonly access: string;
  /** MCP sessions open now. */
  readonly sessionCount: () => number;
  /** Closes the sessions idle for the configured time now (the server also does so on a timer); resolves with how many. */
  expireIdleSessions(): Promise<number>;
  /** Closes every session and the listener (not the kit). */
  close(): Promise<void>;
}

const METHODS = ['GET', 'POST', 'DELETE'];

const messageId = (body: unknown): string | number | null => {
  const id = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
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
  const guard = createHttpGuard({ host, token: options.token, allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const sessions = new SessionRegistry({ maxSessions: options.maxSessions, idleMs: options.sessionIdleMs, log });
  // one document index for every session (search_documents)
  const documents = createDocumentIndex({ runtime: options.kit.runtime, store: options.kit.store });

  const openSession = async (req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> => {
    if (!(await sessions.reserve())) {
      throw new HttpRefusal(503, 'too-many-sessions', `too many MCP sessions: ${sessions.maxSessions} are open, the most this server allows. Close a session you no longer use (DELETE /mcp with its mcp-session-id) or retry later: sessions idle for ${Math.round(sessions.idleMs / 1000)} s are closed. The operator can raise --max-sessions.`, { 'retry-after': String(Math.max(1, Math.ceil(Math.min(sessions.idleMs, 60_000) / 1000))) });
    }
    // the session is the client of the per-client cap (maxClientRunning)
    const sessionId = randomUUID();
    const kit = { ...options.kit, executor: executorForClient(options.kit.executor, `mcp:${sessionId}`) };
    const server = createPopulaceMcpServer({ kit, documents, chatModel: options.chatModel, log });
    let registered = false;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => sessionId,
      onsessioninitialized: (sid) => {
        registered = true;
        sessions.release();
        sessions.add(sid, transport, server);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      void server.close().catch(() => undefined);
    };
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    } finally {
      if (!registered) {
        // the initialize request failed: nothing refers to this server any more
        sessions.release();
        await server.close().catch(() => undefined);
      }
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, request: { id: string | number | null }): Promise<void> => {
    const refusal = guard.check(req);
    if (refusal) throw refusal;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/mcp') throw new HttpRefusal(404, 'not-found', `not found: ${JSON.stringify(path)}. The MCP endpoint is /mcp.`);
    if (!METHODS.includes(req.method ?? '')) throw new HttpRefusal(405, 'method-not-allowed', `method ${req.method ?? ''} not allowed at /mcp: use POST (messages), GET (the server's event stream) or DELETE (end a session).`, { allow: METHODS.join(', ') });
    const body = req.method === 'POST' ? parseJsonBody(await readRequestBody(req, maxBodyBytes)) : undefined;
    request.id = messageId(body);
    const id = req.headers['mcp-session-id'];
    const session = typeof id === 'string' ? sessions.get(id) : undefined;
    if (session) {
      sessions.track(session, res);
      return session.transport.handleRequest(req, res, body);
    }
    if (id !== undefined) throw new HttpRefusal(404, 'not-found', `unknown MCP session '${String(id)}': it ended, expired after ${Math.round(sessions.idleMs / 1000)} s idle, or the server restarted. Initialize a new session.`);
    if (req.method !== 'POST' || !isInitializeRequest(body)) throw new HttpRefusal(400, 'bad-request', 'no MCP session: send an initialize request first (POST /mcp without an mcp-session-id header).');
    await openSession(req, res, body);
  };

  const listener: Server = createServer((req, res) => {
    const request = { id: null as string | number | null };
    handle(req, res, request).catch((error: unknown) => {
      if (error instanceof HttpRefusal) return sendRefusal(res, error, 'json-rpc', request.id);
      log(`populace-mcp: HTTP request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      sendRefusal(res, new HttpRefusal(500, 'internal', 'internal server error (details are in the server log).'), 'json-rpc', request.id);
    });
  });
  let actual: number;
  try {
    actual = await listenHttp(listener, port, host);
  } catch (error) {
    await sessions.closeAll();
    throw error;
  }
  return {
    url: `http://${urlHost(host)}:${actual}/mcp`,
    port: actual,
    access: guard.summary,
    sessionCount: () => sessions.size,
    expireIdleSessions: () => sessions.expireIdle(),
    close: async () => {
      await sessions.closeAll();
      await new Promise<void>((resolve) => {
        listener.close(() => resolve());
        listener.closeAllConnections();
      });
    },
  };
}
