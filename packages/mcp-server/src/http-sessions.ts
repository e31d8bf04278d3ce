/**
 * The MCP sessions of the HTTP server: each an McpServer and its transport,
 * capped in number and closed when idle, so that memory stays bounded
 * however many clients initialize and walk away. A session is idle when no
 * request of it is in progress (an open SSE stream or a running tool call
 * counts as in progress) and none arrived for `idleMs`.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { PopulaceError } from '@populace/core';

/** Sessions open at once by default: a handful of assistants with room to spare. */
export const DEFAULT_MAX_SESSIONS = 32;
/** A session with no request for this long (30 minutes) is closed by default. */
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;

/** One session. */
export interface McpSession {
  readonly transport: StreamableHTTPServerTransport;
  readonly server: McpServer;
  /** Requests of the session in progress. */
  active: number;
  /** When the last request of the session ended or began (ms since the epoch). */
  lastSeen: number;
}

/** Options of `SessionRegistry`. */
export interface SessionRegistryOptions {
  readonly maxSessions?: number | undefined;
  readonly idleMs?: number | undefined;
  /** Told about each expiry. */
  readonly log?: ((message: string) => void) | undefined;
  /** The clock (tests); default Date.now. */
  readonly now?: () => number;
}

/** The sessions of one HTTP server. */
export class SessionRegistry {
  readonly maxSessions: number;
  readonly idleMs: number;
  private readonly sessions = new Map<string, McpSession>();
  private pending = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly options: SessionRegistryOptions = {}) {
    this.maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    this.idleMs = options.idleMs ?? DEFAULT_SESSION_IDLE_MS;
    for (const [name, value] of [['max-sessions', this.maxSessions], ['session-idle-ms', this.idleMs]] as const) {
      if (!Number.isSafeInteger(value) || value < 1) throw new PopulaceError('invalid-argument', `--${name}: expected a positive integer, received ${String(value)}.`, { details: { option: name } });
    }
    this.now = options.now ?? Date.now;
    this.timer = setInterval(() => void this.expireIdle(), Math.min(60_000, Math.max(250, Math.floor(this.idleMs / 4))));
    this.timer.unref();
  }

  /** Open sessions (initialized ones and those being initialized). */
  get size(): number {
    return this.sessions.size + this.pending;
  }

  /** The session `id`, if open. */
  get(id: string): McpSession | undefined {
    return this.sessions.get(id);
  }

  /**
   * Reserves room for a new session; false when the registry is full even after closing idle
   * sessions. Call `release()` when the session is registered or abandoned.
   */
  async reserve(): Promise<boolean> {
    if (this.size >= this.maxSessions) await this.expireIdle();
    if (this.size >= this.maxSessions) return false;
    this.pending += 1;
    return true;
  }

  /** Gives back a reservation. */
  release(): void {
    this.pending = Math.max(0, this.pending - 1);
  }

  /** Registers an initialized session. */
  add(id: string, transport: StreamableHTTPServerTransport, server: McpServer): void {
    this.sessions.set(id, { transport, server, active: 0, lastSeen: this.now() });
  }

  /** Forgets a closed session. */
  delete(id: string): void {
    this.sessions.delete(id);
  }

  /** Marks a request of `session` in progress until `done` fires. */
  track(session: McpSession, done: { once(event: 'close', listener: () => void): unknown }): void {
    session.active += 1;
    session.lastSeen = this.now();
    done.once('close', () => {
      session.active -= 1;
      session.lastSeen = this.now();
    });
  }

  /** Closes the sessions idle for `idleMs` or more; resolves with how many. */
  async expireIdle(): Promise<number> {
    const cutoff = this.now() - this.idleMs;
    const idle = [...this.sessions].filter(([, s]) => s.active === 0 && s.lastSeen <= cutoff);
    for (const [id, s] of idle) {
      this.sessions.delete(id);
      await s.transport.close().catch(() => undefined);
      await s.server.close().catch(() => undefined);
    }
    if (idle.length > 0) this.options.log?.(`populace-mcp: closed ${idle.length} MCP session${idle.length === 1 ? '' : 's'} idle for ${Math.round(this.idleMs / 1000)} s or more (${this.sessions.size} open)`);
    return idle.length;
  }

  /** Closes every session and stops the idle timer. */
  async closeAll(): Promise<void> {
    clearInterval(this.timer);
    for (const [id, s] of [...this.sessions]) {
      this.sessions.delete(id);
      await s.transport.close().catch(() => undefined);
      await s.server.close().catch(() => undefined);
    }
  }
}
