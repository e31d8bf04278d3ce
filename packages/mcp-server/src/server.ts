/**
 * The Populace MCP server: tools, resources and prompts over a server kit.
 * One McpServer per client connection; all of them share the kit (the
 * runtime, the run store and the executor).
 */
import { readFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { createDocumentIndex, type DocumentIndex } from '@populace/analyzer';
import { OPERATIONS } from '@populace/server-kit';
import type { ChatModel, McpKit, ToolContext } from './context.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import type { Logger } from './tool-result.js';
import { registerAnalysisTools } from './tools/analysis.js';
import { registerAnalyzerTool } from './tools/analyzer-tools.js';
import { registerAskTool } from './tools/ask.js';
import { registerOperationTools } from './tools/operations.js';
import { registerPlotTool } from './tools/plot.js';
import { registerRunTools } from './tools/runs.js';

/** The package version (reported to clients). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Every tool, in the order clients list them: the operations of server-kit's OPERATIONS, then the MCP server's own. */
export const TOOL_NAMES: readonly string[] = [
  ...OPERATIONS.map((o) => o.name),
  'describe_population',
  'population_stats',
  'search_documents',
  'get_run',
  'list_runs',
  'cancel_run',
  'get_metrics',
  'compare_runs',
  'counterfactual',
  'plot',
  'ask',
];

const INSTRUCTIONS = [
  'Populace runs agent-based population simulations (e.g. epidemics on contact networks).',
  'Start with list_models / describe_model (parameters, bounds, metrics) and list_populations / describe_population (agent attributes); search_documents finds model cards, population cards and notes of earlier runs.',
  'population_stats answers questions about who the agents are (grouped counts, shares, medians; no simulation).',
  'run_simulation returns a run id and waits a while for the result; long runs continue in the background (get_run, get_metrics, cancel_run).',
  'sweep runs a parameter grid over many seeds and returns median, 50% and 95% bands per metric and step; compare_runs and run_scenarios compare runs in one table; counterfactual compares a baseline with changed parameters on the same seeds, with an interval for the difference; plot draws runs; calibrate fits parameters to observed data; sensitivity ranks the parameters by influence.',
  "ask answers a question in words by letting the server's chat model call these tools (when the server has one).",
  'Errors name the valid ids, the bounds or the limit that was hit: correct the call and try again.',
].join(' ');

/** Options of `createPopulaceMcpServer`. */
export interface PopulaceMcpServerOptions {
  /** The runtime, run store and executor to serve (a ServerKit). */
  readonly kit: McpKit;
  /** Where unexpected errors are logged (default: stderr). */
  readonly log?: Logger;
  /** The chat model (with tool calling) the `ask` tool uses; without one `ask` is a tool error saying how to configure one. */
  readonly chatModel?: ChatModel | undefined;
  /** The document index search_documents uses (default: a new one on the kit's runtime and store); share one between servers on the same kit. */
  readonly documents?: DocumentIndex | undefined;
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
  const ctx: ToolContext = {
    kit: options.kit,
    log: options.log ?? ((m) => process.stderr.write(`${m}\n`)),
    documents: options.documents ?? createDocumentIndex({ runtime: options.kit.runtime, store: options.kit.store }),
    chatModel: options.chatModel,
  };
  registerOperationTools(server, ctx);
  for (const name of ['describe_population', 'population_stats', 'search_documents'] as const) registerAnalyzerTool(server, ctx, name);
  registerRunTools(server, ctx);
  registerAnalysisTools(server, ctx);
  registerAnalyzerTool(server, ctx, 'counterfactual');
  registerPlotTool(server, ctx);
  registerAskTool(server, ctx);
  registerResources(server, ctx);
  registerPrompts(server);
  return server;
}
