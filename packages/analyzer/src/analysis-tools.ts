/**
 * The analysis functions as tools: a name, a description written for a
 * language model, the zod input schema and the function. The catalog tools
 * (list_models, describe_model, list_populations) are generated from
 * server-kit's operation list, as the MCP tools and GraphQL fields are;
 * the others are the analyzer's own. `createAnalysisTools` makes LangChain
 * tools of them; the MCP server can register the same specs.
 */
import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import { findOperation, parseOperationInput, wireInput, type Operation } from '@populace/server-kit';
import type { z } from 'zod';
import { describePopulation, describePopulationInput } from './catalog.js';
import { compareStoredRuns, compareStoredRunsInput } from './compare-stored-runs.js';
import type { AnalysisContext } from './context.js';
import { counterfactual, counterfactualInput, DEFAULT_COUNTERFACTUAL_SEEDS } from './counterfactual.js';
import { populationStats, populationStatsInput } from './population-stats.js';
import { runScenario, runScenarioInput } from './run-scenario.js';
import { searchDocuments, searchDocumentsInput } from './search-documents.js';
import { sensitivityAnalysis, sensitivityAnalysisInput } from './sensitivity-analysis.js';

/** Defaults the tools fill in where the model's call gives none. */
export interface ToolDefaults {
  /** Seeds of a counterfactual (default DEFAULT_COUNTERFACTUAL_SEEDS). */
  readonly seeds?: number | undefined;
  /** Agents of a run, counterfactual or sensitivity when the call names none (default: the population's own default). */
  readonly agents?: number | undefined;
}

/** One analysis tool. */
export interface AnalysisToolSpec<S extends z.ZodType = z.ZodType> {
  /** snake_case tool name. */
  readonly name: string;
  /** What it does and when to use it, for a language model. */
  readonly description: string;
  readonly schema: S;
  /** Runs it on a context with checked input. */
  readonly run: (ctx: AnalysisContext, input: z.output<S>, defaults: ToolDefaults) => unknown;
}

const spec = <S extends z.ZodType>(s: AnalysisToolSpec<S>): AnalysisToolSpec => s as unknown as AnalysisToolSpec;
const withAgents = <T extends { agents?: number | undefined }>(input: T, d: ToolDefaults): T => (input.agents === undefined && d.agents !== undefined ? { ...input, agents: d.agents } : input);

/** The R0 mappings the counterfactual tool explains. */
export const R0_MAPPING =
  "How 'R0' maps onto parameters: epi/covid has no R0 parameter but R, the reproduction number of the population under homogeneous mixing, one value per week for 9 weeks (later weeks repeat the last); 'if R0 had been 4.5' means R = 4.5 in every week (pass R: 4.5, a single number is applied to every week; an array of 9 changes weeks separately). 'More transmissible' means a higher R (e.g. R x 1.3). For epi/sir and epi/seir, R0 = beta / (1 - exp(-gamma)) in their daily discrete-time scheme, so R0 = x means beta = x * (1 - exp(-gamma)) (gamma 0.1: beta = 0.0952 x).";

/** The server-kit operations the analyzer offers as tools, under their operation names. */
export const OPERATION_TOOLS = ['list_models', 'describe_model', 'list_populations'] as const;

/**
 * The tool of a server-kit operation: its name, description and (wire) input schema; it runs the
 * operation on the context (a ServerKit is an operation context) and returns its output.
 */
export function operationToolSpec(op: Operation): AnalysisToolSpec {
  return { name: op.name, description: op.description, schema: wireInput(op), run: async (ctx, input, d) => op.run(parseOperationInput(op, 'agents' in op.input.shape ? withAgents(input as { agents?: number }, d) : input), ctx) };
}

const operationTools = (names: readonly string[]): AnalysisToolSpec[] => names.map((name) => operationToolSpec(findOperation(name)!));

