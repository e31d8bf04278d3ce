/**
 * What an HTTP request must be before Yoga parses it as a GraphQL operation:
 * cross-site request forgery prevention (an operation comes with a JSON
 * content type, which a browser only sends cross-origin after a CORS
 * preflight this server refuses, or with the `x-populace-csrf` header, which
 * has the same effect) and a bound on the body size, read incrementally so a
 * body without a Content-Length cannot grow past it either.
 */
import { GraphQLError } from './graphql.js';
import type { Plugin } from 'graphql-yoga';

/** Content types an operation may come with without the CSRF header. */
export const JSON_CONTENT_TYPES = ['application/json', 'application/graphql-response+json', 'application/graphql+json'] as const;

/** The header that lets any other request through (any non-empty value): a browser never adds it to a cross-site request without a preflight. */
export const CSRF_HEADER = 'x-populace-csrf';

/** Default largest request body (1 MiB): a calibration's observed series of 10,000 values is about 100 KB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const mediaType = (request: Request): string => (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

function refused(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
  return new GraphQLError(message, { extensions: { code, details, http: { status } } });
}

/** Reads `request`'s body as text, refusing it (413) once it passes `max` bytes. */
async function boundedText(request: Request, max: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  const tooLarge = (received: number) => refused(413, 'LIMIT_EXCEEDED', `the request body is ${received > max + 1 ? received.toLocaleString('en-US') : `over ${max.toLocaleString('en-US')}`} bytes, over this server's limit of ${max.toLocaleString('en-US')} (maxBodyBytes). Send a smaller document, or large values as fewer, shorter variables.`, { limit: 'maxBodyBytes', max, received });
  if (Number.isFinite(declared) && declared > max) throw tooLarge(declared);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(size);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Options of `useRequestGuards`. */
export interface RequestGuardOptions {
  /** Largest request body in bytes (default DEFAULT_MAX_BODY_BYTES). */
  readonly maxBodyBytes?: number;
}

/**
 * The Yoga plugin refusing, before parsing: operations that neither come as JSON nor carry
 * `x-populace-csrf` (403, `CSRF_REJECTED`; GET requests too, so a link or an image cannot run a
 * query), and bodies over `maxBodyBytes` (413, `LIMIT_EXCEEDED`). JSON bodies are then parsed
 * from the bounded text. Mutations over GET stay refused by Yoga (405).
 *
 * @example
 * ```ts
 * createYoga({ schema, multipart: false, plugins: [useRequestGuards({ maxBodyBytes: 256 * 1024 })] });
 * ```
 */
export function useRequestGuards(options: RequestGuardOptions = {}): Plugin {
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return {
    onRequestParse({ request, setRequestParser }) {
      const type = mediaType(request);
      const json = request.method === 'POST' && (JSON_CONTENT_TYPES as readonly string[]).includes(type);
      if (!json && !request.headers.get(CSRF_HEADER)) {
        const what = request.method === 'POST' ? `a POST with content type ${JSON.stringify(type || 'none').slice(0, 80)}` : `a ${request.method} request`;
        throw refused(403, 'CSRF_REJECTED', `refused ${what}: to prevent cross-site request forgery, operations are accepted as POST with content type application/json (or application/graphql-response+json), or with the header '${CSRF_HEADER}: 1'.`, { accepted: [...JSON_CONTENT_TYPES], header: CSRF_HEADER });
      }
      if (request.method !== 'POST') return;
      if (json) {
        setRequestParser(async (r: Request) => {
          const text = await boundedText(r, max);
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            throw refused(400, 'BAD_REQUEST', 'the request body is not valid JSON. Send { "query": "...", "variables": { ... } }.');
          }
          if (body === null || typeof body !== 'object') throw refused(400, 'BAD_REQUEST', `the request body is expected to be a JSON object such as { "query": "{ models { id } }" }, received ${body === null ? 'null' : typeof body}.`);
          return body as never;
        });
        return;
      }
      // other content types, with the header: read within the bound, then parsed as Yoga would
      if (type === 'application/x-www-form-urlencoded' || type === 'application/graphql') {
        setRequestParser(async (r: Request) => {
          const text = await boundedText(r, max);
          if (type === 'application/graphql') return { query: text };
          const form = new URLSearchParams(text);
          const json = (name: string): unknown => {
            const v = form.get(name);
            if (!v) return undefined;
            try {
              return JSON.parse(v);
            } catch {
              throw refused(400, 'BAD_REQUEST', `the form field '${name}' is not valid JSON.`);
            }
          };
          return { query: form.get('query') ?? undefined, operationName: form.get('operationName') ?? undefined, variables: json('variables') as never, extensions: json('extensions') as never };
        });
      }
    },
  };
}
