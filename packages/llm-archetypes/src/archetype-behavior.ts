/**
 * `ArchetypeBehavior`: an archetype made concrete for one simulation. It
 * groups the agents once, asks the chat model once per (group, sample) and
 * distinct context (never per agent), validates every answer, falls back to
 * the prior when an answer is invalid or the call fails, and broadcasts each
 * group's aggregated value to its agents as a float32 tensor.
 *
 * Not differentiable: the values enter the simulation as data.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { describeValue, PopulaceError, renderTemplate, tf, type Behavior, type BehaviorContext, type GroupLabels, type Simulation } from '@populace/core';
import { ArchetypeCache } from './archetype-cache.js';
import { ask, makeSender, supportsStructuredOutput, type AskCounters, type AskOutcome, type FallbackReason } from './ask-model.js';
import type { Archetype } from './define-archetype.js';
import { Limiter } from './limiter.js';
import { groupAgents, type AgentGroups } from './group-by.js';
import { answerValue, type OutputSchema } from './output-schema.js';
import { assertArgument } from './validate.js';

/** Options of `archetype.behavior(sim, options)`. */
export interface ArchetypeBehaviorOptions {
  /** The chat model (any LangChain.js BaseChatModel). Absent: the archetype's prior, offline. */
  readonly model?: BaseChatModel;
  /** Model calls in flight at once (default 4). */
  readonly maxConcurrency?: number;
  /** Re-asks after a failed, timed-out or invalid answer (default 2). */
  readonly retries?: number;
  /** Wait before re-ask r (1-based): backoffMs * 2^(r-1) ms (default 250). Deterministic. */
  readonly backoffMs?: number;
  /** Limit per model call in ms (default 30000), enforced with an AbortSignal and a race. */
  readonly timeoutMs?: number;
  /** Answer cache; share one between behaviours to share answers (default: a new one per behaviour). */
  readonly cache?: ArchetypeCache;
  /** Aborts pending questions; `sample` then rejects with PopulaceError('aborted'). */
  readonly signal?: AbortSignal;
  /** Use `withStructuredOutput` (default: when the model supports tool calling); false: `invoke` and parse JSON from the text. */
  readonly structuredOutput?: boolean;
}

/** What the behaviour has spent so far. */
export interface ArchetypeUsage {
  /** 'llm:<model type/name>' or 'prior (not an LLM)'. */
  readonly source: string;
  /** Requests sent to the model (retries included). */
  readonly calls: number;
  /** Samples answered from the cache (or by an identical request already in flight). */
  readonly cacheHits: number;
  /** Re-asks after a failed, timed-out or invalid answer (part of `calls`). */
  readonly retries: number;
  /** Requests that threw (not timeouts). */
  readonly failures: number;
  /** Requests with no answer within timeoutMs. */
  readonly timeouts: number;
  /** Answers that were malformed or did not match the schema. */
  readonly invalidAnswers: number;
  /** Samples that took the prior after every attempt failed. */
  readonly fallbacks: number;
  /** Tokens, from the provider's usage_metadata (0 when it gives none). */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
}

/** Where one sample's answer came from. */
export type SampleSource = 'llm' | 'cache' | 'prior';

export interface ArchetypeSample {
  readonly value: number;
  readonly source: SampleSource;
  readonly answer: Readonly<Record<string, unknown>>;
  /** Why the prior answered: no model, or the model's answer was invalid / failed / timed out. */
  readonly reason?: FallbackReason | 'no model';
}

/** One group's answers in the last `sample` call. */
export interface GroupAnswer {
  readonly group: GroupLabels;
  readonly agents: number;
  readonly samples: readonly ArchetypeSample[];
  /** The aggregated value every agent of the group got. */
  readonly value: number;
}

/** The source name of a chat model: `<_llmType()>/<model name>`. */
export function modelName(model: BaseChatModel): string {
  const m = model as unknown as { _llmType?: () => string; model?: unknown; modelName?: unknown };
  const type = typeof m._llmType === 'function' ? m._llmType() : model.constructor.name;
  const name = typeof m.model === 'string' ? m.model : typeof m.modelName === 'string' ? m.modelName : undefined;
  return name ? `${type}/${name}` : type;
}

/** The label of the offline prior in usage and ids. */
export const PRIOR_SOURCE = 'prior (not an LLM)';

const SEP = '\u241E';

/**
 * A core `Behavior` whose values come from an archetype (see `Archetype.behavior`). `differentiable`
 * is false: a simulation that uses it cannot be traced or calibrated through it (core reports that the
 * model acted asynchronously); score-function prompt optimisation is future work.
 */
export class ArchetypeBehavior<S extends OutputSchema = OutputSchema> implements Behavior {
  /** '<archetype id> via <source>'. */
  readonly id: string;
  readonly agentType: string;
  readonly differentiable = false as const;
  readonly archetype: Archetype<S>;
  readonly #sim: Pick<Simulation, 'agentTable' | 'population'>;
  readonly #model: BaseChatModel | undefined;
  readonly #send: ReturnType<typeof makeSender> | undefined;
  readonly #identity: string;
  readonly #source: string;
  readonly #settings: { retries: number; backoffMs: number; timeoutMs: number; signal?: AbortSignal };
  readonly #cache: ArchetypeCache;
  readonly #limiter: Limiter;
  readonly #inflight = new Map<string, Promise<AskOutcome>>();
  readonly #counters: AskCounters = { calls: 0, retries: 0, failures: 0, timeouts: 0, invalidAnswers: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  #cacheHits = 0;
  #fallbacks = 0;
  #groups: AgentGroups | undefined;
  #last: GroupAnswer[] = [];

