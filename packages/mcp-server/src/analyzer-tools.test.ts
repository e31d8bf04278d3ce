/**
 * The tools from @populace/analyzer (describe_population, population_stats,
 * search_documents, counterfactual) and ask, through an in-memory MCP client
 * on a kit with the populations and epidemic plugins. Each result must equal
 * the analyzer function called directly on the same kit (same numbers); bad
 * input must come back as tool errors that say what to fix.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ANALYSIS_TOOL_SPECS, counterfactual, populationStats, searchDocuments, type CounterfactualResult, type PopulationStatsResult, type SearchDocumentsResult } from '@populace/analyzer';
import { ScriptedChatModel } from '@populace/analyzer/testing';
import { summarizeSeries, type ServerKit } from '@populace/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { analysisKit, call, callError, connect, removeTempDirs } from './mcp.fixture.js';
import { TOOL_NAMES } from './server.js';

const MAX_AGENTS = 20_000;
let kit: ServerKit;
let client: Client;
let closeClient: () => Promise<void>;
let logged: string[];

beforeAll(async () => {
  kit = analysisKit({ maxAgents: MAX_AGENTS });
  ({ client, logged, close: closeClient } = await connect(kit));
});
afterAll(async () => {
  await closeClient();
  await kit.close();
  removeTempDirs();
});

/** Who has the lowest median household income, by age band (the exploratory question). */
const INCOME_BY_AGE = { population: 'nyc', agents: 3000, seed: 1, groupBy: ['ageBand'], measures: [{ attribute: 'income', stats: ['median'] }] };
/** A small SIR counterfactual: beta 0.2 -> 0.5 on two paired seeds. */
const SIR_CF = { model: 'epi/sir', population: 'well-mixed', agents: 2000, steps: 20, baseline: { beta: 0.2 }, changes: { beta: 0.5 }, seeds: [1, 2], metrics: ['newInfections', 'I'], summaries: ['total', 'peak'] };

describe('analyzer tools: one source of truth', () => {
  it('are listed with the analyzer spec’s description and input schema, and an output schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([...TOOL_NAMES]);
    for (const name of ['describe_population', 'population_stats', 'search_documents', 'counterfactual']) {
      const spec = ANALYSIS_TOOL_SPECS.find((s) => s.name === name)!;
      const tool = tools.find((t) => t.name === name)!;
      expect(tool.description).toBe(spec.description);
      const expected = z.toJSONSchema(spec.schema, { io: 'input' }) as { properties: Record<string, unknown>; required?: string[] };
      expect(Object.keys(tool.inputSchema.properties ?? {})).toEqual(Object.keys(expected.properties));
      expect(tool.inputSchema.required ?? []).toEqual(expected.required ?? []);
      expect(tool.outputSchema?.type).toBe('object');
    }
    // tools the server already has are not offered twice under the analyzer's names
    for (const name of ['run_scenario', 'sensitivity_analysis']) expect(tools.map((t) => t.name)).not.toContain(name);
  });
});

describe('describe_population', () => {
  it('gives the population’s description with its attributes', async () => {
    const { data, text } = await call(client, 'describe_population', { population: 'nyc' });
    expect(data).toEqual(JSON.parse(JSON.stringify(kit.runtime.describePopulation('nyc'))));
    expect(text).toContain('income (ordered category: <10k, 10-15k');
    expect(text).toContain('age (number, years)');
    expect(await callError(client, 'describe_population', { population: 'nyk' })).toMatch(/unknown-id.*'nyk'.*populations\/nyc/s);
    expect(await callError(client, 'describe_population', {})).toMatch(/Input validation error.*population/s);
  });
});

