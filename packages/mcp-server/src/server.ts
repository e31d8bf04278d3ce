/**
 * The Populace MCP server: tools, resources and prompts over a server kit.
 * One McpServer per client connection; all of them share the kit (the
 * runtime, the run store and the executor).
 */
import { readFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpKit, ToolContext } from './context.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import type { Logger } from './tool-result.js';
import { registerAnalysisTools } from './tools/analysis.js';
import { registerCatalogTools } from './tools/catalog.js';
import { registerGradientTools } from './tools/gradients.js';
import { registerPlotTool } from './tools/plot.js';
import { registerRunTools } from './tools/runs.js';

/** The package version (reported to clients). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Every tool, in the order clients list them. */
export const TOOL_NAMES = ['list_models', 'describe_model', 'list_populations', 'run_simulation', 'get_run', 'list_runs', 'cancel_run', 'get_metrics', 'compare_runs', 'run_scenarios', 'calibrate', 'sensitivity', 'plot'] as const;

const INSTRUCTIONS = [
  'Populace runs agent-based population simulations (e.g. epidemics on contact networks).',
  'Start with list_models / describe_model (parameters, bounds, metrics) and list_populations.',
  'run_simulation returns a run id and waits a while for the result; long runs continue in the background (get_run, get_metrics, cancel_run).',
  'compare_runs and run_scenarios compare runs in one table; plot draws them; calibrate fits parameters to observed data; sensitivity ranks the parameters by influence.',
  'Errors name the valid ids, the bounds or the limit that was hit: correct the call and try again.',
].join(' ');

/** Options of `createPopulaceMcpServer`. */
export interface PopulaceMcpServerOptions {
  /** The runtime, run store and executor to serve (a ServerKit). */
  readonly kit: McpKit;
  /** Where unexpected errors are logged (default: stderr). */
  readonly log?: Logger;
}

/**
 * An MCP server offering the kit's models, runs and analyses; connect it to a transport.
 *
 * @example
 * ```ts
 * const kit = createServerKit({ runtime, db: 'runs.db' });
 * const server = createPopulaceMcpServer({ kit });
 * await server.connect(new StdioServerTransport());
 * ```
 */
export function createPopulaceMcpServer(options: PopulaceMcpServerOptions): McpServer {
  const server = new McpServer({ name: 'populace', title: 'Populace', version: VERSION }, { instructions: INSTRUCTIONS, capabilities: { logging: {} } });
  const ctx: ToolContext = { kit: options.kit, log: options.log ?? ((m) => process.stderr.write(`${m}\n`)) };
  registerCatalogTools(server, ctx);
  registerRunTools(server, ctx);
  registerAnalysisTools(server, ctx);
  registerGradientTools(server, ctx);
  registerPlotTool(server, ctx);
  registerResources(server, ctx);
  registerPrompts(server);
  return server;
}