  /** @internal use `archetype.behavior(sim, options)` */
  constructor(archetype: Archetype<S>, sim: Pick<Simulation, 'agentTable' | 'population'>, options: ArchetypeBehaviorOptions = {}) {
    const where = `${archetype.id}.behavior(sim, options)`;
    assertArgument(sim !== null && typeof sim === 'object' && typeof sim.agentTable === 'function', `${where}: sim`, 'a Simulation (runtime.createSimulation(...))', sim);
    const o = options ?? {};
    const model = o.model;
    assertArgument(model === undefined || (typeof model === 'object' && model !== null && typeof (model as { invoke?: unknown }).invoke === 'function'), `${where}: options.model`, 'a LangChain.js BaseChatModel (or undefined for the offline prior)', model, 'Use chatModelFromEnv() or chatModelFromConfig({ provider, ... }).');
    assertArgument(o.maxConcurrency === undefined || (Number.isInteger(o.maxConcurrency) && o.maxConcurrency > 0), `${where}: options.maxConcurrency`, 'a positive integer', o.maxConcurrency);
    assertArgument(o.retries === undefined || (Number.isInteger(o.retries) && o.retries >= 0), `${where}: options.retries`, 'a non-negative integer', o.retries);
    assertArgument(o.backoffMs === undefined || (Number.isFinite(o.backoffMs) && o.backoffMs >= 0), `${where}: options.backoffMs`, 'a non-negative number of ms', o.backoffMs);
    assertArgument(o.timeoutMs === undefined || (Number.isFinite(o.timeoutMs) && o.timeoutMs > 0), `${where}: options.timeoutMs`, 'a positive number of ms', o.timeoutMs);
    assertArgument(o.cache === undefined || o.cache instanceof ArchetypeCache, `${where}: options.cache`, 'an ArchetypeCache', o.cache);
    assertArgument(o.signal === undefined || o.signal instanceof AbortSignal, `${where}: options.signal`, 'an AbortSignal', o.signal);
    assertArgument(o.structuredOutput === undefined || typeof o.structuredOutput === 'boolean', `${where}: options.structuredOutput`, 'a boolean', o.structuredOutput);
    this.archetype = archetype;
    this.agentType = archetype.agentType;
    this.#sim = sim;
    this.#model = model;
    this.#source = model ? `llm:${modelName(model)}` : PRIOR_SOURCE;
    this.id = `${archetype.id} via ${this.#source}`;
    const params = model ? (model as unknown as { _identifyingParams?: () => unknown })._identifyingParams?.() : undefined;
    this.#identity = `${this.#source}${SEP}${JSON.stringify(params ?? {})}`;
    if (model && o.structuredOutput === true && !supportsStructuredOutput(model)) {
      throw new PopulaceError('invalid-argument', `${where}: options.structuredOutput is true, but model ${modelName(model)} has no tool calling (bindTools) for withStructuredOutput. Leave structuredOutput unset to parse JSON from its text.`);
    }
    this.#send = model ? makeSender(model, archetype.output, o.structuredOutput ?? supportsStructuredOutput(model)) : undefined;
    this.#settings = { retries: o.retries ?? 2, backoffMs: o.backoffMs ?? 250, timeoutMs: o.timeoutMs ?? 30_000, ...(o.signal ? { signal: o.signal } : {}) };
    this.#cache = o.cache ?? new ArchetypeCache();
    this.#limiter = new Limiter(o.maxConcurrency ?? 4);
  }

