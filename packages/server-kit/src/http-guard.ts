/**
 * The request guard of the Populace HTTP servers (populace-mcp --http and
 * populace-graphql), checked before a request's body is read:
 *
 * - Host: the Host header must name this server, so a web page cannot reach a
 *   local server by DNS rebinding. A loopback bind (any of 127.0.0.0/8, ::1,
 *   localhost) accepts the loopback names; a specific address accepts itself; a
 *   wildcard bind (0.0.0.0, ::) accepts loopback names and this machine's
 *   addresses; `allowedHosts` (--allowed-host) adds names for any bind.
 * - Origin: a browser request from another origin is refused, so a web page
 *   cannot drive the server with the user's network position. Accepted origins
 *   are those whose host is an accepted Host name, and `allowedOrigins`.
 * - Authorization: with a token, every request except CORS preflights and
 *   `isPublic` ones must carry `Authorization: Bearer <token>` (compared in
 *   constant time). A bind outside loopback requires a token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { PopulaceError } from '@populace/core';
import { TOKEN_ENV } from './http-args.js';
import { HttpRefusal } from './http-refusal.js';

/** The shortest bearer token accepted. */
export const MIN_TOKEN_LENGTH = 16;

/** Options of `createHttpGuard`. */
export interface HttpGuardOptions {
  /** The host the server binds (--host). */
  readonly host: string;
  /** The bearer token every request must present (required when `host` is not loopback). */
  readonly token?: string | undefined;
  /** More host names accepted in the Host header (--allowed-host). */
  readonly allowedHosts?: readonly string[] | undefined;
  /** More origins (`scheme://host[:port]`) accepted from browsers (--allowed-origin). */
  readonly allowedOrigins?: readonly string[] | undefined;
  /** Requests served without the token (e.g. the GraphiQL page itself, which holds no data). */
  readonly isPublic?: ((req: IncomingMessage) => boolean) | undefined;
}