describe('population_stats', () => {
  it('answers "which age group has the lowest median income?" with the numbers of populationStats', async () => {
    const { data, text } = await call<PopulationStatsResult>(client, 'population_stats', INCOME_BY_AGE);
    const direct = await populationStats(kit, INCOME_BY_AGE as never);
    expect(data).toEqual(direct);
    expect(data.rows.reduce((a, r) => a + r.count, 0)).toBe(data.total);
    const lowest = data.ranking!.lowest;
    expect(text).toContain(`Lowest: ageBand=${lowest.group.ageBand} (${Number(lowest.value.toPrecision(4))}, ${lowest.label})`);
    expect(text).toMatch(/ageBand=0-4: \d+ agents \([\d.]+%\); income: median [^ ]+ \(position [\d.]+\)/);
  });

  it('filters and shares by category, as populationStats does', async () => {
    const input = { population: 'nyc', agents: 3000, seed: 2, groupBy: ['area'], measures: [{ attribute: 'employed', stats: ['share'] }], where: { age: { min: 18, max: 64 } } };
    const { data } = await call<PopulationStatsResult>(client, 'population_stats', input);
    expect(data).toEqual(await populationStats(kit, input as never));
    expect(data.where).toEqual({ age: { min: 18, max: 64 } });
  });

  it('refuses an unknown population or attribute, invalid stats and too many agents, saying what to fix', async () => {
    expect(await callError(client, 'population_stats', { ...INCOME_BY_AGE, population: 'nyk' })).toMatch(/population_stats failed \(unknown-id\).*'nyk'.*Did you mean 'populations\/nyc'/s);
    const attribute = await callError(client, 'population_stats', { ...INCOME_BY_AGE, measures: [{ attribute: 'incme', stats: ['median'] }] });
    expect(attribute).toContain("measures[0].attribute names attribute 'incme'");
    expect(attribute).toContain("Did you mean 'income'?");
    expect(await callError(client, 'population_stats', { ...INCOME_BY_AGE, measures: [{ attribute: 'income', stats: ['average'] }] })).toMatch(/Input validation error.*stats/s);
    expect(await callError(client, 'population_stats', { ...INCOME_BY_AGE, measures: [{ attribute: 'sex', stats: ['median'] }] })).toContain("'sex' is an unordered category, so median is not defined");
    expect(await callError(client, 'population_stats', { ...INCOME_BY_AGE, extra: 1 })).toMatch(/Input validation error.*extra/s);
    expect(await callError(client, 'population_stats', { ...INCOME_BY_AGE, agents: 50_000 })).toContain(`limit-exceeded): agents is 50,000, over this server's limit of 20,000 (maxAgents)`);
  });
});

describe('search_documents', () => {
  it('finds the model cards searchDocuments finds, with the same scores', async () => {
    const input = { query: 'covid hospital deaths vaccination testing isolation', k: 3 };
    const { data, text } = await call<SearchDocumentsResult>(client, 'search_documents', input);
    const direct = await searchDocuments(kit, input);
    expect(data).toEqual(direct);
    expect(data.results).toHaveLength(3);
    expect(data.results[0]!.id).toBe('model:epi/covid');
    expect(text).toMatch(/^3 documents for "covid hospital[^"]*", closest first:\n\n1\. model:epi\/covid \(model, score 0\.\d+\)/);
    const populationsOnly = await call<SearchDocumentsResult>(client, 'search_documents', { query: 'household income of New York', kinds: ['population'] });
    expect(populationsOnly.data.results.every((r) => r.kind === 'population')).toBe(true);
  });

  it('refuses an empty query, a bad k and an unknown kind', async () => {
    expect(await callError(client, 'search_documents', { query: '' })).toMatch(/Input validation error.*query/s);
    expect(await callError(client, 'search_documents', { query: 'sir', k: 0 })).toMatch(/Input validation error.*k/s);
    expect(await callError(client, 'search_documents', { query: 'sir', kinds: ['paper'] })).toMatch(/Input validation error.*kinds/s);
  });
});

describe('counterfactual', () => {
  it('gives counterfactual()’s paired differences and records the runs', async () => {
    const { data, text } = await call<CounterfactualResult>(client, 'counterfactual', SIR_CF);
    const direct = await counterfactual(kit, SIR_CF as never);
    // the same seeds give the same numbers (only the ids of the recorded runs differ)
    expect(data.rows).toEqual(direct.rows);
    expect(data).toMatchObject({ model: 'epi/sir', population: 'populations/well-mixed', agents: 2000, steps: 20, seeds: [1, 2], changed: { beta: { baseline: 0.2, counterfactual: 0.5 } } });
    const total = data.rows.find((r) => r.metric === 'newInfections' && r.summary === 'total')!;
    expect(total.counterfactualValues).toEqual(data.counterfactualRunIds.map((id) => summarizeSeries(kit.store.series(id).series.newInfections!).total));
    expect(total.baselineValues).toEqual(data.baselineRunIds.map((id) => summarizeSeries(kit.store.series(id).series.newInfections!).total));
    expect(total.differenceMean).toBeGreaterThan(0);
    expect(kit.store.require(data.sweepId)).toMatchObject({ kind: 'scenarios', status: 'done' });
    expect(text).toContain('Changed: beta 0.2 -> 0.5.');
    expect(text).toMatch(/newInfections total: [\d.]+ -> [\d.]+, difference \+[\d.]+ \[[-\d.]+, [\d.]+\], \+[\d.]+% \(n = 2\)/);
    expect(text).toContain(`baseline ${data.baselineRunIds.join(', ')}`);
  });

  it('refuses empty seeds, an unknown model or parameter, no change and too many agents', async () => {
    expect(await callError(client, 'counterfactual', { ...SIR_CF, seeds: [] })).toMatch(/Input validation error.*seeds/s);
    expect(await callError(client, 'counterfactual', { ...SIR_CF, model: 'epi/sri' })).toMatch(/unknown-id.*Did you mean 'epi\/sir'/s);
    expect(await callError(client, 'counterfactual', { ...SIR_CF, changes: { bta: 0.5 } })).toMatch(/unknown-param.*Did you mean 'beta'/s);
    expect(await callError(client, 'counterfactual', { ...SIR_CF, changes: {} })).toContain('changes is empty');
    expect(await callError(client, 'counterfactual', { ...SIR_CF, changes: { beta: 99 } })).toContain('param-out-of-bounds');
    expect(await callError(client, 'counterfactual', { ...SIR_CF, agents: 50_000 })).toContain("agents is 50,000, over this server's limit of 20,000 (maxAgents)");
    expect(logged).toEqual([]);
  });
});

