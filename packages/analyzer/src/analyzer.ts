/**
 * `createAnalyzer`: a LangChain tool-calling agent whose tools are the
 * analysis functions. It binds the tools to the chat model, then alternates
 * model turns and tool runs until the model answers in text or
 * `maxIterations` model calls have been made, recording every tool call as
 * evidence. Bad arguments and tool errors go back to the model as error
 * tool messages; they never end the query.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { PopulaceError, type Runtime } from '@populace/core';
import { createInProcessExecutor, type Executor, type RunLimits, type RunStore } from '@populace/server-kit';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { DocumentInterface } from '@langchain/core/documents';
import { ANALYSIS_TOOL_SPECS, createAnalysisTools, type AnalysisToolSpec } from './analysis-tools.js';
import type { AnalysisContext } from './context.js';
import { DEFAULT_COUNTERFACTUAL_SEEDS } from './counterfactual.js';
import { createDocumentIndex, type DocumentIndex, type UserDocument } from './documents/document-index.js';
import { parseInput } from './input.js';
import { ANALYZER_SYSTEM_PROMPT } from './system-prompt.js';

/** Agents of a run, counterfactual or sensitivity when the model's call names none. */
export const DEFAULT_ANALYZER_AGENTS = 10_000;

/** Options of `createAnalyzer`. */
export interface AnalyzerOptions {
  /** Any LangChain chat model with tool calling (`bindTools`): ChatOpenAI, ChatAnthropic, ChatOllama, or the ScriptedChatModel of `@populace/analyzer/testing`. */
  readonly model: BaseChatModel;
  readonly runtime: Runtime;
  readonly store: RunStore;
  /** Runs jobs (default: an in-process executor on runtime and store, closed by `close()`). */
  readonly executor?: Executor | undefined;
  /** Operator limits of the default executor. */
  readonly limits?: Partial<RunLimits> | undefined;
  /** An existing document index to search (e.g. a server's shared one); then `documents` and `embeddings` are not used. */
  readonly documentIndex?: DocumentIndex | undefined;
  /** How its populationStats tool builds populations (default: in this thread; see AnalysisContext.populationBuilder). */
  readonly populationBuilder?: AnalysisContext['populationBuilder'];
  /** Documents to retrieve from besides the model and population cards and the run notes. */
  readonly documents?: readonly (UserDocument | DocumentInterface)[] | undefined;
  /** Embeddings of the document store (default: the offline HashingEmbeddings). */
  readonly embeddings?: EmbeddingsInterface | undefined;
  /** Model calls per query (default 8). */
  readonly maxIterations?: number | undefined;
  /** Seeds of a counterfactual when the model gives none (default 3). */
  readonly seeds?: number | undefined;
  /** Agents of a simulation when the model gives none (default DEFAULT_ANALYZER_AGENTS; null: the population's own default). */
  readonly agents?: number | null | undefined;
  /** Replaces ANALYZER_SYSTEM_PROMPT. */
  readonly systemPrompt?: string | undefined;
}

/** One tool call the model made, with what came back. */
export interface Evidence {
  readonly tool: string;
  readonly args: unknown;
  readonly ok: boolean;
  /** The tool's result (plain JSON) when ok. */
  readonly result?: unknown;
  /** Why it failed: a PopulaceError code (or 'internal') and the message the model saw. */
  readonly error?: { readonly code: string; readonly message: string };
  /** Wall time of the tool in milliseconds. */
  readonly ms: number;
  /** The model call (1-based) that asked for it. */
  readonly iteration: number;
  readonly toolCallId: string;
}

/** Token use over a query, summed over the model calls (tokens where the provider reports them). */
export interface AnalyzerUsage {
  readonly llmCalls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
}

