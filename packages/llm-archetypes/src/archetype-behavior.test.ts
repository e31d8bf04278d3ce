/**
 * ArchetypeBehavior against scripted chat models on a real simulation's population: model calls are
 * groups x nArch (never agents), the cache, fallbacks to the prior, retries with backoff, timeouts,
 * the concurrency bound, the broadcast (against a direct per-agent computation) and token usage.
 */
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { createRuntime, isBehaviorSource, PopulaceError, type Simulation } from '@populace/core';
import epi from '@populace/models-epi';
import populations, { peopleAttributes, syntheticMarginals } from '@populace/populations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ArchetypeCache } from './archetype-cache.js';
import { byGroup, groupValue, HungChatModel, ScriptedChatModel, ScriptedToolChatModel, tinyPlugin } from './chat-models.fixture.js';
import type { ArchetypeInput } from '@populace/core';
import { defineArchetype } from './define-archetype.js';

const runtime = createRuntime({ plugins: [populations, epi, tinyPlugin], backend: 'cpu' });
const attributes = peopleAttributes(syntheticMarginals());
const PRIOR = 0.25;
const base: ArchetypeInput<z.ZodObject<{ willIsolate: z.ZodNumber }>> = {
  id: 'iso',
  attributes,
  groupBy: ['ageBand', 'employed'],
  context: { week: 'week', cases: 'cases last week', day: 'day' },
  prompt: 'You are aged {ageBand}, {employed}. Week {week}, {cases} cases. Will you isolate?',
  output: z.object({ willIsolate: z.number().min(0).max(1) }),
  nArch: 3,
  prior: () => ({ willIsolate: PRIOR }),
};
const archetype = defineArchetype(base);
const CTX = { week: 1, cases: 10, day: 0 };

let sim: Simulation;
let nGroups: number;
let ageBand: ArrayLike<number>;
let employed: ArrayLike<number>;
let labels: Readonly<Record<string, readonly string[]>>;

beforeAll(async () => {
  sim = runtime.createSimulation({ model: 'epi/sir', population: 'synthetic', agents: 2000, seed: 3 });
  await sim.ready();
  const table = sim.agentTable('people');
  ageBand = table.attributes!.ageBand!;
  employed = table.attributes!.employed!;
  labels = table.labels!;
  // groups counted directly from the table: distinct (ageBand, employed) pairs
  nGroups = new Set(Array.from({ length: table.count }, (_, i) => `${ageBand[i]}|${employed[i]}`)).size;
});
afterAll(() => sim.dispose());

