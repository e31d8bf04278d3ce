/**
 * GraphiQL at the GraphQL endpoint without the internet: the page loads
 * GraphiQL 3 and React 18 from the npm packages this one depends on, served
 * by this server under `<endpoint>/assets/`, behind a Content Security
 * Policy that allows nothing but this origin. Queries and mutations go out as
 * JSON POSTs, subscriptions come back as server-sent events.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'graphql-yoga';

/** The Content-Security-Policy of the GraphiQL page and its assets: this origin only. */
export const GRAPHIQL_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Options of `useOfflineGraphiQL`. */
export interface OfflineGraphiQLOptions {
  /** The GraphQL endpoint (the page's path; assets are under `<endpoint>/assets/`). */
  readonly endpoint: string;
  /** The page title. */
  readonly title: string;
  /** The query shown in the editor at first. */
  readonly defaultQuery?: string;
}

// the page's own script and style: mount GraphiQL with a fetcher for JSON results and event streams
const BOOT_JS = `(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var options = JSON.parse(root.getAttribute('data-options'));
  function events(response) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = '';
    var queue = [];
    var ended = false;
    return {
      [Symbol.asyncIterator]: function () { return this; },
      next: async function () {
        for (;;) {
          if (queue.length > 0) return { done: false, value: queue.shift() };
          if (ended) return { done: true, value: undefined };
          var chunk = await reader.read();
          if (chunk.done) { ended = true; continue; }
          buffer += decoder.decode(chunk.value, { stream: true });
          var at;
          while ((at = buffer.indexOf('\\n\\n')) >= 0) {
            var block = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            var event = 'message';
            var data = '';
            block.split('\\n').forEach(function (line) {
              if (line.indexOf('event:') === 0) event = line.slice(6).trim();
              else if (line.indexOf('data:') === 0) data += line.slice(5).trim();
            });
            if (event === 'complete') ended = true;
            else if (data) queue.push(JSON.parse(data));
          }
        }
      },
      return: async function () { ended = true; await reader.cancel(); return { done: true, value: undefined }; },
    };
  }
  async function fetcher(params) {
    var response = await fetch(options.endpoint, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json, text/event-stream' },
      body: JSON.stringify(params),
    });
    if ((response.headers.get('content-type') || '').indexOf('text/event-stream') >= 0) return events(response);
    return response.json();
  }
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: options.defaultQuery }));
})();
`;
const BOOT_CSS = 'html, body, #graphiql { height: 100%; margin: 0; }\n';

interface Asset {
  readonly type: string;
  body: () => string;
}

const require = createRequire(import.meta.url);
const fromPackage = (pkg: string, file: string) => () => readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file), 'utf8');

/** The assets by name: what the page loads, from the packages' own builds (read once, on first use). */
const ASSETS: Readonly<Record<string, Asset>> = {
  'react.production.min.js': { type: 'text/javascript', body: fromPackage('react', 'umd/react.production.min.js') },
  'react-dom.production.min.js': { type: 'text/javascript', body: fromPackage('react-dom', 'umd/react-dom.production.min.js') },
  'graphiql.min.js': { type: 'text/javascript', body: fromPackage('graphiql', 'graphiql.min.js') },
  'graphiql.min.css': { type: 'text/css', body: fromPackage('graphiql', 'graphiql.min.css') },
  'populace-graphiql.js': { type: 'text/javascript', body: () => BOOT_JS },
  'populace-graphiql.css': { type: 'text/css', body: () => BOOT_CSS },
};

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The GraphiQL page for `options` (the assets it names are served by `useOfflineGraphiQL`).
 *
 * @example
 * ```ts
 * graphiqlPage({ endpoint: '/graphql', title: 'Populace GraphQL' }); // '<!doctype html>...'
 * ```
 */
export function graphiqlPage(options: OfflineGraphiQLOptions): string {
  const assets = `${options.endpoint}/assets`;
  const data = escapeHtml(JSON.stringify({ endpoint: options.endpoint, defaultQuery: options.defaultQuery ?? '' }));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<link rel="stylesheet" href="${assets}/graphiql.min.css">
<link rel="stylesheet" href="${assets}/populace-graphiql.css">
</head>
<body>
<div id="graphiql" data-options="${data}">Loading ${escapeHtml(options.title)}…</div>
<script src="${assets}/react.production.min.js"></script>
<script src="${assets}/react-dom.production.min.js"></script>
<script src="${assets}/graphiql.min.js"></script>
<script src="${assets}/populace-graphiql.js"></script>
</body>
</html>
`;
}

/**
 * The Yoga plugin serving GraphiQL at `endpoint` to browsers (a GET that accepts text/html) and
 * its assets at `<endpoint>/assets/<name>`, with `GRAPHIQL_CSP`. Use it with Yoga's own
 * `graphiql: false`.
 *
 * @example
 * ```ts
 * createYoga({ schema, graphiql: false, plugins: [useOfflineGraphiQL({ endpoint: '/graphql', title: 'My API' })] });
 * ```
 */
export function useOfflineGraphiQL(options: OfflineGraphiQLOptions): Plugin {
  const cache = new Map<string, string>();
  const headers = (type: string) => ({ 'content-type': `${type}; charset=utf-8`, 'content-security-policy': GRAPHIQL_CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' });
  const prefix = `${options.endpoint}/assets/`;
  let page: string | undefined;
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname === options.endpoint && (request.headers.get('accept') ?? '').includes('text/html')) {
        page ??= graphiqlPage(options);
        endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : page, { status: 200, headers: headers('text/html') }));
        return;
      }
      if (!url.pathname.startsWith(prefix)) return;
      const name = url.pathname.slice(prefix.length);
      const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
      if (!asset) {
        endResponse(new fetchAPI.Response(`no asset '${name.slice(0, 100)}'`, { status: 404, headers: headers('text/plain') }));
        return;
      }
      let body = cache.get(name);
      if (body === undefined) cache.set(name, (body = asset.body()));
      endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : body, { status: 200, headers: headers(asset.type) }));
    },
  };
}
