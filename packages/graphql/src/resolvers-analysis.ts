/**
 * Resolvers of the analysis fields: `populationStats` and `searchDocuments`
 * (queries), `counterfactual` and `ask` (mutations), on @populace/analyzer's
 * functions and agent. The analyzer checks every input (its PopulaceErrors
 * reach clients with their codes through `guard`); these resolvers turn its
 * records into the schema's typed lists.
 */
import { createAnalyzer, counterfactual, createDocumentIndex, populationStats, searchDocuments, type AnalysisContext, type Analyzer, type AnalyzerOptions, type CounterfactualResult, type DocumentIndex, type PopulationStatsResult, type StatValue } from '@populace/analyzer';
import { PopulaceError, type ParamValue } from '@populace/core';
import { executorForClient, executorTasks, type Executor, type PopulationBuilder, type RunStore } from '@populace/server-kit';
import type { Runtime } from '@populace/core';
import { counterfactualInputOf, populationStatsInputOf, type CounterfactualIn, type PopulationStatsIn } from './analysis-inputs.js';
import { given, paramList } from './values.js';

/** A LangChain chat model with tool calling, as `createAnalyzer` takes it. */
export type ChatModel = AnalyzerOptions['model'];

/** What the analysis resolvers use besides the kit. */
export interface AnalysisOptions {
  /** The chat model of the `ask` mutation; without one `ask` fails with MISSING_REQUIREMENT. */
  readonly chatModel?: ChatModel | undefined;
  /** The document index of `searchDocuments` (default: a new one on the kit's runtime and store). */
  readonly documents?: DocumentIndex | undefined;
  /** How `populationStats` builds populations (server-kit's `createPopulationBuilder` runs large builds in a worker thread; default: in this thread). */
  readonly populationBuilder?: PopulationBuilder | undefined;
}

/** The longest question `ask` accepts (characters). */
export const MAX_QUESTION_CHARS = 4000;

/** The fields a client uses when the server has no chat model for `ask`. */
export const PLAIN_ANALYSIS_FIELDS = ['models', 'populations', 'population', 'populationStats', 'searchDocuments', 'startRun', 'runScenarios', 'counterfactual', 'sensitivity', 'compareRuns'] as const;

const groupList = (group: Readonly<Record<string, string>>) => Object.entries(group).map(([attribute, label]) => ({ attribute, label }));

/** One attribute's statistics as GroupStatistic entries (the median of an ordered category with its position). */
function statisticList(attribute: string, stats: Readonly<Record<string, StatValue>>) {
  return Object.entries(stats)
    .filter(([stat]) => stat !== 'medianPosition')
    .map(([stat, v]) => ({
      attribute,
      stat,
      value: typeof v === 'number' ? v : null,
      label: typeof v === 'string' ? v : null,
      byLabel: v !== null && typeof v === 'object' ? Object.entries(v).map(([label, value]) => ({ label, value })) : null,
      medianPosition: stat === 'median' && typeof stats.medianPosition === 'number' ? stats.medianPosition : null,
    }));
}

/** The analyzer's PopulationStatsResult as the PopulationStats type. */
export function populationStatsOut(r: PopulationStatsResult) {
  const ranked = (e: NonNullable<PopulationStatsResult['ranking']>['lowest']) => ({ ...e, group: groupList(e.group) });
  return {
    ...r,
    where: Object.entries(r.where).map(([attribute, f]) => ({ attribute, ...f })),
    rows: r.rows.map((row) => ({ group: groupList(row.group), count: row.count, share: row.share, statistics: Object.entries(row.measures).flatMap(([a, stats]) => statisticList(a, stats)) })),
    ranking: r.ranking ? { ...r.ranking, entries: r.ranking.entries.map(ranked), lowest: ranked(r.ranking.lowest), highest: ranked(r.ranking.highest) } : null,
    attributes: Object.entries(r.attributes).map(([name, a]) => ({ name, ...a })),
  };
}

/** The analyzer's CounterfactualResult as the Counterfactual type (`sweep` resolves from the store). */
export function counterfactualOut(r: CounterfactualResult) {
  const param = (name: string, v: ParamValue) => paramList({ [name]: v })[0]!;
  return {
    ...r,
    baselineParams: paramList(r.baselineParams),
    counterfactualParams: paramList(r.counterfactualParams),
    changed: Object.entries(r.changed).map(([name, c]) => ({ name, baseline: param(name, c.baseline), counterfactual: param(name, c.counterfactual) })),
  };
}

/**
 * The error of `ask` on a server without a chat model (`MISSING_REQUIREMENT` on the wire).
 *
 * @example
 * ```ts
 * noChatModelError().code; // 'missing-requirement'
 * ```
 */
