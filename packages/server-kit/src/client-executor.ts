/**
 * An executor as one client sees it: every job it submits carries the
 * client's identity, so the per-client cap (`maxClientRunning`) holds for it.
 * The servers give each client its view: populace-mcp one per MCP session
 * (`mcp:<session id>`), populace-graphql one per peer address
 * (`graphql:<address>`).
 */
import type { Executor } from './executor.js';

const BASE = Symbol('populace.clientExecutor.base');

/**
 * The executor `executor` as client `client` uses it: `submit` carries the client, everything
 * else is the executor's own. Its `close` closes nothing: the executor belongs to the server.
 *
 * @example
 * ```ts
 * const mine = executorForClient(kit.executor, `mcp:${sessionId}`);
 * mine.submit({ kind: 'run', model: 'network-sir', population: 'random-graph', agents: 5000 });
 * ```
 */
export function executorForClient(executor: Executor, client: string): Executor {
  const base = baseExecutor(executor);
  const view: Executor & { [BASE]: Executor } = {
    [BASE]: base,
    get concurrency() {
      return base.concurrency;
    },
    get limits() {
      return base.limits;
    },
    submit: (request, options) => base.submit(request, { ...options, client }),
    cancel: (id) => base.cancel(id),
    wait: (id, options) => base.wait(id, options),
    subscribe: (listener, filter) => base.subscribe(listener, filter),
    stats: () => base.stats(),
    close: async () => {},
  };
  return view;
}

/** The executor a client's view (executorForClient) is of; any other executor itself. */
export function baseExecutor(executor: Executor): Executor {
  return (executor as Partial<Record<typeof BASE, Executor>>)[BASE] ?? executor;
}