  /** Usage so far: calls, cache hits, retries, failures, timeouts, invalid answers, fallbacks, tokens. */
  usage(): ArchetypeUsage {
    return { source: this.#source, ...this.#counters, cacheHits: this.#cacheHits, fallbacks: this.#fallbacks };
  }

  /** Per group, the samples of the last `sample` call and the value its agents got. */
  lastAnswers(): readonly GroupAnswer[] {
    return this.#last;
  }

  /** The group index of every agent (after the first `sample`, or computed now; needs `await sim.ready()`). */
  groups(): AgentGroups {
    this.#groups ??= groupAgents(this.#sim.agentTable(this.agentType), this.archetype.groupBy, this.#sim.population ?? '(no population)', this.agentType);
    return this.#groups;
  }

  /** One value per agent: each group's aggregated answer, broadcast. Asks groups x nArch questions per new context. */
  async sample(context: BehaviorContext): Promise<tf.Tensor> {
    this.#checkContext(context);
    const { groupOf, groups } = this.groups();
    const a = this.archetype;
    const answers = await Promise.all(
      groups.map(async ({ labels, agents }) => {
        let prior: Readonly<Record<string, unknown>> | undefined;
        const priorAnswer = () => (prior ??= this.#prior(labels, context));
        const system = renderTemplate(a.system, labels, context);
        const human = renderTemplate(a.prompt, labels, context);
        const samples = await Promise.all(Array.from({ length: a.nArch }, (_, k) => this.#sampleOne(system, human, k, priorAnswer)));
        return { group: labels, agents, samples, value: aggregate(samples.map((s) => s.value), a.aggregate) };
      }),
    );
    this.#last = answers;
    const values = new Float32Array(groupOf.length);
    for (let i = 0; i < groupOf.length; i++) values[i] = answers[groupOf[i]!]!.value;
    return tf.tensor1d(values, 'float32');
  }

  async #sampleOne(system: string, human: string, k: number, priorAnswer: () => Readonly<Record<string, unknown>>): Promise<ArchetypeSample> {
    const field = this.archetype.value;
    const fromPrior = (reason: ArchetypeSample['reason']): ArchetypeSample => {
      const answer = priorAnswer();
      return { value: answerValue(answer, field)!, source: 'prior', answer, reason: reason! };
    };
    if (!this.#send) return fromPrior('no model');
    const key = `${this.#identity}${SEP}${system}${SEP}${human}${SEP}${k}`;
    const cached = this.#cache.get(key);
    if (cached) {
      this.#cacheHits++;
      return { value: answerValue(cached.answer, field)!, source: 'cache', answer: cached.answer };
    }
    const pending = this.#inflight.get(key);
    let outcome: AskOutcome;
    let source: SampleSource = 'llm';
    if (pending) {
      outcome = await pending;
      if (outcome.ok) {
        this.#cacheHits++;
        source = 'cache';
      }
    } else {
      const messages = [new SystemMessage(system), new HumanMessage(human)];
      const p = this.#limiter.run(() => ask(this.#send!, messages, this.archetype.output, this.#settings, this.#counters));
      this.#inflight.set(key, p);
      try {
        outcome = await p;
      } finally {
        this.#inflight.delete(key);
      }
      if (outcome.ok && answerValue(outcome.answer, field) === undefined) {
        this.#counters.invalidAnswers++;
        outcome = { ok: false, reason: 'invalid', message: `answer has no numeric '${field}'` };
      }
      if (outcome.ok) this.#cache.set(key, { answer: outcome.answer });
    }
    if (!outcome.ok) {
      this.#fallbacks++;
      return fromPrior(outcome.reason);
    }
    return { value: answerValue(outcome.answer, field)!, source, answer: outcome.answer };
  }

  /** The prior's answer for a group, checked against the output schema (a bad prior is a definition error). */
  #prior(labels: GroupLabels, context: BehaviorContext): Readonly<Record<string, unknown>> {
    const a = this.archetype;
    let raw: unknown;
    try {
      raw = a.prior(labels, context);
    } catch (cause) {
      throw new PopulaceError('invalid-definition', `archetype '${a.id}': its prior threw for group ${JSON.stringify(labels)}: ${(cause as Error)?.message ?? String(cause)}. Fix the prior; it must answer for every group.`, { cause });
    }
    const checked = a.output.safeParse(raw);
    const answer = checked.success ? (checked.data as Record<string, unknown>) : undefined;
    if (!answer || answerValue(answer, a.value) === undefined) {
      const why = checked.success ? `no numeric '${a.value}'` : checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new PopulaceError('invalid-definition', `archetype '${a.id}': its prior returned ${describeValue(raw)} for group ${JSON.stringify(labels)} and context ${JSON.stringify(context)}, which is not an answer of the output schema (${why}). Fix the prior.`);
    }
    return Object.freeze(answer);
  }

  #checkContext(context: unknown): asserts context is BehaviorContext {
    const declared = Object.keys(this.archetype.context);
    const where = `archetype '${this.archetype.id}' sample(context)`;
    if (context === null || typeof context !== 'object' || Array.isArray(context)) {
      throw new PopulaceError('invalid-argument', `${where}: expected an object with the keys [${declared.join(', ')}], received ${describeValue(context)}.`);
    }
    const keys = Object.keys(context);
    const unknown = keys.filter((k) => !declared.includes(k));
    const missing = declared.filter((k) => !keys.includes(k));
    if (unknown.length || missing.length) {
      throw new PopulaceError('invalid-argument', `${where}: expected the declared context keys [${declared.join(', ')}], received [${keys.join(', ')}]${unknown.length ? `; unknown: [${unknown.join(', ')}]` : ''}${missing.length ? `; missing: [${missing.join(', ')}]` : ''}. Declare the keys the caller passes in defineArchetype({ context }).`, { details: { unknown, missing } });
    }
    for (const [k, v] of Object.entries(context as Record<string, unknown>)) {
      if (!(typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) {
        throw new PopulaceError('invalid-argument', `${where}: context.${k} must be a finite number, a string or a boolean, received ${describeValue(v)}.`);
      }
    }
  }
}

/** Mean or median of the samples. */
export function aggregate(values: readonly number[], how: 'mean' | 'median'): number {
  if (how === 'mean') return values.reduce((s, v) => s + v, 0) / values.length;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
