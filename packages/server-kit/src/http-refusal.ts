/**
 * How the Populace HTTP servers say no: an `HttpRefusal` (status, a stable
 * code, a message naming the fix) written as a JSON body in the server's own
 * error shape — JSON-RPC for MCP, GraphQL's `errors` for GraphQL — never an
 * HTML page, a stack trace or a file path. Also the bounded body reader.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The stable codes of refusals. */
export type HttpRefusalCode = 'forbidden-host' | 'forbidden-origin' | 'unauthorized' | 'payload-too-large' | 'parse-error' | 'bad-request' | 'not-found' | 'method-not-allowed' | 'too-many-sessions' | 'internal';

/** A request the server will not serve, with the HTTP status and a message for the client. */
export class HttpRefusal extends Error {
  /**
   * @param status the HTTP status (403, 401, 413, ...)
   * @param code a stable code for programs
   * @param message what was wrong and the fix, for people
   * @param headers extra response headers (e.g. WWW-Authenticate)
   */
  constructor(
    readonly status: number,
    readonly code: HttpRefusalCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpRefusal';
  }
}

/** The error body shapes: JSON-RPC 2.0 (MCP) or a GraphQL response (`{ errors: [...] }`). */
export type RefusalStyle = 'json-rpc' | 'graphql';

/** GraphQL `extensions.code` of the refusals (the ecosystem's customary names). */
const GRAPHQL_CODES: Record<HttpRefusalCode, string> = {
  'forbidden-host': 'FORBIDDEN',
  'forbidden-origin': 'FORBIDDEN',
  unauthorized: 'UNAUTHENTICATED',
  'payload-too-large': 'PAYLOAD_TOO_LARGE',
  'parse-error': 'BAD_REQUEST',
  'bad-request': 'BAD_REQUEST',
  'not-found': 'NOT_FOUND',
  'method-not-allowed': 'METHOD_NOT_ALLOWED',
  'too-many-sessions': 'SERVICE_UNAVAILABLE',
  internal: 'INTERNAL_SERVER_ERROR',
};

/** JSON-RPC error codes of the refusals (-32700 and -32600 from the JSON-RPC 2.0 spec; -32000 server errors). */
const JSON_RPC_CODES: Partial<Record<HttpRefusalCode, number>> = { 'parse-error': -32700, 'bad-request': -32600, 'method-not-allowed': -32600 };

/**
 * The JSON body of a refusal in `style`.
 *
 * @example
 * ```ts
 * refusalBody(new HttpRefusal(413, 'payload-too-large', 'too big'), 'graphql');
 * // { errors: [{ message: 'too big', extensions: { code: 'PAYLOAD_TOO_LARGE', reason: 'payload-too-large', http: { status: 413 } } }] }
 * ```
 */
export function refusalBody(refusal: HttpRefusal, style: RefusalStyle, id: string | number | null = null): unknown {
  if (style === 'graphql') return { errors: [{ message: refusal.message, extensions: { code: GRAPHQL_CODES[refusal.code], reason: refusal.code, http: { status: refusal.status } } }] };
  return { jsonrpc: '2.0', error: { code: JSON_RPC_CODES[refusal.code] ?? -32000, message: refusal.message, data: { code: refusal.code, status: refusal.status } }, id };
}

/**
 * Writes `refusal` as JSON (if the response has not started; otherwise ends it).
 *
 * @example
 * ```ts
 * sendRefusal(res, new HttpRefusal(404, 'not-found', 'not found: the endpoint is /mcp'), 'json-rpc');
 * ```
 */
export function sendRefusal(res: ServerResponse, refusal: HttpRefusal, style: RefusalStyle, id: string | number | null = null): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(refusal.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...refusal.headers }).end(JSON.stringify(refusalBody(refusal, style, id)));
}

/**
 * Reads a request body of at most `maxBytes` bytes. A larger one (by its Content-Length, or
 * while it arrives) rejects with a 413 HttpRefusal without buffering the rest; the rest is
 * then read and dropped by node:http.
 *
 * @example
 * ```ts
 * const body = await readRequestBody(req, 1024 * 1024);
 * ```
 */
export function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = (received: string) => new HttpRefusal(413, 'payload-too-large', `request body too large: ${received}, the limit is ${maxBytes} bytes (the server's --max-body-bytes).`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(`${declared} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        chunks.length = 0;
        reject(tooLarge(`over ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * Parses a JSON body; malformed JSON is a 400 `parse-error` refusal (JSON-RPC -32700).
 *
 * @example
 * ```ts
 * parseJsonBody(Buffer.from('{"a":1}')); // { a: 1 }
 * ```
 */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    const where = /position \d+/.exec((error as Error).message)?.[0];
    throw new HttpRefusal(400, 'parse-error', `Parse error: the request body is not valid JSON${where ? ` (${where})` : body.length === 0 ? ' (it is empty)' : ''}.`);
  }
}
