/**
 * The GraphQL server on node:http: `/graphql` (GraphiQL in browsers,
 * subscriptions over server-sent events), bound to 127.0.0.1 by default.
 * Every request passes server-kit's guard first: the Host header must name
 * this server (so a web page cannot reach it by DNS rebinding), browser
 * requests from other origins are refused, and with a token every request
 * but the GraphiQL page needs `Authorization: Bearer <token>`. Bodies are
 * bounded before Yoga reads them; refusals are GraphQL-shaped JSON. Beside
 * /graphql, behind the same guard: a run's files, `GET /runs/{id}/metrics.csv`,
 * `metrics.parquet` and `snapshot.parquet` (run-files-route.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { PopulaceError } from '@populace/core';
import { createHttpGuard, DEFAULT_HTTP_HOST, DEFAULT_MAX_BODY_BYTES, HttpRefusal, listenHttp, readRequestBody, sendRefusal, urlHost } from '@populace/server-kit';
import type { QueryLimits } from './query-limits.js';
import type { ResolverKit } from './resolvers.js';
import { isRunFileRoute, serveRunFile } from './run-files-route.js';
import { createPopulaceYoga, type PopulaceYoga, type PopulaceYogaOptions } from './yoga.js';

/** The port when none is given (GraphQL's customary one). */
export const DEFAULT_PORT = 4000;
/** The host when none is given. */
export const DEFAULT_HOST = DEFAULT_HTTP_HOST;

/** Options of `startGraphqlServer`. */
export interface GraphqlServerOptions {
  readonly kit: ResolverKit;
  /** Default DEFAULT_PORT; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. A host outside loopback (127.0.0.0/8, ::1) requires `token`. */
  readonly host?: string;
  /** The bearer token every request (but the GraphiQL page) must carry. */
  readonly token?: string | undefined;
  /** More host names accepted in the Host header (default: loopback names for a loopback host, the host itself otherwise). */
  readonly allowedHosts?: readonly string[] | undefined;
  /** More browser origins accepted (default: those on an accepted host). */
  readonly allowedOrigins?: readonly string[] | undefined;
  /** Largest request body in bytes (default DEFAULT_MAX_BODY_BYTES). */
  readonly maxBodyBytes?: number | undefined;
  readonly queryLimits?: Partial<QueryLimits>;
  /** Yoga's logging (default true). */
  readonly logging?: PopulaceYogaOptions['logging'];
  /** The chat model of the `ask` mutation (see PopulaceYogaOptions.chatModel). */
  readonly chatModel?: PopulaceYogaOptions['chatModel'];
  /** More options of `createPopulaceYoga` (graphiql, introspection, maxBodyBytes, plugins...). */
  readonly yoga?: Omit<PopulaceYogaOptions, 'kit' | 'queryLimits' | 'logging' | 'chatModel'>;
}

/** A running server. */
export interface RunningGraphqlServer {
  /** `http://<host>:<port>/graphql` */
  readonly url: string;
  readonly port: number;
  readonly yoga: PopulaceYoga;
  /** Who can reach the server, in one line (for the startup log). */
  readonly access: string;
  /**
   * Stops listening, then ends open connections: idle ones at once, the rest (live
   * subscriptions) after `graceMs` (default 1000). Leaves the kit open: close the kit first so
   * that subscribers receive the FINISHED events of the runs it interrupts.
   */
  close(graceMs?: number): Promise<void>;
}

/** The GraphiQL page itself (a browser GET without a query) and its static assets: served without the token, they hold no data. */
const isGraphiqlPage = (endpoint: string) => (req: IncomingMessage): boolean =>
  (req.method === 'GET' || req.method === 'HEAD') &&
  ((req.url === endpoint && (req.headers.accept ?? '').includes('text/html')) || /^[^?]*\/assets\/[\w.-]+$/.test(req.url ?? '') && (req.url ?? '').startsWith(`${endpoint}/assets/`));

/**
 * Serves `createPopulaceYoga({ kit })` over HTTP.
 *
 * @example
 * ```ts
 * const server = await startGraphqlServer({ kit, port: 0 });
 * console.log(server.url); // http://127.0.0.1:41234/graphql
 * await server.close();
 * ```
 */
export async function startGraphqlServer(options: GraphqlServerOptions): Promise<RunningGraphqlServer> {
  const port = options.port ?? DEFAULT_PORT;
  const host = options.host ?? DEFAULT_HOST;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new PopulaceError('invalid-argument', `port: expected an integer in [0, 65535], received ${String(port)}.`);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const endpoint = '/graphql';
  const guard = createHttpGuard({ host, token: options.token, allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins, isPublic: isGraphiqlPage(endpoint) });
  // CORS headers for exactly the origins the guard accepts
  const cors = (request: Request) => {
    const origin = request.headers.get('origin');
    return origin !== null && guard.acceptsOrigin(origin) ? { origin: [origin], credentials: false } : false;
  };
  const yoga = createPopulaceYoga({ ...options.yoga, kit: options.kit, graphqlEndpoint: endpoint, cors, ...(options.queryLimits ? { queryLimits: options.queryLimits } : {}), ...(options.logging === undefined ? {} : { logging: options.logging }), chatModel: options.chatModel });
  const handle = async (req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void> => {
    const refusal = guard.check(req);
    if (refusal) throw refusal;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (isRunFileRoute(path)) return serveRunFile(req, res, path, options.kit.store, options.kit.executor.limits);
    if (path !== endpoint && !path.startsWith(`${endpoint}/assets/`)) throw new HttpRefusal(404, 'not-found', `not found: ${JSON.stringify(path)}. The GraphQL endpoint is ${endpoint}; a run's files are /runs/{id}/metrics.csv, metrics.parquet, snapshot.parquet and bands.parquet.`);
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') {
      // bounded here, so Yoga never buffers more than --max-body-bytes (it takes a read body as is)
      const body = await readRequestBody(req, maxBodyBytes);
      if (body.length > 0) req.body = body;
    }
    await yoga(req, res);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpRefusal) return sendRefusal(res, error, 'graphql');
      process.stderr.write(`populace-graphql: HTTP request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      sendRefusal(res, new HttpRefusal(500, 'internal', 'internal server error (details are in the server log).'), 'graphql');
    });
  });
  const actual = await listenHttp(server, port, host);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${actual}${endpoint}`,
    port: actual,
    yoga,
    access: guard.summary,
    close: (graceMs = 1000) =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), graceMs).unref();
      })),
  };
}
