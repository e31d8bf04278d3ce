/**
 * Scripted chat models for the tests: real LangChain BaseChatModel subclasses
 * whose answers are a function of the prompt and the call number, with an
 * optional delay, provider-style usage_metadata, and in-flight tracking.
 */
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import { BaseChatModel, type BaseChatModelCallOptions } from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import { definePlugin, definePopulation } from '@populace/core';

/** What a scripted model replies: text, or an Error to throw. */
export type Script = (prompt: { system: string; human: string }, call: number) => string | Error;

export interface ScriptedOptions {
  readonly script: Script;
  /** Delay before answering, ms (default 0). */
  readonly sleepMs?: number;
  /** usage_metadata to attach to every answer. */
  readonly usage?: { input_tokens: number; output_tokens: number; total_tokens: number };
  /** Model name (reported as `scripted/<name>`). */
  readonly model?: string;
  /** ScriptedToolChatModel: reply with an AIMessageChunk (as LangChain 1.x providers do; default) or a plain AIMessage. */
  readonly chunks?: boolean;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A chat model without tool calling: answers go through `invoke` and JSON parsing. */
export class ScriptedChatModel extends BaseChatModel {
  readonly script: Script;
  readonly sleepMs: number;
  readonly usage: ScriptedOptions['usage'];
  readonly model: string | undefined;
  /** Every request, in order. */
  readonly prompts: { system: string; human: string }[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(options: ScriptedOptions) {
    super({});
    this.script = options.script;
    this.sleepMs = options.sleepMs ?? 0;
    this.usage = options.usage;
    this.model = options.model;
  }

  _llmType(): string {
    return 'scripted';
  }

  protected reply(messages: BaseMessage[]): { text: string; call: number } | Error {
    const text = (m: BaseMessage | undefined) => (typeof m?.content === 'string' ? m.content : '');
    const prompt = { system: text(messages.find((m) => m._getType() === 'system')), human: text(messages.find((m) => m._getType() === 'human')) };
    const call = this.prompts.length;
    this.prompts.push(prompt);
    const out = this.script(prompt, call);
    return out instanceof Error ? out : { text: out, call };
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const r = this.reply(messages);
      if (this.sleepMs > 0) await wait(this.sleepMs);
      if (r instanceof Error) throw r;
      const message = new AIMessage({ content: r.text, ...(this.usage ? { usage_metadata: this.usage } : {}) });
      return { generations: [{ text: r.text, message }] };
    } finally {
      this.inFlight--;
    }
  }
}

/**
 * A chat model with tool calling: `withStructuredOutput` (LangChain's base implementation) binds the
 * schema as a tool, and the scripted text is returned as that tool call's JSON arguments.
 */
export class ScriptedToolChatModel extends ScriptedChatModel {
  readonly chunks: boolean;

  constructor(options: ScriptedOptions) {
    super(options);
    this.chunks = options.chunks ?? true;
  }

  override _llmType(): string {
    return 'scripted-tools';
  }

  override bindTools(): Runnable<BaseLanguageModelInput, AIMessageChunk, BaseChatModelCallOptions> {
    return this as unknown as Runnable<BaseLanguageModelInput, AIMessageChunk, BaseChatModelCallOptions>;
  }

  override async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const r = this.reply(messages);
    if (r instanceof Error) throw r;
    let args: Record<string, unknown>;
    try {
      args = JSON.parse(r.text) as Record<string, unknown>;
    } catch {
      // not JSON: the model answered in prose instead of calling the tool
      const message = new AIMessage({ content: r.text, ...(this.usage ? { usage_metadata: this.usage } : {}) });
      return { generations: [{ text: r.text, message }] };
    }
    const fields = { content: '', tool_calls: [{ name: 'extract', args, id: `call-${r.call}`, type: 'tool_call' as const }], ...(this.usage ? { usage_metadata: this.usage } : {}) };
    const message = this.chunks ? new AIMessageChunk(fields) : new AIMessage(fields);
    return { generations: [{ text: '', message }] };
  }
}

/** A model that never answers and ignores its AbortSignal (only the race can end the wait). */
export class HungChatModel extends BaseChatModel {
  calls = 0;

  constructor() {
    super({});
  }

  _llmType(): string {
    return 'hung';
  }

  _generate(): Promise<ChatResult> {
    this.calls++;
    return new Promise<ChatResult>(() => undefined);
  }
}

/** The value a scripted model answers for a group: a function of its labels, easy to recompute per agent. */
export function groupValue(ageBand: string, employed: string): number {
  const lower = Number(/^(\d+)/.exec(ageBand)?.[1] ?? 0);
  return Math.round((lower / 100 + (employed === 'employed' ? 0.05 : 0)) * 1000) / 1000;
}

/** A script that reads the group from prompts like 'aged {ageBand}, {employed}.' and answers groupValue. */
export const byGroup: Script = ({ human }) => {
  const m = /aged (\S+), ([a-z ]+)\./.exec(human);
  return m ? JSON.stringify({ willIsolate: groupValue(m[1]!, m[2]!) }) : 'no group in prompt';
};

/**
 * A tiny population with fixed attributes: `age` (a number, 0..99 by agent index), `employed`
 * (category, employed when 25 <= age < 65 and the index is even). No other attributes.
 */
export const tinyPopulation = definePopulation({
  id: 'tiny',
  description: 'n agents with age and employed only',
  defaultAgents: 400,
  attributes: {
    people: {
      age: { description: 'age in years', kind: 'number', unit: 'years' },
      employed: { description: 'employed', kind: 'category', labels: ['not employed', 'employed'] },
    },
  },
  build: ({ agents }) => {
    const n = agents ?? 400;
    const age = Float32Array.from({ length: n }, (_, i) => i % 100);
    const employed = Uint8Array.from({ length: n }, (_, i) => (i % 100 >= 25 && i % 100 < 65 && i % 2 === 0 ? 1 : 0));
    return { agents: { people: { count: n, attributes: { age, employed }, labels: { employed: ['not employed', 'employed'] } } } };
  },
});

/** A plugin with the tiny population (run it with epi/sir, which is well-mixed without contact layers). */
export const tinyPlugin = definePlugin({ name: 'test', version: '0.0.0', populations: [tinyPopulation] });