/** Every analysis tool, in the order the agent offers them. */
export const ANALYSIS_TOOL_SPECS: readonly AnalysisToolSpec[] = [
  ...operationTools(OPERATION_TOOLS),
  spec({
    name: 'describe_population',
    description: 'Describes one population in full: default size, agent types, contact networks and the attributes of each agent type (category with labels, number with unit, or id). Use it before population_stats.',
    schema: describePopulationInput,
    run: (ctx, input) => describePopulation(ctx, input),
  }),
  spec({
    name: 'population_stats',
    description:
      "Exploratory questions about who the agents are, answered from the synthetic population itself (no simulation): grouped counts, shares and statistics of attributes, with filters. Example, 'which age group has the lowest median income?': { population: 'nyc', groupBy: ['ageBand'], measures: [{ attribute: 'income', stats: ['median'] }] } — income is an ordered band category, so its median is a band label; when one statistic is asked the result has `ranking` (lowest first, with `lowest` and `highest`; ties in the median band are broken by the median position inside the band). Numbers in groupBy need bins.",
    schema: populationStatsInput,
    run: (ctx, input) => populationStats(ctx, input),
  }),
  spec({
    name: 'run_scenario',
    description: 'Runs one simulation (a model on a population with parameter values, for some steps, on one seed), records it, and returns its run id and per metric the total over the steps, the peak, the step of the peak and the final value. For questions about what happens under one setting.',
    schema: runScenarioInput,
    run: (ctx, input, d) => runScenario(ctx, withAgents(input, d)),
  }),
  spec({
    name: 'counterfactual',
    description: `Compares a baseline with changed parameters on the same seeds (paired runs; default ${DEFAULT_COUNTERFACTUAL_SEEDS} seeds) and returns per metric the baseline mean, the counterfactual mean, and the mean paired difference with a 95% Student-t interval over the seeds (n = seeds). Use it for counterfactual questions ('how would deaths change if R0 had been 4.5?': changes { R: 4.5 }) and prospective ones ('what if isolation is longer and the virus more transmissible?': changes to isolationDays and R together). Interventions are parameters (testsPerDay, isolationDays, dosesPerDay...; see describe_model). ${R0_MAPPING}`,
    schema: counterfactualInput,
    run: (ctx, input, d) => counterfactual(ctx, withAgents(input.seeds === undefined && input.seedCount === undefined && d.seeds !== undefined ? { ...input, seedCount: d.seeds } : input, d)),
  }),
  spec({
    name: 'sensitivity_analysis',
    description: "Which parameters matter most for an output: d(output)/d(parameter) for every learnable parameter from one reverse-mode (gradient) pass through the simulation, ranked by |elasticity| (the % change of the output per 1% change of the parameter). Output is 'metric:agg', e.g. 'deaths:sum', 'I:max'.",
    schema: sensitivityAnalysisInput,
    run: (ctx, input, d) => sensitivityAnalysis(ctx, withAgents(input, d)),
  }),
  spec({
    name: 'compare_runs',
    description: 'Compares recorded runs (ids from run_scenario or counterfactual): per metric final, peak, step of the peak and total of each run, with differences to the first run.',
    schema: compareStoredRunsInput,
    run: (ctx, input) => compareStoredRuns(ctx, input),
  }),
  spec({
    name: 'search_documents',
    description: 'Searches the documents: model cards (what each model does, its parameters and metrics), population cards (attributes), notes of recorded runs (settings and results) and user documents. Use it to find which model fits a question or what was run before.',
    schema: searchDocumentsInput,
    run: (ctx, input) => searchDocuments(ctx, input),
  }),
];

/**
 * The analysis tools as LangChain tools on `ctx` (each returns its result as JSON text).
 *
 * @example
 * ```ts
 * const tools = createAnalysisTools(kit, { seeds: 3, agents: 10000 });
 * const bound = new ChatOpenAI({ model: 'gpt-4o-mini' }).bindTools(tools);
 * ```
 */
export function createAnalysisTools(ctx: AnalysisContext, defaults: ToolDefaults = {}): StructuredToolInterface[] {
  return ANALYSIS_TOOL_SPECS.map((s) =>
    tool(async (input: unknown) => JSON.stringify(await s.run(ctx, input as never, defaults)), { name: s.name, description: s.description, schema: s.schema as z.ZodObject }),
  ) as StructuredToolInterface[];
}
