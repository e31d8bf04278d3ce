/**
 * The command-line options of the Populace HTTP servers (populace-mcp --http
 * and populace-graphql): where to listen, the bearer token, the accepted
 * hosts and origins and the body-size limit. One home for their names,
 * defaults, help lines and checks.
 */
import { isIP } from 'node:net';
import type { ParseArgsConfig } from 'node:util';
import { PopulaceError } from '@populace/core';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The environment variable holding the bearer token (the safer alternative to --token, which `ps` shows). */
export const TOKEN_ENV = 'POPULACE_TOKEN';
/** The host when --host is not given. */
export const DEFAULT_HTTP_HOST = '127.0.0.1';
/**
 * The largest request body (HTTP) or message (MCP over stdio) by default, 4 MiB: room for a
 * calibration's observed series at the step limit, far below what would strain memory.
 */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The HTTP options, for parseArgs (merge them into parseServerArgs' `extra`). */
export const HTTP_OPTIONS: Options = {
  port: { type: 'string' },
  host: { type: 'string' },
  token: { type: 'string' },
  'allowed-host': { type: 'string', multiple: true },
  'allowed-origin': { type: 'string', multiple: true },
  'max-body-bytes': { type: 'string' },
};

/**
 * Help lines of the HTTP options.
 *
 * @example
 * ```ts
 * const help = httpOptionsHelp(4000);
 * ```
 */
export function httpOptionsHelp(defaultPort: number): string {
  return [
    `  --port <N>                     HTTP port (default ${defaultPort}; 0 picks a free one)`,
    `  --host <host>                  address to bind (default ${DEFAULT_HTTP_HOST}); any address outside`,
    '                                 loopback (127.0.0.0/8, ::1) needs a token',
    `  --token <secret>               require "Authorization: Bearer <secret>" on every request`,
    `                                 (default $${TOKEN_ENV}; at least 16 characters)`,
    '  --allowed-host <name>          also accept this name in the Host header (repeatable)',
    '  --allowed-origin <origin>      also accept browser requests from this origin (repeatable)',
    `  --max-body-bytes <N>           largest request body (default ${DEFAULT_MAX_BODY_BYTES})`,
  ].join('\n');
}

/** The parsed HTTP options. */
export interface HttpArgs {
  readonly port: number;
  readonly host: string;
  /** From --token, else $POPULACE_TOKEN (an empty variable counts as unset). */
  readonly token: string | undefined;
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
  readonly maxBodyBytes: number;
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/**
 * Checks a --host value: an IPv4 or IPv6 address (brackets allowed) or a DNS host name.
 *
 * @example
 * ```ts
 * checkHost('[::1]'); // '::1'
 * ```
 */
export function checkHost(text: string): string {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIP(bare) !== 0 || HOST_NAME.test(bare)) return bare;
  throw new PopulaceError('invalid-argument', `--host: expected an IP address or a host name such as 127.0.0.1, ::1 or localhost, received ${JSON.stringify(text)}.`, { details: { option: 'host' } });
}

/**
 * Checks an integer option in [min, max]; `undefined` stays undefined.
 *
 * @example
 * ```ts
 * integerOption('port', '4000', 0, 65535); // 4000
 * ```
 */
export function integerOption(flag: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\+?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new PopulaceError('invalid-argument', `--${flag}: expected an integer in [${min}, ${max}], received ${JSON.stringify(text)}.`, { details: { option: flag } });
  }
  return n;
}

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

/**
 * Reads the HTTP options from parseServerArgs' `values` and the environment.
 *
 * @example
 * ```ts
 * const { values } = parseServerArgs(argv, HTTP_OPTIONS);
 * const http = parseHttpArgs(values, { defaultPort: 4000, env: process.env });
 * ```
 */
export function parseHttpArgs(values: Readonly<Record<string, unknown>>, options: { defaultPort: number; env?: Readonly<Record<string, string | undefined>> }): HttpArgs {
  const env = options.env ?? process.env;
  const host = checkHost((values.host as string | undefined) ?? DEFAULT_HTTP_HOST);
  const token = (values.token as string | undefined) ?? (env[TOKEN_ENV] ? env[TOKEN_ENV] : undefined);
  const allowedHosts = list(values['allowed-host']);
  for (const h of allowedHosts) checkHost(h.replace(/:\d+$/, ''));
  const allowedOrigins = list(values['allowed-origin']);
  for (const o of allowedOrigins) {
    let url: URL | undefined;
    try {
      url = new URL(o);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== o.replace(/\/$/, '').toLowerCase()) {
      throw new PopulaceError('invalid-argument', `--allowed-origin: expected an origin such as https://app.example.org or http://localhost:5173 (scheme, host and port only), received ${JSON.stringify(o)}.`, { details: { option: 'allowed-origin' } });
    }
  }
  return {
    port: integerOption('port', values.port as string | undefined, 0, 65535) ?? options.defaultPort,
    host,
    token,
    allowedHosts,
    allowedOrigins,
    maxBodyBytes: integerOption('max-body-bytes', values['max-body-bytes'] as string | undefined, 1024, 1024 ** 3) ?? DEFAULT_MAX_BODY_BYTES,
  };
}