export function noChatModelError(): PopulaceError {
  return new PopulaceError(
    'missing-requirement',
    `ask needs a chat model with tool calling, and this server has none configured. Start populace-graphql with POPULACE_LLM_PROVIDER set (openai with OPENAI_API_KEY, anthropic with ANTHROPIC_API_KEY, ollama with OLLAMA_BASE_URL, or llama-cpp with POPULACE_LLAMA_MODEL_PATH; POPULACE_LLM_MODEL picks the model), or pass chatModel to createPopulaceYoga. Without one, answer the question with the fields ${PLAIN_ANALYSIS_FIELDS.join(', ')}.`,
    { details: { requirement: 'chatModel', fields: [...PLAIN_ANALYSIS_FIELDS] } },
  );
}

/**
 * Query and mutation resolvers of the analysis fields, and the Counterfactual type's `sweep`. One
 * document index and (at the first `ask`) one analyzer are made per call and reused.
 * `populationStats`, `counterfactual` and `ask` run as tasks of the executor (`executorTasks`): at most
 * its concurrency at once, at most `maxQueued` waiting, each within `maxWallMs`.
 *
 * @example
 * ```ts
 * const { Query } = analysisResolvers(kit, { chatModel });
 * ```
 */
export function analysisResolvers(kit: { readonly runtime: Runtime; readonly store: RunStore; readonly executor: Executor; readonly populationBuilder?: PopulationBuilder | undefined }, options: AnalysisOptions = {}) {
  type Ctx = { request?: Request; req?: { socket?: { remoteAddress?: string | undefined } } };
  // a counterfactual's sweep counts against the caller's per-client cap (maxClientRunning), as its jobs do
  const forClient = (context: Ctx): AnalysisContext => {
    const peer = context.req?.socket?.remoteAddress;
    return peer ? { ...ctx, executor: executorForClient(kit.executor, `graphql:${peer}`) } : ctx;
  };
  const documents = options.documents ?? createDocumentIndex({ runtime: kit.runtime, store: kit.store });
  // one builder for the kit's runs and these fields (openServerKit's worker builder), unless the options give another
  const populationBuilder = options.populationBuilder ?? kit.populationBuilder;
  const ctx: AnalysisContext = { runtime: kit.runtime, store: kit.store, executor: kit.executor, documents, populationBuilder };
  // population builds and sweeps wait for a slot of the executor's analysis tasks, within its limits
  const tasks = executorTasks(kit.executor);
  let analyzer: Analyzer | undefined;
  const analyzerOf = (): Analyzer => {
    if (!options.chatModel) throw noChatModelError();
    analyzer ??= createAnalyzer({ model: options.chatModel, runtime: kit.runtime, store: kit.store, executor: kit.executor, documentIndex: documents, populationBuilder });
    return analyzer;
  };
  return {
    Query: {
      populationStats: async (_: unknown, { input }: { input: PopulationStatsIn }, context: Ctx) => {
        const args = populationStatsInputOf(input);
        return populationStatsOut(await tasks.run('populationStats', () => populationStats(ctx, args), { signal: context.request?.signal }));
      },
      searchDocuments: async (_: unknown, args: { query: string; k?: number | null; kinds?: readonly string[] | null }) => {
        const k = given(args.k);
        const kinds = given(args.kinds);
        const result = await searchDocuments(ctx, { query: args.query, ...(k === undefined ? {} : { k }), ...(kinds === undefined ? {} : { kinds: [...kinds] as never }) });
        return result.results;
      },
    },
    Mutation: {
      counterfactual: async (_: unknown, { input }: { input: CounterfactualIn }, context: Ctx) => {
        const args = counterfactualInputOf(input);
        return counterfactualOut(await tasks.run('counterfactual', () => counterfactual(forClient(context), args), { signal: context.request?.signal }));
      },
      ask: async (_: unknown, { question }: { question: string }, context: Ctx) => {
        if (question.length > MAX_QUESTION_CHARS) throw new PopulaceError('invalid-argument', `ask: question expected at most ${MAX_QUESTION_CHARS} characters, received ${question.length}. Ask a shorter question.`, { details: { field: 'question' } });
        const analyzer = analyzerOf();
        // the agent's statistics, sweeps and model calls hold one analysis slot, like populationStats
        const a = await tasks.run('ask', (signal) => analyzer.query(question, { signal }), { signal: context.request?.signal });
        return { answer: a.answer, stopReason: a.stopReason, iterations: a.iterations, usage: a.usage, evidence: a.evidence.map((e) => ({ ...e, args: e.args ?? null, result: e.result ?? null, error: e.error ?? null })) };
      },
    },
    Counterfactual: {
      sweep: (c: { sweepId: string }) => kit.store.require(c.sweepId),
    },
  };
}
