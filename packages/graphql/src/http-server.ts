/**
 * The GraphQL server on node:http: `/graphql` (GraphiQL in browsers,
 * subscriptions over server-sent events), bound to 127.0.0.1 by default.
 * On a loopback host, requests must name a loopback host in their Host
 * header, so a web page cannot reach the server by DNS rebinding.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PopulaceError } from '@populace/core';
import type { QueryLimits } from './query-limits.js';
import type { ResolverKit } from './resolvers.js';
import { createPopulaceYoga, type PopulaceYoga, type PopulaceYogaOptions } from './yoga.js';

/** The port when none is given (GraphQL's customary one). */
export const DEFAULT_PORT = 4000;
/** The host when none is given. */
export const DEFAULT_HOST = '127.0.0.1';

/** Options of `startGraphqlServer`. */
export interface GraphqlServerOptions {
  readonly kit: ResolverKit;
  /** Default DEFAULT_PORT; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Host names accepted in the Host header (default: localhost, 127.0.0.1 and [::1] for a loopback host; any for others). */
  readonly allowedHosts?: readonly string[];
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
  /**
   * Stops listening, then ends open connections: idle ones at once, the rest (live
   * subscriptions) after `graceMs` (default 1000). Leaves the kit open: close the kit first so
   * that subscribers receive the FINISHED events of the runs it interrupts.
   */
  close(graceMs?: number): Promise<void>;
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1', '[::1]'];
const isLoopbackHost = (host: string): boolean => LOOPBACK_HOSTS.includes(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

/** The host name of a Host header (`127.0.0.1:4000` -> `127.0.0.1`, `[::1]:4000` -> `[::1]`). */
function hostName(header: string | undefined): string {
  if (!header) return '';
  return header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.split(':')[0]!;
}

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
  const allowed = options.allowedHosts ?? (isLoopbackHost(host) ? ['localhost', '127.0.0.1', '[::1]'] : undefined);
  const yoga = createPopulaceYoga({ ...options.yoga, kit: options.kit, ...(options.queryLimits ? { queryLimits: options.queryLimits } : {}), ...(options.logging === undefined ? {} : { logging: options.logging }), chatModel: options.chatModel });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (allowed && !allowed.includes(hostName(req.headers.host))) {
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: `Host ${JSON.stringify(req.headers.host ?? '')} is not allowed; use one of ${allowed.join(', ')}.`, extensions: { code: 'FORBIDDEN' } }] }));
      return;
    }
    void yoga(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL' ? new PopulaceError('invalid-argument', `cannot listen on ${host}:${port}: ${error.message}. Pick another --port (0 picks a free one) or --host.`, { cause: error }) : error),
    );
    server.listen(port, host, resolve);
  });
  const actual = (server.address() as AddressInfo).port;
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${actual}${yoga.graphqlEndpoint}`,
    port: actual,
    yoga,
    close: (graceMs = 1000) =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), graceMs).unref();
      })),
  };
}
