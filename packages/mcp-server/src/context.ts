/**
 * What every tool, resource and prompt is given: the server kit (runtime,
 * run store, executor) and a logger; and following a job while a tool call
 * waits for it, with MCP progress notifications.
 */
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { progressMessage, type Executor, type PopulationBuilder, type RunRecord, type RunStore } from '@populace/server-kit';
import type { AnalyzerOptions, DocumentIndex } from '@populace/analyzer';
import type { Runtime } from '@populace/core';
import type { Logger } from './tool-result.js';

/** The parts of a server kit the MCP server uses. */
export interface McpKit {
  readonly runtime: Runtime;
  readonly store: RunStore;
  readonly executor: Executor;
  /** How population_stats builds populations (a ServerKit's worker builder, shared with its runs); default in this thread. */
  readonly populationBuilder?: PopulationBuilder | undefined;
}

/** A LangChain chat model with tool calling, as `createAnalyzer` takes it. */
export type ChatModel = AnalyzerOptions['model'];

export interface ToolContext {
  readonly kit: McpKit;
  readonly log: Logger;
  /** The document index search_documents uses (one per server, reused by every call). */
  readonly documents: DocumentIndex;
  /** The chat model `ask` uses; none: `ask` says how to configure one. */
  readonly chatModel?: ChatModel | undefined;
}

/** The `extra` argument of tool callbacks. */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Progress notifications are sent at most this often (ms), plus the last one. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Waits up to `seconds` for a job to end, sending `notifications/progress` when the client gave
 * a progress token; returns the record (still running if the time ran out).
 */
export async function follow(ctx: ToolContext, id: string, seconds: number, extra: ToolExtra): Promise<RunRecord> {
  const token = extra._meta?.progressToken;
  let unsubscribe = (): void => undefined;
  if (token !== undefined && seconds > 0) {
    let last = 0;
    unsubscribe = ctx.kit.executor.subscribe((e) => {
      const now = Date.now();
      if (e.type !== 'finished' && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      extra
        .sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: e.progress.done, total: e.progress.total, message: progressMessage(e) } })
        .catch(() => undefined);
    }, { runId: id });
  }
  try {
    return await ctx.kit.executor.wait(id, { timeoutMs: seconds * 1000, signal: extra.signal });
  } finally {
    unsubscribe();
  }
}
