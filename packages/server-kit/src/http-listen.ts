/**
 * Starting a node:http server with errors a person can act on: a busy port,
 * an address this machine does not have, a privileged port or a host name
 * that does not resolve is a PopulaceError (exit 2 in the bins) with one line
 * saying what to change.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PopulaceError } from '@populace/core';

const REASONS: Record<string, string> = {
  EADDRINUSE: 'the port is already in use (EADDRINUSE). Stop the other server or pick another --port (0 picks a free one).',
  EADDRNOTAVAIL: 'the address is not one of this machine\'s (EADDRNOTAVAIL). Use --host 127.0.0.1, or an address this machine has.',
  EACCES: 'permission denied (EACCES): ports below 1024 need privileges. Pick a --port of 1024 or more.',
  ENOTFOUND: 'the host name does not resolve (ENOTFOUND). Use an IP address or a name this machine can resolve.',
  EAI_AGAIN: 'the host name could not be resolved now (EAI_AGAIN). Use an IP address.',
  EAFNOSUPPORT: 'this machine does not support that address family (EAFNOSUPPORT). Use --host 127.0.0.1.',
};

/** `[::1]` for an IPv6 address, the host itself otherwise (for URLs). */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Listens on `host:port`; resolves with the port actually bound (for port 0).
 *
 * @example
 * ```ts
 * const port = await listenHttp(createServer(handler), 0, '127.0.0.1');
 * ```
 */
export function listenHttp(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const reason = REASONS[error.code ?? ''];
      reject(reason ? new PopulaceError('invalid-argument', `cannot listen on ${urlHost(host)}:${port}: ${reason}`, { cause: error, details: { option: 'host', code: error.code } }) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address() as AddressInfo | null;
      if (!address) reject(new PopulaceError('invalid-argument', `cannot listen on ${urlHost(host)}:${port}: the server did not bind.`));
      else resolve(address.port);
    });
  });
}