describe('ask', () => {
  it('without a chat model is a tool error naming the configuration and the plain tools', async () => {
    const text = await callError(client, 'ask', { question: 'Which age group has the lowest median income?' });
    expect(text).toMatch(/^ask failed \(missing-requirement\): ask needs a chat model/);
    expect(text).toContain('POPULACE_LLM_PROVIDER');
    for (const tool of ['population_stats', 'counterfactual', 'run_simulation']) expect(text).toContain(tool);
    expect(await callError(client, 'ask', { question: '  ' })).toMatch(/Input validation error.*question/s);
  });

  it('with a chat model, runs the analyzer: the model’s tool calls, their results and an answer quoting them', async () => {
    const model = new ScriptedChatModel({
      turns: [
        // a misspelled attribute first: the error goes back to the model, which corrects its call
        { toolCalls: [{ name: 'population_stats', args: { ...INCOME_BY_AGE, measures: [{ attribute: 'incme', stats: ['median'] }] } }] },
        { toolCalls: [{ name: 'population_stats', args: INCOME_BY_AGE }] },
        {
          text: ({ lastToolResults }) => {
            const lowest = (lastToolResults[0]!.json as PopulationStatsResult).ranking!.lowest;
            return `The ${lowest.group.ageBand} age band has the lowest median income (${lowest.label}, position ${lowest.value}).`;
          },
        },
      ],
    });
    const session = await connect(kit, { chatModel: model });
    try {
      const { data, text } = await call<{ answer: string; stopReason: string; iterations: number; usage: { llmCalls: number }; evidence: { tool: string; ok: boolean; result?: PopulationStatsResult; error?: { code: string; message: string } }[] }>(session.client, 'ask', {
        question: 'Which age group has the lowest median household income in New York?',
      });
      const direct = await populationStats(kit, INCOME_BY_AGE as never);
      const lowest = direct.ranking!.lowest;
      expect(data.answer).toBe(`The ${lowest.group.ageBand} age band has the lowest median income (${lowest.label}, position ${lowest.value}).`);
      expect(data).toMatchObject({ stopReason: 'answer', iterations: 3, usage: { llmCalls: 3 } });
      expect(data.evidence.map((e) => [e.tool, e.ok])).toEqual([
        ['population_stats', false],
        ['population_stats', true],
      ]);
      expect(data.evidence[0]!.error).toMatchObject({ code: 'invalid-argument' });
      expect(data.evidence[0]!.error!.message).toContain("Did you mean 'income'?");
      expect(data.evidence[1]!.result).toEqual(direct);
      expect(model.calls).toBe(3);
      expect(model.boundTools).toEqual(expect.arrayContaining(['population_stats', 'counterfactual']));
      expect(text).toContain(data.answer);
      expect(text).toMatch(/Evidence: 2 tool calls over 3 model calls:\n {2}1\. population_stats .* -> error \(invalid-argument\)/);
      expect(session.logged).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('reuses one analyzer per server; a chat model that fails is an llm-failed tool error', async () => {
    // a one-turn script: the first question is answered, the second finds the script at its end (the model throws)
    const session = await connect(kit, { chatModel: new ScriptedChatModel({ turns: [{ text: 'No tools needed.' }] }) });
    try {
      expect((await call<{ answer: string; evidence: unknown[] }>(session.client, 'ask', { question: 'Anything?' })).data).toMatchObject({ answer: 'No tools needed.', evidence: [] });
      expect(await callError(session.client, 'ask', { question: 'Anything else?' })).toMatch(/ask failed \(llm-failed\): analyzer: the chat model failed on call 1: ScriptedChatModel: the script has 1 turn\(s\)/);
    } finally {
      await session.close();
    }
  });
});
