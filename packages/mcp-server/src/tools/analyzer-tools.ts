/**
 * Tools registered from @populace/analyzer's `ANALYSIS_TOOL_SPECS`:
 * describe_population, population_stats, search_documents and
 * counterfactual. Their names, descriptions and input schemas are the
 * analyzer's (one source of truth, also used by its LangChain agent); this
 * file adds their output schemas and readable text. The analyzer's other
 * specs (run_scenario, sensitivity_analysis, compare_runs, describe_model,
 * list_models) are served by this server's own tools of the same purpose.
 * population_stats and counterfactual run as tasks of the executor
 * (`executorTasks`, shared with GraphQL's fields): at most its concurrency at
 * once, at most `maxQueued` waiting, each within `maxWallMs`.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { executorTasks } from '@populace/server-kit';
import { ANALYSIS_TOOL_SPECS, type AnalysisContext, type AnalysisToolSpec, type CounterfactualResult, type PopulationStatsResult, type SearchDocumentsResult } from '@populace/analyzer';
import type { PopulationDescription } from '@populace/core';
import type { z } from 'zod';
import { counterfactualOutput, populationDescriptionOutput, populationStatsOutput, searchDocumentsOutput } from '../analysis-schemas.js';
import { counterfactualText, populationStatsText, populationText, searchText } from '../analysis-text.js';
import type { ToolContext, ToolExtra } from '../context.js';
import { guarded, ok } from '../tool-result.js';

/** How each analyzer tool is served: its title, output schema, text, and whether it only reads. */
const SERVED = {
  describe_population: { title: 'Describe a population', output: populationDescriptionOutput, text: (r: unknown) => populationText(r as PopulationDescription), readOnly: true, task: false },
  population_stats: { title: 'Population statistics', output: populationStatsOutput, text: (r: unknown) => populationStatsText(r as PopulationStatsResult), readOnly: true, task: true },
  search_documents: { title: 'Search documents', output: searchDocumentsOutput, text: (r: unknown) => searchText(r as SearchDocumentsResult), readOnly: true, task: false },
  counterfactual: { title: 'Counterfactual (paired runs)', output: counterfactualOutput, text: (r: unknown) => counterfactualText(r as CounterfactualResult), readOnly: false, task: true },
} as const;

/** The analyzer tools this server registers. */
export type AnalyzerToolName = keyof typeof SERVED;

/** The analyzer's spec of `name` (it must exist: a renamed spec fails at server creation, not at a call). */
export function analyzerSpec(name: string): AnalysisToolSpec {
  const spec = ANALYSIS_TOOL_SPECS.find((s) => s.name === name);
  if (!spec) throw new Error(`@populace/analyzer has no tool spec '${name}' (it has ${ANALYSIS_TOOL_SPECS.map((s) => s.name).join(', ')})`);
  return spec;
}

/** Registers one analyzer tool by name, running its spec on the kit with the server's document index. */
export function registerAnalyzerTool(server: McpServer, ctx: ToolContext, name: AnalyzerToolName): void {
  const spec = analyzerSpec(name);
  const served = SERVED[name];
  const analysis: AnalysisContext = { runtime: ctx.kit.runtime, executor: ctx.kit.executor, store: ctx.kit.store, documents: ctx.documents, populationBuilder: ctx.kit.populationBuilder };
  const tasks = executorTasks(ctx.kit.executor);
  server.registerTool(
    spec.name,
    {
      title: served.title,
      description: spec.description,
      inputSchema: spec.schema as z.ZodObject,
      outputSchema: served.output,
      annotations: { readOnlyHint: served.readOnly },
    },
    (input: unknown, extra: ToolExtra) =>
      guarded(spec.name, ctx.log, async () => {
        const run = async () => (await spec.run(analysis, input as never, {})) as Record<string, unknown>;
        // builds and sweeps wait for an analysis slot of the executor (the call's cancellation drops a waiting one)
        const result = served.task ? await tasks.run(spec.name, run, { signal: extra.signal }) : await run();
        return ok(served.text(result), result);
      }),
  );
}
