/**
 * Asking a chat model one question: structured output where the model
 * supports it (else plain text with the JSON parsed out), every answer
 * validated against the zod schema, a per-call timeout enforced both with an
 * AbortSignal and a race (so a model that ignores the signal cannot block),
 * and retries with deterministic exponential backoff.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import { PopulaceError } from '@populace/core';
import { extractJson, type OutputSchema } from './output-schema.js';

/** Counters an asker adds to (the behaviour's usage). */
export interface AskCounters {
  calls: number;
  retries: number;
  failures: number;
  timeouts: number;
  invalidAnswers: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

/** Why a question ended with the prior. */
export type FallbackReason = 'invalid' | 'failed' | 'timeout';

export type AskOutcome =
  | { readonly ok: true; readonly answer: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly reason: FallbackReason; readonly message: string };

export interface AskSettings {
  readonly retries: number;
  readonly backoffMs: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** One raw reply: the parsed object (if the model gave one), the text, and the provider's token usage. */
interface Reply {
  readonly parsed: unknown;
  readonly text: string | undefined;
  readonly usage: { input_tokens?: number; output_tokens?: number; total_tokens?: number } | undefined;
}

type Send = (messages: BaseMessage[], signal: AbortSignal) => Promise<Reply>;

class Timeout extends Error {}

function messageText(message: unknown): string | undefined {
  const content = (message as { content?: unknown } | null)?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((b) => (typeof b === 'string' ? b : (b as { type?: string; text?: string }).type === 'text' ? ((b as { text?: string }).text ?? '') : '')).join('');
  return undefined;
}

const usageOf = (message: unknown): Reply['usage'] => (message as { usage_metadata?: Reply['usage'] } | null)?.usage_metadata;

/**
 * How to send a question to `model`: `withStructuredOutput(schema, { includeRaw: true })` when
 * `structured` (the model has tool calling), else `invoke` and parse the text.
 */
export function makeSender(model: BaseChatModel, schema: OutputSchema, structured: boolean): Send {
  if (structured) {
    const runnable = (model.withStructuredOutput as (s: unknown, c: unknown) => { invoke: (m: BaseMessage[], o: { signal: AbortSignal }) => Promise<unknown> })(schema, { includeRaw: true });
    return async (messages, signal) => {
      const out = await runnable.invoke(messages, { signal });
      const o = out as { raw?: unknown; parsed?: unknown } | null;
      // the documented { raw, parsed } form; some models (LangChain's fakes) return the parsed object alone
      if (o && typeof o === 'object' && 'raw' in o && 'parsed' in o && typeof o.raw === 'object') {
        // parsed is null when LangChain's parser could not read the reply: take the tool call's arguments, else the text
        const toolArgs = (o.raw as { tool_calls?: { args?: unknown }[] } | null)?.tool_calls?.[0]?.args;
        return { parsed: o.parsed ?? toolArgs ?? undefined, text: messageText(o.raw), usage: usageOf(o.raw) };
      }
      return { parsed: out, text: undefined, usage: undefined };
    };
  }
  return async (messages, signal) => {
    const message = await model.invoke(messages, { signal });
    return { parsed: undefined, text: messageText(message), usage: usageOf(message) };
  };
}

/** Whether a model can give structured output (LangChain's base implementation needs `bindTools`). */
export function supportsStructuredOutput(model: BaseChatModel): boolean {
  return typeof (model as { bindTools?: unknown }).bindTools === 'function' && typeof model.withStructuredOutput === 'function';
}

function abortError(signal: AbortSignal): PopulaceError {
  return new PopulaceError('aborted', `archetype: asking the model was aborted (${signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'abort')}).`, { cause: signal.reason });
}

/** Resolves after `ms`, or rejects with 'aborted' when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One attempt, bounded by `timeoutMs` (AbortSignal to the model AND a race), or the caller's abort. */
async function attempt(send: Send, messages: BaseMessage[], settings: AskSettings): Promise<Reply> {
  const controller = new AbortController();
  const outer = settings.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = new Timeout(`no answer within ${settings.timeoutMs} ms`);
      controller.abort(e);
      reject(e);
    }, settings.timeoutMs);
    if (outer) {
      onAbort = () => {
        controller.abort(outer.reason);
        reject(abortError(outer));
      };
      outer.addEventListener('abort', onAbort, { once: true });
    }
  });
  const call = send(messages, controller.signal);
  call.catch(() => undefined); // the race may have moved on; a late rejection is not unhandled
  try {
    return await Promise.race([call, stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) outer!.removeEventListener('abort', onAbort);
  }
}

/**
 * Asks once, retrying (after backoffMs * 2^(attempt-1)) on a failure, a timeout or an invalid answer.
 * Never throws for a model's misbehaviour: the outcome says why there is no answer. Throws
 * PopulaceError('aborted') when `settings.signal` aborts.
 */
export async function ask(send: Send, messages: BaseMessage[], schema: OutputSchema, settings: AskSettings, counters: AskCounters): Promise<AskOutcome> {
  let last: AskOutcome = { ok: false, reason: 'failed', message: 'not asked' };
  for (let k = 0; k <= settings.retries; k++) {
    if (settings.signal?.aborted) throw abortError(settings.signal);
    if (k > 0) {
      counters.retries++;
      await sleep(settings.backoffMs * 2 ** (k - 1), settings.signal);
    }
    counters.calls++;
    let reply: Reply;
    try {
      reply = await attempt(send, messages, settings);
    } catch (e) {
      if (PopulaceError.isInstance(e) && e.code === 'aborted') throw e;
      if (e instanceof Timeout) {
        counters.timeouts++;
        last = { ok: false, reason: 'timeout', message: e.message };
      } else if (e instanceof SyntaxError) {
        // a structured-output parser that could not read the reply: a malformed answer
        counters.invalidAnswers++;
        last = { ok: false, reason: 'invalid', message: `malformed answer: ${e.message}` };
      } else {
        counters.failures++;
        last = { ok: false, reason: 'failed', message: e instanceof Error ? e.message : String(e) };
      }
      continue;
    }
    const u = reply.usage;
    if (u) {
      const input = Number(u.input_tokens) || 0;
      const output = Number(u.output_tokens) || 0;
      counters.inputTokens += input;
      counters.outputTokens += output;
      counters.totalTokens += Number(u.total_tokens) || input + output;
    }
    const candidate = reply.parsed ?? (reply.text === undefined ? undefined : extractJson(reply.text));
    const checked = candidate === undefined ? undefined : schema.safeParse(candidate);
    if (checked?.success) return { ok: true, answer: Object.freeze(checked.data as Record<string, unknown>) };
    counters.invalidAnswers++;
    last = {
      ok: false,
      reason: 'invalid',
      message: checked ? `answer does not match the schema: ${checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` : `no JSON object in the answer ${JSON.stringify((reply.text ?? '').slice(0, 80))}`,
    };
  }
  return last;
}