/** A guard: `check(req)` answers a refusal, or undefined to serve the request. */
export interface HttpGuard {
  /** Whether the bound host is a loopback address. */
  readonly loopback: boolean;
  /** Whether requests need the bearer token. */
  readonly authenticated: boolean;
  /** The host names accepted in the Host header (normalized: lower case, IPv6 without brackets). */
  readonly hosts: readonly string[];
  /** A one-line description of who can reach the server, for the startup log. */
  readonly summary: string;
  /** Whether a browser page of `origin` may call the server (for CORS headers). */
  acceptsOrigin(origin: string): boolean;
  check(req: IncomingMessage): HttpRefusal | undefined;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/** `[::1]` -> `::1`, `LocalHost.` -> `localhost`. */
function normalizeHost(host: string): string {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/**
 * Whether `host` is a loopback host: localhost, any address of 127.0.0.0/8, or ::1 (also as
 * `[::1]` or the IPv4-mapped `::ffff:127.x.y.z`).
 *
 * @example
 * ```ts
 * isLoopbackHost('127.0.0.2'); // true
 * isLoopbackHost('0.0.0.0'); // false
 * ```
 */
export function isLoopbackHost(host: string): boolean {
  const h = normalizeHost(host).replace(/^::ffff:/, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** The host name of a Host header value (`127.0.0.1:4000` -> `127.0.0.1`, `[::1]:4000` -> `::1`). */
export function hostHeaderName(header: string | undefined): string {
  if (!header) return '';
  if (header.startsWith('[')) return normalizeHost(header.slice(0, header.indexOf(']') + 1));
  return normalizeHost(header.split(':')[0]!);
}

/**
 * Whether `presented` equals `expected`, in time independent of where they differ (both are
 * hashed to SHA-256 first, so their lengths leak nothing either).
 *
 * @example
 * ```ts
 * tokenMatches('s3cret-token-0123', 's3cret-token-0123'); // true
 * ```
 */
export function tokenMatches(expected: string, presented: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

/** Checks a token's form; throws a PopulaceError naming the fix. */
export function checkToken(token: string): string {
  if (token.length < MIN_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) {
    throw new PopulaceError('invalid-argument', `--token / $${TOKEN_ENV}: expected at least ${MIN_TOKEN_LENGTH} printable characters without spaces, received ${token.length} character${token.length === 1 ? '' : 's'}${/\s/.test(token) ? ' with white space' : ''}. Generate one with: node -e "console.log(crypto.randomUUID())"`, { details: { option: 'token' } });
  }
  return token;
}

/** This machine's own addresses (what a client may put in the Host header of a wildcard bind). */
function machineAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((i) => normalizeHost(i.address.replace(/%.*$/, '')));
}

/**
 * A guard for a server bound to `options.host`. Throws a PopulaceError (exit 2 in the bins) when
 * the host is outside loopback and no token is given, or the token is too weak.
 *
 * @example
 * ```ts
 * const guard = createHttpGuard({ host: '127.0.0.1' });
 * http.createServer((req, res) => {
 *   const refusal = guard.check(req);
 *   if (refusal) return sendRefusal(res, refusal, 'json-rpc');
 *   // ...serve
 * });
 * ```
 */
export function createHttpGuard(options: HttpGuardOptions): HttpGuard {
  const bound = normalizeHost(options.host);
  const loopback = isLoopbackHost(bound);
  const token = options.token === undefined ? undefined : checkToken(options.token);
  if (!loopback && token === undefined) {
    throw new PopulaceError('invalid-argument', `--host ${options.host} is not a loopback address, so anyone who can reach this machine could use the server: serving beyond loopback needs a bearer token. Pass --token <secret> or set $${TOKEN_ENV} (clients then send "Authorization: Bearer <secret>"), or use --host 127.0.0.1.`, { details: { option: 'host' } });
  }
  const extra = (options.allowedHosts ?? []).map(normalizeHost).filter((h) => h.length > 0);
  const base = loopback ? LOOPBACK_NAMES : WILDCARDS.has(bound) ? [...LOOPBACK_NAMES, ...machineAddresses()] : [bound];
  const hosts = [...new Set([...base, ...extra])];
  const acceptsHost = (name: string): boolean => hosts.includes(name) || (loopback && isLoopbackHost(name));
  const origins = new Set((options.allowedOrigins ?? []).map((o) => o.trim().toLowerCase().replace(/\/$/, '')));
  const acceptsOrigin = (origin: string): boolean => {
    if (origins.has(origin.toLowerCase())) return true;
    try {
      const url = new URL(origin);
      return (url.protocol === 'http:' || url.protocol === 'https:') && acceptsHost(normalizeHost(url.hostname));
    } catch {
      return false; // includes the opaque origin "null" of sandboxed pages and files
    }
  };
  const shownHosts = `${hosts.slice(0, 6).map((h) => (h.includes(':') ? `[${h}]` : h)).join(', ')}${hosts.length > 6 ? `, … (${hosts.length} in all)` : ''}${loopback ? ' (any 127.x.y.z)' : ''}`;
  return {
    loopback,
    authenticated: token !== undefined,
    hosts,
    acceptsOrigin,
    summary: `${loopback ? 'loopback only' : `warning: reachable beyond this machine (bound to ${options.host})`}; Host must be ${shownHosts}; ${token ? 'every request needs "Authorization: Bearer <token>"' : 'no token (loopback clients only)'}; browser requests from other origins are refused`,
    check(req) {
      const header = req.headers.host;
      const name = hostHeaderName(header);
      if (!acceptsHost(name)) {
        return new HttpRefusal(403, 'forbidden-host', `Host ${JSON.stringify(header ?? '')} is not allowed: this server answers to ${shownHosts}. Connect with one of those names, or start the server with --allowed-host ${name || '<name>'}.`);
      }
      const origin = req.headers.origin;
      if (origin !== undefined && !acceptsOrigin(origin)) {
        return new HttpRefusal(403, 'forbidden-origin', `Origin ${JSON.stringify(origin)} is not allowed: browser requests from other sites are refused. Serve the page from an accepted host, or start the server with --allowed-origin ${origin === 'null' ? '<origin>' : origin}.`);
      }
      if (token !== undefined && req.method !== 'OPTIONS' && !options.isPublic?.(req)) {
        const auth = req.headers.authorization;
        const presented = typeof auth === 'string' && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : undefined;
        if (presented === undefined || !tokenMatches(token, presented)) {
          const what = presented === undefined ? 'no bearer token' : 'a wrong bearer token';
          return new HttpRefusal(401, 'unauthorized', `this server needs "Authorization: Bearer <token>" (the token given to it with --token or $${TOKEN_ENV}); the request had ${what}.`, { 'www-authenticate': `Bearer realm="populace"${presented === undefined ? '' : ', error="invalid_token"'}` });
        }
      }
      return undefined;
    },
  };
}