async function values(b: { sample: (c: typeof CTX) => Promise<import('@populace/core').Tensor> }, ctx = CTX): Promise<Float32Array> {
  const t = await b.sample(ctx);
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

describe('archetype behaviour', () => {
  it('asks groups x nArch questions, not agents, and broadcasts each group value to its agents', async () => {
    expect(nGroups).toBeGreaterThan(10);
    const model = new ScriptedChatModel({ script: byGroup });
    const b = archetype.behavior(sim, { model });
    const v = await values(b);
    expect(model.prompts.length).toBe(nGroups * 3);
    expect(b.usage()).toMatchObject({ calls: nGroups * 3, cacheHits: 0, fallbacks: 0, invalidAnswers: 0, source: 'llm:scripted' });
    expect(v.length).toBe(2000);
    for (let i = 0; i < 2000; i++) {
      const expected = groupValue(labels.ageBand![ageBand[i]!]!, labels.employed![employed[i]!]!);
      expect(v[i]).toBeCloseTo(expected, 6);
    }
    const answers = b.lastAnswers();
    expect(answers.length).toBe(nGroups);
    expect(answers.reduce((s, g) => s + g.agents, 0)).toBe(2000);
    expect(answers.every((g) => g.samples.length === 3 && g.samples.every((s) => s.source === 'llm'))).toBe(true);
    expect(b.groups().groupOf).toBeInstanceOf(Int32Array);
  });

  it('caches by rendered prompt: the same context costs nothing, a new one asks again', async () => {
    const model = new ScriptedChatModel({ script: byGroup });
    const b = archetype.behavior(sim, { model });
    const first = await values(b);
    const again = await values(b, { ...CTX, day: 5 }); // day is not in the prompt: same questions
    expect(model.prompts.length).toBe(nGroups * 3);
    expect(b.usage().cacheHits).toBe(nGroups * 3);
    expect(b.lastAnswers().every((g) => g.samples.every((s) => s.source === 'cache'))).toBe(true);
    expect(again).toEqual(first);
    await values(b, { ...CTX, week: 2 });
    expect(model.prompts.length).toBe(nGroups * 6);
    expect(model.prompts.at(-1)!.human).toContain('Week 2');
    // a shared cache serves another behaviour of the same model
    const cache = new ArchetypeCache();
    const m2 = new ScriptedChatModel({ script: byGroup });
    await values(archetype.behavior(sim, { model: m2, cache }));
    const other = archetype.behavior(sim, { model: m2, cache });
    await values(other);
    expect(m2.prompts.length).toBe(nGroups * 3);
    expect(other.usage()).toMatchObject({ calls: 0, cacheHits: nGroups * 3 });
  });

  it('falls back to the prior for malformed and out-of-range answers, counted, and never throws', async () => {
    for (const bad of ['not json at all', '{"willIsolate": 1.7}', '{"willIsolate": "high"}', '{"other": 0.5}']) {
      const model = new ScriptedChatModel({ script: () => bad });
      const b = archetype.behavior(sim, { model, retries: 1, backoffMs: 0 });
      const v = await values(b);
      expect(v.every((x) => Math.abs(x - PRIOR) < 1e-7)).toBe(true);
      expect(b.usage()).toMatchObject({ calls: nGroups * 3 * 2, retries: nGroups * 3, invalidAnswers: nGroups * 3 * 2, fallbacks: nGroups * 3, failures: 0 });
      expect(b.lastAnswers()[0]!.samples[0]).toMatchObject({ source: 'prior', reason: 'invalid' });
    }
  });

  it('mixes valid answers and fallbacks within a group (mean of the nArch samples)', async () => {
    // every third call is out of range: sample k = 2 of each group falls back (calls are issued in order)
    const model = new ScriptedChatModel({ script: (p, call) => (call % 3 === 2 ? '{"willIsolate": -1}' : byGroup(p, call)) });
    const b = archetype.behavior(sim, { model, retries: 0, maxConcurrency: 1 });
    await values(b);
    for (const g of b.lastAnswers()) {
      const llm = groupValue(g.group.ageBand!, g.group.employed!);
      expect(g.samples.map((s) => s.source)).toEqual(['llm', 'llm', 'prior']);
      expect(g.value).toBeCloseTo((2 * llm + PRIOR) / 3, 6);
    }
    expect(b.usage().fallbacks).toBe(nGroups);
  });

  it('parses JSON out of prose and code fences when the model has no structured output', async () => {
    const replies = ['Sure! Here it is: {"willIsolate": 0.4} Hope that helps.', '```json\n{"willIsolate": 0.4}\n```', '  {"willIsolate": 0.4}\n'];
    const model = new ScriptedChatModel({ script: (_p, call) => replies[call % 3]! });
    const b = archetype.behavior(sim, { model });
    const v = await values(b);
    expect(b.usage().invalidAnswers).toBe(0);
    expect(v.every((x) => Math.abs(x - 0.4) < 1e-7)).toBe(true);
  });

  it('uses withStructuredOutput with includeRaw on tool-calling models, validates, and sums usage_metadata tokens', async () => {
    const usage = { input_tokens: 50, output_tokens: 7, total_tokens: 57 };
    const model = new ScriptedToolChatModel({ script: (p, call) => (call === 0 ? '{"willIsolate": 3}' : byGroup(p, call)), usage });
    const b = archetype.behavior(sim, { model, retries: 0 });
    await values(b);
    const u = b.usage();
    expect(u).toMatchObject({ source: 'llm:scripted-tools', calls: nGroups * 3, invalidAnswers: 1, fallbacks: 1 });
    expect(u).toMatchObject({ inputTokens: 50 * nGroups * 3, outputTokens: 7 * nGroups * 3, totalTokens: 57 * nGroups * 3 });
    // a tool-calling model that replies with a plain AIMessage (LangChain's parser then gives parsed: null): the tool call's arguments are read
    const plainMessage = new ScriptedToolChatModel({ script: byGroup, chunks: false });
    const viaArgs = archetype.behavior(sim, { model: plainMessage });
    const v = await values(viaArgs);
    expect(viaArgs.usage()).toMatchObject({ calls: nGroups * 3, invalidAnswers: 0 });
    expect(v[0]).toBeCloseTo(groupValue(labels.ageBand![ageBand[0]!]!, labels.employed![employed[0]!]!), 6);
    // the plain invoke path reads usage_metadata too
    const plain = archetype.behavior(sim, { model: new ScriptedChatModel({ script: byGroup, usage }) });
    await values(plain);
    expect(plain.usage().totalTokens).toBe(57 * nGroups * 3);
    // and a model that gives none reports 0
    const none = archetype.behavior(sim, { model: new ScriptedChatModel({ script: byGroup }) });
    await values(none);
    expect(none.usage()).toMatchObject({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });

  it("works with LangChain's FakeListChatModel (its answers are validated here: it does not)", async () => {
    const model = new FakeListChatModel({ responses: ['{"willIsolate": 0.6}', '{"willIsolate": 0.9}', '{"willIsolate": 5}'] });
    const b = archetype.behavior(sim, { model, retries: 0 });
    await values(b);
    expect(b.id).toBe('iso via llm:fake-list');
    expect(b.usage()).toMatchObject({ calls: nGroups * 3, invalidAnswers: nGroups, fallbacks: nGroups });
    for (const g of b.lastAnswers()) expect(g.samples.map((s) => s.value).sort()).toEqual([0.25, 0.6, 0.9]);
  });

  it('retries transient failures with exponential backoff and then succeeds', async () => {
    const one = defineArchetype({ ...base, id: 'one', groupBy: ['employed'], prompt: 'aged 30-39, {employed}. week {week} {cases}', nArch: 1 });
    const failuresPerPrompt = new Map<string, number>();
    const model = new ScriptedChatModel({
      script: (p) => {
        const n = failuresPerPrompt.get(p.human) ?? 0;
        failuresPerPrompt.set(p.human, n + 1);
        return n < 2 ? new Error('503 overloaded') : '{"willIsolate": 0.8}';
      },
    });
    const b = one.behavior(sim, { model, retries: 2, backoffMs: 40, maxConcurrency: 1 });
    const t0 = performance.now();
    const v = await values(b);
    const elapsed = performance.now() - t0;
    expect(v.every((x) => Math.abs(x - 0.8) < 1e-7)).toBe(true);
    expect(b.usage()).toMatchObject({ calls: 6, retries: 4, failures: 4, fallbacks: 0 });
    // two groups, one after the other, each waiting 40 + 80 ms
    expect(elapsed).toBeGreaterThanOrEqual(2 * 120 - 5);
    // with too few retries the failure falls back to the prior
    failuresPerPrompt.clear();
    const short = one.behavior(sim, { model, retries: 1, backoffMs: 0 });
    expect((await values(short)).every((x) => Math.abs(x - PRIOR) < 1e-7)).toBe(true);
    expect(short.usage()).toMatchObject({ failures: 4, fallbacks: 2 });
    expect(short.lastAnswers()[0]!.samples[0]!.reason).toBe('failed');
  });

  it('times out a hung model (which ignores its AbortSignal) and falls back', async () => {
    const model = new HungChatModel();
    const one = defineArchetype({ ...base, id: 'hung', groupBy: ['employed'], nArch: 2, prompt: '{employed} {week} {cases}' });
    const b = one.behavior(sim, { model, timeoutMs: 60, retries: 1, backoffMs: 10, maxConcurrency: 4 });
    const t0 = performance.now();
    const v = await values(b);
    const elapsed = performance.now() - t0;
    expect(v.every((x) => Math.abs(x - PRIOR) < 1e-7)).toBe(true);
    expect(b.usage()).toMatchObject({ calls: 8, timeouts: 8, fallbacks: 4, failures: 0 });
    expect(b.lastAnswers()[0]!.samples[0]!.reason).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(2 * 60 + 10 - 5);
    expect(elapsed).toBeLessThan(2000);
  });

  it('holds the concurrency bound', async () => {
    for (const max of [1, 3, 8]) {
      const model = new ScriptedChatModel({ script: byGroup, sleepMs: 4 });
      const b = archetype.behavior(sim, { model, maxConcurrency: max });
      await values(b);
      expect(model.maxInFlight).toBe(max);
    }
  });

  it('aggregates with the median when asked', async () => {
    const median = defineArchetype({ ...base, id: 'median', aggregate: 'median' });
    const replies = ['{"willIsolate": 0.1}', '{"willIsolate": 0.9}', '{"willIsolate": 0.2}'];
    const b = median.behavior(sim, { model: new ScriptedChatModel({ script: (_p, call) => replies[call % 3]! }), maxConcurrency: 1 });
    const v = await values(b);
    expect(v.every((x) => Math.abs(x - 0.2) < 1e-7)).toBe(true);
  });

  it('without a model gives the prior, says so, and asks nothing', async () => {
    const prior = defineArchetype({ ...base, id: 'prior', prior: (g, c) => ({ willIsolate: g.employed === 'employed' ? 0.3 : 0.6 + 0.01 * Number(c.week) }) });
    const b = prior.behavior(sim);
    const v = await values(b, { ...CTX, week: 4 });
    expect(b.id).toBe('prior via prior (not an LLM)');
    expect(b.usage()).toMatchObject({ source: 'prior (not an LLM)', calls: 0, cacheHits: 0, fallbacks: 0 });
    for (let i = 0; i < 2000; i++) expect(v[i]).toBeCloseTo(labels.employed![employed[i]!] === 'employed' ? 0.3 : 0.64, 6);
    expect(b.lastAnswers()[0]!.samples[0]).toMatchObject({ source: 'prior', reason: 'no model' });
    expect(b.differentiable).toBe(false);
    expect(isBehaviorSource(prior)).toBe(true);
  });

  it('rejects a bad context, a bad prior answer and bad options with clear errors', async () => {
    const b = archetype.behavior(sim);
    await expect(b.sample({ week: 1, cases: 2 })).rejects.toThrow(/missing: \[day\]/);
    await expect(b.sample({ ...CTX, weather: 'rain' })).rejects.toThrow(/unknown: \[weather\]/);
    await expect(b.sample({ ...CTX, week: Number.NaN })).rejects.toThrow(/context.week must be a finite number/);
    const badPrior = defineArchetype({ ...base, id: 'bad-prior', prior: () => ({ willIsolate: 2 }) });
    await expect(badPrior.behavior(sim).sample(CTX)).rejects.toMatchObject({ code: 'invalid-definition', message: expect.stringContaining('prior returned') });
    expect(() => archetype.behavior(sim, { maxConcurrency: 0 })).toThrow(/maxConcurrency: expected a positive integer/);
    expect(() => archetype.behavior(sim, { retries: -1 })).toThrow(/retries/);
    expect(() => archetype.behavior(sim, { timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => archetype.behavior(sim, { model: {} as never })).toThrow(/BaseChatModel/);
    expect(() => archetype.behavior(sim, { model: new ScriptedChatModel({ script: byGroup }), structuredOutput: true })).toThrow(/no tool calling/);
  });

  it('rejects with aborted when its signal aborts', async () => {
    const controller = new AbortController();
    const b = archetype.behavior(sim, { model: new HungChatModel(), signal: controller.signal, timeoutMs: 10_000 });
    const pending = b.sample(CTX);
    setTimeout(() => controller.abort(new Error('user stop')), 20);
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });

  it('says which population lacks a groupBy attribute, and bins numbers', async () => {
    const s = runtime.createSimulation({ model: 'epi/sir', population: 'test/tiny', agents: 400, seed: 1 });
    try {
      await s.ready();
      const e = await archetype.behavior(s).sample(CTX).catch((x: unknown) => x);
      expect(PopulaceError.isInstance(e) && e.code).toBe('invalid-argument');
      expect((e as Error).message).toMatch(/population test\/tiny has no 'people' attribute 'ageBand' \(it has \[age, employed\]\)/);
      const binned = defineArchetype({
        ...base,
        id: 'binned',
        attributes: { age: { description: 'age', kind: 'number' }, employed: { description: 'employed', kind: 'category' } },
        groupBy: [{ attribute: 'age', bins: [0, 25, 65, 100] }, 'employed'],
        prompt: 'You are aged {age}, {employed}. Week {week} {cases}',
      });
      const model = new ScriptedChatModel({ script: byGroup });
      const b = binned.behavior(s, { model });
      const v = await values(b);
      // tiny: employed only inside 25-64, so the groups are 0-24/not, 25-64/not, 25-64/employed, 65-99/not
      expect(b.lastAnswers().map((g) => `${g.group.age}|${g.group.employed}`)).toEqual(['0-24|not employed', '25-64|not employed', '25-64|employed', '65-99|not employed']);
      expect(model.prompts.length).toBe(4 * 3);
      for (let i = 0; i < 400; i++) {
        const age = i % 100;
        const band = age < 25 ? '0-24' : age < 65 ? '25-64' : '65-99';
        expect(v[i]).toBeCloseTo(groupValue(band, age >= 25 && age < 65 && i % 2 === 0 ? 'employed' : 'not employed'), 6);
      }
    } finally {
      s.dispose();
    }
  });
});
