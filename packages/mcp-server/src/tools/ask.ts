/**
 * `ask`: answers a question by running the simulator, through
 * @populace/analyzer's `createAnalyzer` (a tool-calling agent over the
 * analysis functions) with the server's chat model. Without a chat model it
 * is a tool error that says how to configure one and which plain tools
 * answer the question instead.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { createAnalyzer, type Analyzer } from '@populace/analyzer';
import { PopulaceError } from '@populace/core';
import { executorTasks } from '@populace/server-kit';
import { z } from 'zod';
import { askOutput } from '../analysis-schemas.js';
import { askText } from '../analysis-text.js';
import type { ToolContext } from '../context.js';
import { guarded, ok } from '../tool-result.js';

/** The tools an assistant uses when the server has no chat model for `ask`. */
export const PLAIN_ANALYSIS_TOOLS = ['list_models', 'describe_model', 'describe_population', 'population_stats', 'search_documents', 'run_simulation', 'run_scenarios', 'counterfactual', 'sensitivity', 'compare_runs'] as const;

/**
 * The error `ask` gives on a server without a chat model (an `isError` result with its text).
 *
 * @example
 * ```ts
 * noChatModelError().code; // 'missing-requirement'
 * ```
 */
export function noChatModelError(): PopulaceError {
  return new PopulaceError(
    'missing-requirement',
    `ask needs a chat model with tool calling, and this server has none configured. Start it with POPULACE_LLM_PROVIDER set (openai with OPENAI_API_KEY, anthropic with ANTHROPIC_API_KEY, ollama with OLLAMA_BASE_URL, or llama-cpp with POPULACE_LLAMA_MODEL_PATH; POPULACE_LLM_MODEL picks the model), or pass chatModel to createPopulaceMcpServer. Without one, answer the question with the plain tools: ${PLAIN_ANALYSIS_TOOLS.join(', ')}.`,
    { details: { requirement: 'chatModel', tools: [...PLAIN_ANALYSIS_TOOLS] } },
  );
}

/** Registers ask. The analyzer is made at the first call and reused by the later ones. */
export function registerAskTool(server: McpServer, ctx: ToolContext): void {
  let analyzer: Analyzer | undefined;
  const analyzerOf = (): Analyzer => {
    if (!ctx.chatModel) throw noChatModelError();
    analyzer ??= createAnalyzer({ model: ctx.chatModel, runtime: ctx.kit.runtime, store: ctx.kit.store, executor: ctx.kit.executor, documentIndex: ctx.documents, populationBuilder: ctx.kit.populationBuilder });
    return analyzer;
  };
  server.registerTool(
    'ask',
    {
      title: 'Ask a question',
      description:
        "Answers a question by running the simulator: the server's chat model plans the analysis and calls the analysis tools itself (population statistics, scenarios, counterfactuals on paired seeds, sensitivity, run comparisons, document search), then answers quoting their numbers. Returns the answer with the evidence: every tool call, its arguments and its result. Exploratory ('which age group has the lowest median income?'), counterfactual ('how would deaths change if R0 had been 4.5?') and prospective ('what if isolation is longer and the virus more transmissible?') questions. Needs a chat model configured on the server; without one, use the plain tools.",
      inputSchema: { question: z.string().trim().min(1).max(4000).describe('The question, in words.') },
      outputSchema: askOutput,
    },
    ({ question }, extra) =>
      guarded('ask', ctx.log, async () => {
        const agent = analyzerOf();
        // the agent's statistics, sweeps and model calls hold one analysis slot of the executor, as GraphQL's ask
        const a = await executorTasks(ctx.kit.executor).run('ask', (signal) => agent.query(question, { signal }), { signal: extra.signal });
        const evidence = a.evidence.map((e) => ({ ...e, args: e.args ?? null }));
        return ok(askText(a), { answer: a.answer, stopReason: a.stopReason, iterations: a.iterations, usage: a.usage, evidence });
      }),
  );
}
