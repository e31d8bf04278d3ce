/**
 * The per-client concurrency cap (`maxClientRunning`): how many jobs each
 * client (an MCP session, a GraphQL peer address) has running, so that one
 * client cannot take every slot of a server. A client's jobs over the cap are
 * not refused: they wait in the queue, and other clients' jobs go first
 * while they do. Jobs submitted without a client (the CLI, a program using
 * the executor directly) are not capped.
 */
import { PopulaceError } from '@populace/core';
import { describe } from './describe.js';

/** What `Executor.submit` is told besides the request. */
export interface SubmitOptions {
  /**
   * Who submits the job (e.g. `mcp:<session id>`, `graphql:<address>`): at most the limit
   * `maxClientRunning` of one client's jobs run at once. Default none: not capped.
   */
  readonly client?: string | undefined;
}

/** The longest client identity accepted. */
const MAX_CLIENT_LENGTH = 256;

/** The client of `options`, checked (a non-empty string of at most 256 characters), or undefined. */
export function submitClient(options: SubmitOptions | undefined): string | undefined {
  const client = options?.client;
  if (client === undefined) return undefined;
  if (typeof client !== 'string' || client.length === 0 || client.length > MAX_CLIENT_LENGTH) {
    throw new PopulaceError('invalid-argument', `submit: options.client expected a non-empty string of at most ${MAX_CLIENT_LENGTH} characters (such as 'mcp:<session id>'), received ${describe(client)}.`);
  }
  return client;
}

/** Counts each client's running jobs against a cap. */
export class ClientSlots {
  readonly #running = new Map<string, number>();

  /** `cap`: the most jobs of one client running at once (Infinity for none). */
  constructor(readonly cap: number) {}

  /** Whether a job of `client` may start now (a job with no client always may). */
  free(client: string | undefined): boolean {
    return client === undefined || (this.#running.get(client) ?? 0) < this.cap;
  }

  /** Counts a started job of `client`. */
  take(client: string | undefined): void {
    if (client !== undefined) this.#running.set(client, (this.#running.get(client) ?? 0) + 1);
  }

  /** Uncounts an ended job of `client`. */
  release(client: string | undefined): void {
    if (client === undefined) return;
    const n = (this.#running.get(client) ?? 0) - 1;
    if (n > 0) this.#running.set(client, n);
    else this.#running.delete(client);
  }

  /** Jobs of `client` counted now. */
  running(client: string): number {
    return this.#running.get(client) ?? 0;
  }
}
