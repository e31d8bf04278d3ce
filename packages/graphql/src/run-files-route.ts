/**
 * A run's files over HTTP, beside /graphql on the same node:http server:
 * `GET /runs/{id}/metrics.csv`, `/runs/{id}/metrics.parquet`,
 * `/runs/{id}/snapshot.parquet` and `/runs/{id}/bands.parquet` (a sweep's)
 * (@populace/server-kit's runFile). They pass
 * the same guard as /graphql first (Host, Origin, the bearer token when the
 * server has one). A GET reads and changes nothing, so it needs no CSRF
 * header: a page of another site can start a download but cannot read it (no
 * CORS headers for foreign origins), and every file is bounded by the
 * operator's maxFileCells. Errors are GraphQL-shaped JSON with the Populace
 * code: 404 UNKNOWN_ID for an unknown run, 404 NOT_FOUND for a file the run
 * does not have, 413 LIMIT_EXCEEDED with the numbers; others are masked.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PopulaceError } from '@populace/core';
import { HttpRefusal, isRunFileName, RUN_FILES, runFile, type RunFileName, type RunLimits, type RunStore } from '@populace/server-kit';
import { graphqlCode } from './errors.js';

/** The path of the file routes: `/runs/<id>/<file>` (the id URI-encoded). */
const ROUTE = /^\/runs\/([^/]+)\/([^/]+)$/;

/** Whether `path` is a run file route (any file name: a wrong one gets a 404 naming the right ones). */
export const isRunFileRoute = (path: string): boolean => ROUTE.test(path);

function sendError(res: ServerResponse, status: number, code: string, message: string, details: unknown = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).end(JSON.stringify({ errors: [{ message, extensions: { code, details, http: { status } } }] }));
}

/** HTTP statuses of the Populace errors a file route can give. */
const STATUS: Partial<Record<string, number>> = { 'unknown-id': 404, 'invalid-argument': 404, 'limit-exceeded': 413 };

/**
 * Serves `GET`/`HEAD /runs/<id>/<file>` from `store` (the guard has passed). Other methods get
 * 405; errors not from Populace are thrown on (the server logs and masks them).
 */
export async function serveRunFile(req: IncomingMessage, res: ServerResponse, path: string, store: RunStore, limits: RunLimits): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpRefusal(405, 'method-not-allowed', `${req.method ?? 'this method'} ${path}: run files are read with GET (or HEAD).`, { allow: 'GET, HEAD' });
  const [, rawId, name] = ROUTE.exec(path)!;
  let id: string;
  try {
    id = decodeURIComponent(rawId!);
  } catch {
    return sendError(res, 400, 'BAD_REQUEST', `${path}: the run id is not valid URI encoding.`);
  }
  if (!isRunFileName(name)) return sendError(res, 404, 'NOT_FOUND', `not found: ${JSON.stringify(path).slice(0, 200)}. A run's files are ${RUN_FILES.map((f) => `/runs/{id}/${f}`).join(', ')}.`, { files: RUN_FILES });
  let file;
  try {
    file = await runFile(store, limits, id, name as RunFileName);
  } catch (error) {
    if (!PopulaceError.isInstance(error) || STATUS[error.code] === undefined) throw error;
    const code = error.code === 'invalid-argument' ? 'NOT_FOUND' : graphqlCode(error.code);
    return sendError(res, STATUS[error.code]!, code, error.message, error.details ?? {});
  }
  const body = typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : Buffer.from(file.body.buffer, file.body.byteOffset, file.body.byteLength);
  const filename = `${id.replace(/[^\w.-]/g, '_')}-${name}`;
  res.writeHead(200, {
    'content-type': file.mimeType === 'text/csv' ? 'text/csv; charset=utf-8' : file.mimeType,
    'content-length': String(body.byteLength),
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