/** What `analyzer.query` returns. */
export interface AnalyzerAnswer {
  /** The model's final text, or a note that the query stopped at maxIterations. */
  readonly answer: string;
  /** `answer`: the model answered; `max-iterations`: it was still calling tools after maxIterations model calls. */
  readonly stopReason: 'answer' | 'max-iterations';
  readonly evidence: readonly Evidence[];
  /** Model calls made. */
  readonly iterations: number;
  readonly usage: AnalyzerUsage;
  /** The whole conversation (system, question, model turns, tool messages). */
  readonly messages: readonly BaseMessage[];
}

/** The analyzer. */
export interface Analyzer {
  /** The LangChain tools bound to the model. */
  readonly tools: readonly StructuredToolInterface[];
  /** The context its tools run on. */
  readonly context: AnalysisContext;
  /** Answers a question by letting the model call the tools. */
  query(question: string, options?: { readonly signal?: AbortSignal }): Promise<AnalyzerAnswer>;
  /** Closes the executor it created (not one it was given, nor the store). */
  close(): Promise<void>;
}

function errorOf(error: unknown): { code: string; message: string } {
  if (PopulaceError.isInstance(error)) return { code: error.code, message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new PopulaceError('invalid-argument', `createAnalyzer: ${name} expected a positive integer, received ${JSON.stringify(value)}.`);
  return value;
}

/**
 * A tool-calling agent over the analysis functions.
 *
 * @example
 * ```ts
 * import { ChatOpenAI } from '@langchain/openai';
 * const analyzer = createAnalyzer({ model: new ChatOpenAI({ model: 'gpt-4o-mini' }), runtime, store });
 * const { answer, evidence } = await analyzer.query('Which age group has the lowest median income in NYC?');
 * await analyzer.close();
 * ```
 */
export function createAnalyzer(options: AnalyzerOptions): Analyzer {
  if (!options || typeof options !== 'object') throw new PopulaceError('invalid-argument', 'createAnalyzer: expected { model, runtime, store, executor?, documents?, embeddings?, maxIterations?, seeds? }.');
  const { model, runtime, store } = options;
  if (!runtime || !store) throw new PopulaceError('invalid-argument', `createAnalyzer: expected a runtime and a run store, missing ${[!runtime && 'runtime', !store && 'store'].filter(Boolean).join(' and ')}. Open a store with openRunStore({ path }).`);
  if (!model || typeof (model as { invoke?: unknown }).invoke !== 'function') throw new PopulaceError('invalid-argument', 'createAnalyzer: model expected a LangChain chat model (BaseChatModel) with tool calling, such as ChatOpenAI, ChatAnthropic or ChatOllama.');
  if (typeof model.bindTools !== 'function') {
    throw new PopulaceError('invalid-argument', `createAnalyzer: model ${(model as { _llmType?: () => string })._llmType?.() ?? model.constructor?.name ?? ''} has no bindTools: the analyzer needs a chat model with tool calling. Use a provider's chat model that supports tools (ChatOpenAI, ChatAnthropic, ChatOllama with a tool-capable model), or ScriptedChatModel in tests.`);
  }
  const maxIterations = positiveInt(options.maxIterations, 'maxIterations', 8);
  const seeds = positiveInt(options.seeds, 'seeds', DEFAULT_COUNTERFACTUAL_SEEDS);
  const agents = options.agents === null ? undefined : positiveInt(options.agents, 'agents', DEFAULT_ANALYZER_AGENTS);
  const ownExecutor = options.executor === undefined;
  const executor = options.executor ?? createInProcessExecutor({ runtime, store, ...(options.limits ? { limits: options.limits } : {}) });
  const documents = options.documentIndex ?? createDocumentIndex({ runtime, store, documents: options.documents, embeddings: options.embeddings });
  const context: AnalysisContext = { runtime, store, executor, documents, populationBuilder: options.populationBuilder };
  const defaults = { seeds, agents };
  const tools = createAnalysisTools(context, defaults);
  const specs = new Map<string, AnalysisToolSpec>(ANALYSIS_TOOL_SPECS.map((s) => [s.name, s]));
  const bound = model.bindTools(tools);
  const system = options.systemPrompt ?? ANALYZER_SYSTEM_PROMPT;

  async function runTool(name: string, args: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: { code: string; message: string } }> {
    const spec = specs.get(name);
    if (!spec) return { ok: false, error: { code: 'unknown-id', message: `There is no tool '${name}'. Tools: ${[...specs.keys()].join(', ')}.` } };
    try {
      const input = parseInput(spec.schema, args ?? {}, name, 'Fix the arguments and call the tool again.');
      return { ok: true, result: await spec.run(context, input, defaults) };
    } catch (error) {
      return { ok: false, error: errorOf(error) };
    }
  }

  async function query(question: string, queryOptions: { readonly signal?: AbortSignal } = {}): Promise<AnalyzerAnswer> {
    if (typeof question !== 'string' || question.trim().length === 0) throw new PopulaceError('invalid-argument', `analyzer.query: expected a question (a non-empty string), received ${JSON.stringify(question)}.`);
    const messages: BaseMessage[] = [new SystemMessage(system), new HumanMessage(question)];
    const evidence: Evidence[] = [];
    const usage = { llmCalls: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    for (let iteration = 1; iteration <= maxIterations; iteration++) {
      let reply: AIMessage;
      try {
        reply = (await bound.invoke(messages, queryOptions.signal ? { signal: queryOptions.signal } : {})) as AIMessage;
      } catch (error) {
        throw new PopulaceError('llm-failed', `analyzer: the chat model failed on call ${iteration}: ${error instanceof Error ? error.message : String(error)}. Check the provider's key, model name and network; the ${evidence.length} tool call(s) so far are lost with this query.`, { cause: error, details: { iteration, evidence } });
      }
      usage.llmCalls += 1;
      usage.inputTokens += reply.usage_metadata?.input_tokens ?? 0;
      usage.outputTokens += reply.usage_metadata?.output_tokens ?? 0;
      usage.totalTokens += reply.usage_metadata?.total_tokens ?? 0;
      messages.push(reply);
      const calls = reply.tool_calls ?? [];
      if (calls.length === 0) return { answer: reply.text, stopReason: 'answer', evidence, iterations: iteration, usage: { ...usage }, messages };
      if (iteration === maxIterations) break;
      for (const [k, call] of calls.entries()) {
        const toolCallId = call.id ?? `call-${iteration}-${k + 1}`;
        const started = performance.now();
        const outcome = await runTool(call.name, call.args);
        const ms = performance.now() - started;
        if (outcome.ok) {
          evidence.push({ tool: call.name, args: call.args, ok: true, result: outcome.result, ms, iteration, toolCallId });
          messages.push(new ToolMessage({ content: JSON.stringify(outcome.result), tool_call_id: toolCallId, name: call.name, status: 'success' }));
        } else {
          evidence.push({ tool: call.name, args: call.args, ok: false, error: outcome.error, ms, iteration, toolCallId });
          messages.push(new ToolMessage({ content: `Error (${outcome.error.code}): ${outcome.error.message}`, tool_call_id: toolCallId, name: call.name, status: 'error' }));
        }
      }
    }
    const pending = (messages[messages.length - 1] as AIMessage).tool_calls?.map((c) => c.name) ?? [];
    return {
      answer: `No final answer: the model was still calling tools (${pending.join(', ')}) after ${maxIterations} model calls (maxIterations = ${maxIterations}); those last calls were not run. ${evidence.length} tool call(s) ran before (see evidence). Ask a narrower question or raise maxIterations.`,
      stopReason: 'max-iterations',
      evidence,
      iterations: maxIterations,
      usage: { ...usage },
      messages,
    };
  }

  return {
    tools,
    context,
    query,
    close: async () => {
      if (ownExecutor) await executor.close();
    },
  };
}
