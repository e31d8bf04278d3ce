/**
 * MCP over stdio with JSON-RPC's error replies: one message per line, each at
 * most `maxMessageBytes`. A line that is not JSON is answered with -32700
 * (Parse error), one that is JSON but not a JSON-RPC message with -32600
 * (Invalid Request), and a line over the limit with -32600 as soon as it
 * passes the limit (the rest of the line is dropped unread into memory); each
 * is also logged on stderr, and the server keeps serving. It ends only when
 * stdin ends or the server closes it.
 */
import process from 'node:process';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_MAX_BODY_BYTES } from '@populace/server-kit';

/** Options of `GuardedStdioTransport`. */
export interface GuardedStdioOptions {
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout?: NodeJS.WritableStream;
  /** The longest message line in bytes (default DEFAULT_MAX_BODY_BYTES). */
  readonly maxMessageBytes?: number;
  /** Where refused messages are reported (default stderr). */
  readonly log?: (message: string) => void;
}

/** JSON-RPC 2.0's error code for a message that is not valid JSON. */
export const PARSE_ERROR = -32700;
/** JSON-RPC 2.0's error code for a message that is not a valid request. */
export const INVALID_REQUEST = -32600;

/** The stdio transport of `populace-mcp` (replaces the SDK's, which exits silently on an oversized message). */
export class GuardedStdioTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;
  readonly maxMessageBytes: number;
  private readonly stdin: NodeJS.ReadableStream;
  private readonly stdout: NodeJS.WritableStream;
  private readonly log: (message: string) => void;
  private parts: Buffer[] = [];
  private size = 0;
  private discarding = false;
  private closed = false;

  constructor(options: GuardedStdioOptions = {}) {
    this.stdin = options.stdin ?? process.stdin;
    this.stdout = options.stdout ?? process.stdout;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.log = options.log ?? ((m) => process.stderr.write(`${m}\n`));
  }

  private readonly onData = (chunk: Buffer | string): void => {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      this.append(data.subarray(start, nl));
      this.endLine();
      start = nl + 1;
    }
    if (start < data.length) this.append(data.subarray(start));
  };

  private readonly onEnd = (): void => void this.close();
  private readonly onStreamError = (error: Error): void => this.onerror?.(error);

  private append(part: Buffer): void {
    if (this.discarding || part.length === 0) return;
    if (this.size + part.length > this.maxMessageBytes) {
      this.parts = [];
      this.size = 0;
      this.discarding = true;
      this.refuse(INVALID_REQUEST, `Invalid Request: message too large (over ${this.maxMessageBytes} bytes, the server's --max-body-bytes); it was dropped. Send smaller messages, one JSON-RPC message per line.`, null);
      return;
    }
    this.parts.push(part);
    this.size += part.length;
  }

  private endLine(): void {
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    const line = Buffer.concat(this.parts, this.size).toString('utf8').replace(/\r$/, '');
    this.parts = [];
    this.size = 0;
    if (line.trim().length > 0) this.handleLine(line);
  }

  private handleLine(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const where = /position \d+/.exec((error as Error).message)?.[0];
      this.refuse(PARSE_ERROR, `Parse error: the message is not valid JSON${where ? ` (${where})` : ''}. Send one JSON-RPC message per line.`, null);
      return;
    }
    const rawId = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as { id?: unknown }).id : undefined;
    const id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : null;
    if (Array.isArray(value)) {
      this.refuse(INVALID_REQUEST, 'Invalid Request: JSON-RPC batches are not supported by MCP; send one message per line.', null);
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (!parsed.success) {
      this.refuse(INVALID_REQUEST, 'Invalid Request: expected a JSON-RPC 2.0 message (an object with "jsonrpc": "2.0" and a "method", or a result or error for an "id").', id);
      return;
    }
    try {
      this.onmessage?.(parsed.data);
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private refuse(code: number, message: string, id: string | number | null): void {
    this.log(`populace-mcp: refused a stdio message (${code}): ${message}`);
    void this.write({ jsonrpc: '2.0', error: { code, message }, id });
  }

  private write(message: unknown): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      if (this.stdout.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.stdout.once('drain', resolve);
    });
  }

  /** Starts reading stdin. */
  async start(): Promise<void> {
    this.stdin.on('data', this.onData);
    this.stdin.on('end', this.onEnd);
    this.stdin.on('error', this.onStreamError);
  }

  /** Sends one message (a line on stdout). */
  send(message: JSONRPCMessage): Promise<void> {
    return this.write(message);
  }

  /** Stops reading stdin; calls onclose once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stdin.off('data', this.onData);
    this.stdin.off('end', this.onEnd);
    this.stdin.off('error', this.onStreamError);
    if (this.stdin.listenerCount('data') === 0) this.stdin.pause();
    this.parts = [];
    this.onclose?.();
  }
}
