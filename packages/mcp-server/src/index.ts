/**
 * @populace/mcp-server: an MCP server that lets AI assistants drive Populace
 * simulations — list and describe models, run, follow, compare, calibrate,
 * rank parameters and plot; population statistics, counterfactuals, document
 * search and questions answered by @populace/analyzer — over stdio or
 * Streamable HTTP.
 */
export { createPopulaceMcpServer, TOOL_NAMES, VERSION } from './server.js';
export type { PopulaceMcpServerOptions } from './server.js';
export { DEFAULT_HOST, DEFAULT_PORT, startHttpServer } from './http.js';
export type { HttpServerOptions, RunningHttpServer } from './http.js';
export { DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_IDLE_MS, SessionRegistry } from './http-sessions.js';
export type { McpSession, SessionRegistryOptions } from './http-sessions.js';
export { GuardedStdioTransport, INVALID_REQUEST, PARSE_ERROR } from './stdio.js';
export type { GuardedStdioOptions } from './stdio.js';
export type { ChatModel, McpKit } from './context.js';
export { noChatModelError, PLAIN_ANALYSIS_TOOLS } from './tools/ask.js';
export { main, USAGE } from './main.js';
