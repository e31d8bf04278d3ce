/**
 * Tool results: structured content plus readable text, and failures as MCP
 * tool errors (`isError`) whose text the assistant can act on. A
 * PopulaceError keeps its message (it names the valid ids, the bounds, the
 * limit); anything else is masked and logged.
 */
import { PopulaceError } from '@populace/core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { finite } from './schemas.js';

/** Where unexpected errors are logged (stderr: stdout is the stdio transport). */
export type Logger = (message: string) => void;

/** A successful result: `structured` (made JSON-safe) and `text`. */
export function ok(text: string, structured: Record<string, unknown>, extra: CallToolResult['content'] = []): CallToolResult {
  return { content: [{ type: 'text', text }, ...extra], structuredContent: finite(structured) };
}

/** A failure as a tool error. */
export function toolError(tool: string, error: unknown, log: Logger): CallToolResult {
  if (PopulaceError.isInstance(error)) {
    return { isError: true, content: [{ type: 'text', text: `${tool} failed (${error.code}): ${error.message}` }], _meta: { code: error.code, details: finite(error.details) } };
  }
  log(`populace-mcp: internal error in ${tool}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return { isError: true, content: [{ type: 'text', text: `${tool} failed with an internal error of the server (logged there). Try again, or report it if it persists.` }], _meta: { code: 'internal' } };
}

/** Runs a tool body, turning what it throws into a tool error. */
export async function guarded(tool: string, log: Logger, body: () => CallToolResult | Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    return toolError(tool, error, log);
  }
}
