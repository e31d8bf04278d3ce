/**
 * @populace/mcp-server: an MCP server that lets AI assistants drive Populace
 * simulations — list and describe models, run, follow, compare, calibrate,
 * rank parameters and plot — over stdio or Streamable HTTP.
 */
export { createPopulaceMcpServer, TOOL_NAMES, VERSION } from './server.js';
export type { PopulaceMcpServerOptions } from './server.js';
export { DEFAULT_HOST, DEFAULT_PORT, startHttpServer } from './http.js';
export type { HttpServerOptions, RunningHttpServer } from './http.js';
export type { McpKit } from './context.js';
export { main, USAGE } from './main.js';
