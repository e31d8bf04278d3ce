/**
 * `ScriptedChatModel`: a LangChain chat model that plays a script, for
 * testing agents without a provider. Each turn either calls tools (fixed
 * calls, or calls computed from the conversation so far, e.g. from the
 * previous tool result's JSON) or answers in text (fixed, or computed from the
 * tool results, so a test can check that the answer quotes their numbers).
 */
import { BaseChatModel, type BaseChatModelParams, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import { AIMessage, ToolMessage, type BaseMessage, type UsageMetadata } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';

/** A tool result as a script sees it. */
export interface ScriptToolResult {
  /** The tool's name (from the tool message, else from the call it answers). */
  readonly name: string;
  readonly toolCallId: string;
  /** The arguments of the call it answers ({} when not found). */
  readonly args: Readonly<Record<string, unknown>>;
  /** False for error tool messages. */
  readonly ok: boolean;
  /** The message text. */
  readonly content: string;
  /** The content parsed as JSON (undefined when it is not JSON). */
  readonly json: any;
}

/** What a computed turn receives. */
export interface ScriptContext {
  /** The messages of this call (system, human, AI turns, tool messages). */
  readonly messages: readonly BaseMessage[];
  /** The text of the first human message. */
  readonly question: string;
  /** Every tool result so far, in order. */
  readonly toolResults: readonly ScriptToolResult[];
  /** The tool results that answer the previous turn's calls. */
  readonly lastToolResults: readonly ScriptToolResult[];
  /** This turn's index in the script (0-based). */
  readonly turn: number;
  /** Names of the tools bound with bindTools. */
  readonly boundTools: readonly string[];
}

/** One tool call of a turn. */
export interface ScriptedToolCall {
  readonly name: string;
  readonly args: Record<string, unknown>;
  /** Default `call-<turn>-<k>`. */
  readonly id?: string;
}

/** A turn that calls tools. */
export interface ToolCallTurn {
  readonly toolCalls: readonly ScriptedToolCall[] | ((ctx: ScriptContext) => readonly ScriptedToolCall[]);
  /** Text alongside the calls (default ''). */
  readonly text?: string;
  readonly usage?: UsageMetadata;
}

/** A turn that answers in text. */
export interface TextTurn {
  readonly text: string | ((ctx: ScriptContext) => string);
  readonly usage?: UsageMetadata;
}

/** One turn of a script. */
export type ScriptTurn = ToolCallTurn | TextTurn;

/** Options of `ScriptedChatModel`. */
export interface ScriptedChatModelOptions extends BaseChatModelParams {
  /** The turns, played in order, one per model call. */
  readonly turns: readonly ScriptTurn[];
  /** What to do after the last turn: 'error' (default) throws, 'repeat-last' plays the last turn again. */
  readonly whenDone?: 'error' | 'repeat-last';
}

function text(message: BaseMessage): string {
  return typeof message.content === 'string' ? message.content : message.text;
}

function parseJson(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    return undefined;
  }
}

/**
 * A chat model that plays a script of tool calls and answers. `bindTools` records the tool names
 * and returns the model itself, so the script's position is shared. `calls` counts the model
 * calls and `inputs` keeps what each call received.
 *
 * @example
 * ```ts
 * const model = new ScriptedChatModel({
 *   turns: [
 *     { toolCalls: [{ name: 'population_stats', args: { population: 'nyc', groupBy: ['ageBand'], measures: [{ attribute: 'income', stats: ['median'] }] } }] },
 *     { text: ({ lastToolResults }) => `Lowest: ${lastToolResults[0].json.ranking.lowest.group.ageBand}` },
 *   ],
 * });
 * const analyzer = createAnalyzer({ model, runtime, store });
 * ```
 */
export class ScriptedChatModel extends BaseChatModel {
  readonly turns: readonly ScriptTurn[];
  readonly whenDone: 'error' | 'repeat-last';
  /** Model calls so far. */
  calls = 0;
  /** The messages each call received. */
  readonly inputs: BaseMessage[][] = [];
  /** Names of the tools bound. */
  boundTools: string[] = [];

  constructor(options: ScriptedChatModelOptions) {
    super(options);
    if (!options || !Array.isArray(options.turns) || options.turns.length === 0) throw new TypeError('ScriptedChatModel: expected { turns: [...] } with at least one turn.');
    this.turns = options.turns;
    this.whenDone = options.whenDone ?? 'error';
  }

  override _llmType(): string {
    return 'populace-scripted';
  }

  override bindTools(tools: BindToolsInput[]): this {
    this.boundTools = tools.map((t) => String((t as { name?: unknown }).name ?? (t as { function?: { name?: unknown } }).function?.name ?? ''));
    return this;
  }

  /** The context a computed turn gets for `messages`. */
  scriptContext(messages: readonly BaseMessage[], turn: number): ScriptContext {
    const calls = new Map<string, { name: string; args: Record<string, unknown> }>();
    const toolResults: ScriptToolResult[] = [];
    let lastAi = -1;
    messages.forEach((m, i) => {
      if (m instanceof AIMessage || m.getType() === 'ai') {
        lastAi = i;
        for (const c of (m as AIMessage).tool_calls ?? []) if (c.id) calls.set(c.id, { name: c.name, args: c.args });
      }
    });
    const lastResults: ScriptToolResult[] = [];
    messages.forEach((m, i) => {
      if (!(m instanceof ToolMessage)) return;
      const call = calls.get(m.tool_call_id);
      const content = text(m);
      const r: ScriptToolResult = { name: m.name ?? call?.name ?? '', toolCallId: m.tool_call_id, args: call?.args ?? {}, ok: m.status !== 'error', content, json: parseJson(content) };
      toolResults.push(r);
      if (i > lastAi) lastResults.push(r);
    });
    const human = messages.find((m) => m.getType() === 'human');
    return { messages, question: human ? text(human) : '', toolResults, lastToolResults: lastResults, turn, boundTools: this.boundTools };
  }

  override async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const index = this.calls;
    this.calls += 1;
    this.inputs.push([...messages]);
    let turn = this.turns[index];
    if (!turn) {
      if (this.whenDone === 'repeat-last') turn = this.turns[this.turns.length - 1]!;
      else throw new Error(`ScriptedChatModel: the script has ${this.turns.length} turn(s) and this is call ${index + 1}. Add turns, or pass whenDone: 'repeat-last'.`);
    }
    const ctx = this.scriptContext(messages, index);
    let message: AIMessage;
    if ('toolCalls' in turn) {
      const calls = typeof turn.toolCalls === 'function' ? turn.toolCalls(ctx) : turn.toolCalls;
      message = new AIMessage({
        content: turn.text ?? '',
        tool_calls: calls.map((c, k) => ({ name: c.name, args: c.args, id: c.id ?? `call-${index + 1}-${k + 1}`, type: 'tool_call' as const })),
        ...(turn.usage ? { usage_metadata: turn.usage } : {}),
      });
    } else {
      const content = typeof turn.text === 'function' ? turn.text(ctx) : turn.text;
      message = new AIMessage({ content, ...(turn.usage ? { usage_metadata: turn.usage } : {}) });
    }
    return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] };
  }
}
