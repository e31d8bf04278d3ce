import { ToolMessage } from '@langchain/core/messages';
import { FakeChatModel } from '@langchain/core/utils/testing';
import type { ServerKit } from '@populace/server-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANALYSIS_TOOL_SPECS } from './analysis-tools.js';
import { createAnalyzer } from './analyzer.js';
import { useTestKit } from './analyzer.fixture.js';
import { counterfactualInput, type CounterfactualResult } from './counterfactual.js';
import { populationStats, populationStatsInput, type PopulationStatsResult } from './population-stats.js';
import { ScriptedChatModel } from './testing/scripted-chat-model.js';

const testKitOf = useTestKit();
let kit: ServerKit;
beforeAll(() => {
  kit = testKitOf();
});

const analyzerWith = (model: ScriptedChatModel, extra: { maxIterations?: number } = {}) => createAnalyzer({ model, runtime: kit.runtime, store: kit.store, executor: kit.executor, ...extra });

describe('createAnalyzer with a scripted tool-calling model', () => {
  it('answers an exploratory question from population_stats and quotes its numbers', async () => {
    const model = new ScriptedChatModel({
      turns: [
        { toolCalls: [{ name: 'describe_population', args: { population: 'nyc' } }] },
        {
          toolCalls: ({ lastToolResults }) => {
            // the script reads the previous result: income is an ordered band category
            expect(lastToolResults[0]!.json.attributes.people.income.kind).toBe('category');
            return [{ name: 'population_stats', args: { population: 'nyc', agents: 5000, seed: 1, groupBy: ['ageBand'], measures: [{ attribute: 'income', stats: ['median'] }] } }];
          },
        },
        {
          text: ({ lastToolResults }) => {
            const r = (lastToolResults[0]!.json as PopulationStatsResult).ranking!;
            return `The ${r.lowest.group.ageBand} age group has the lowest median household income: band ${r.lowest.label}, median position ${r.lowest.value} (${r.lowest.count} people); the highest is ${r.highest.group.ageBand} at ${r.highest.value}.`;
          },
        },
      ],
    });
    const analyzer = analyzerWith(model);
    const out = await analyzer.query('Which age group has the lowest median income?');
    expect(out.stopReason).toBe('answer');
    expect(out.iterations).toBe(3);
    expect(out.evidence.map((e) => [e.tool, e.ok])).toEqual([
      ['describe_population', true],
      ['population_stats', true],
    ]);
    const call = out.evidence[1]!;
    expect(populationStatsInput.safeParse(call.args).success).toBe(true);
    const result = call.result as PopulationStatsResult;
    // the tool's result is the function's, and the answer quotes it
    expect(result).toEqual(await populationStats(kit, call.args as never));
    const { lowest, highest } = result.ranking!;
    for (const quoted of [lowest.group.ageBand!, lowest.label!, String(lowest.value), String(lowest.count), highest.group.ageBand!, String(highest.value)]) expect(out.answer).toContain(quoted);
    expect(model.boundTools).toEqual(ANALYSIS_TOOL_SPECS.map((s) => s.name));
    expect(out.messages[0]!.getType()).toBe('system');
    expect(out.messages.filter((m) => m instanceof ToolMessage)).toHaveLength(2);
  });

  it('answers a counterfactual question ("if R0 had been 4.5") on paired seeds', async () => {
    const model = new ScriptedChatModel({
      turns: [
        { toolCalls: [{ name: 'describe_model', args: { model: 'epi/covid' } }] },
        {
          toolCalls: ({ lastToolResults }) => {
            const weeks = (lastToolResults[0]!.json.parameters.R.default as number[]).length;
            return [{ name: 'counterfactual', args: { model: 'epi/covid', population: 'nyc', agents: 3000, steps: 40, changes: { R: Array(weeks).fill(4.5) }, metrics: ['deaths', 'newInfections'], summaries: ['total'] } }];
          },
        },
        {
          text: ({ lastToolResults }) => {
            const cf = lastToolResults[0]!.json as CounterfactualResult;
            const d = cf.rows.find((r) => r.metric === 'deaths')!;
            return `Deaths over ${cf.steps} days: ${d.baselineMean} at the default R, ${d.counterfactualMean} with R0 = 4.5; difference ${d.differenceMean} (95% interval ${d.differenceLow} to ${d.differenceHigh}, n = ${d.n} seeds).`;
          },
        },
      ],
    });
    const out = await analyzerWith(model).query('How would deaths change if R0 had been 4.5?');
    expect(out.evidence.map((e) => e.tool)).toEqual(['describe_model', 'counterfactual']);
    const call = out.evidence[1]!;
    expect(call.ok).toBe(true);
    expect(counterfactualInput.safeParse(call.args).success).toBe(true);
    const cf = call.result as CounterfactualResult;
    expect(cf.seeds).toHaveLength(3); // the analyzer's default seeds
    expect(cf.changed.R!.counterfactual).toEqual(Array(9).fill(4.5));
    const deaths = cf.rows.find((r) => r.metric === 'deaths')!;
    for (const v of [deaths.baselineMean, deaths.counterfactualMean, deaths.differenceMean, deaths.differenceLow, deaths.differenceHigh]) expect(out.answer).toContain(String(v));
    expect(out.answer).toContain('n = 3 seeds');
    expect(cf.rows.find((r) => r.metric === 'newInfections')!.differenceMean!).toBeGreaterThan(0);
    for (const id of [...cf.baselineRunIds, ...cf.counterfactualRunIds]) expect(kit.store.require(id).status).toBe('done');
  });

  it('answers a prospective question (longer isolation, more transmissible) with both changes at once', async () => {
    const model = new ScriptedChatModel({
      turns: [
        {
          toolCalls: [
            {
              name: 'counterfactual',
              args: { model: 'covid', population: 'nyc', agents: 3000, steps: 40, seedCount: 2, baseline: { testsPerDay: 150 }, changes: { isolationDays: 21, R: 3.25 }, metrics: ['deaths', 'newInfections'], summaries: ['total'] },
            },
          ],
        },
        {
          text: ({ toolResults }) => {
            const cf = toolResults[0]!.json as CounterfactualResult;
            return cf.rows.map((r) => `${r.metric}: ${r.baselineMean} -> ${r.counterfactualMean} (difference ${r.differenceMean}, 95% interval ${r.differenceLow} to ${r.differenceHigh}, n = ${r.n})`).join('; ');
          },
        },
      ],
    });
    const out = await analyzerWith(model).query('What if isolation time is increased and the virus becomes more transmissible?');
    expect(out.evidence).toHaveLength(1);
    const call = out.evidence[0]!;
    expect(call.tool).toBe('counterfactual');
    expect(Object.keys((call.args as { changes: object }).changes).sort()).toEqual(['R', 'isolationDays']);
    const cf = call.result as CounterfactualResult;
    expect(cf.changed).toEqual({ isolationDays: { baseline: 14, counterfactual: 21 }, R: { baseline: Array(9).fill(2.5), counterfactual: Array(9).fill(3.25) } });
    expect(cf.baselineParams).toEqual({ testsPerDay: 150 });
    for (const r of cf.rows) for (const v of [r.baselineMean, r.counterfactualMean, r.differenceMean, r.differenceLow, r.differenceHigh]) expect(out.answer).toContain(String(v));
  });

  it('sends bad arguments and tool errors back to the model, which recovers', async () => {
    const model = new ScriptedChatModel({
      turns: [
        {
          toolCalls: [
            { name: 'population_stats', args: { population: 'nyc', agents: 2000, groupBy: ['age'] } },
            { name: 'make_coffee', args: {} },
            { name: 'population_stats', args: { population: 'nyc', agents: 2000, measures: [{ attribute: 'income', stats: ['average'] }] } },
          ],
        },
        {
          toolCalls: ({ lastToolResults }) => {
            expect(lastToolResults.map((r) => r.ok)).toEqual([false, false, false]);
            expect(lastToolResults[0]!.content).toContain('bins: { age:');
            return [{ name: 'population_stats', args: { population: 'nyc', agents: 2000, groupBy: ['age'], bins: { age: [0, 18, 65, 101] } } }];
          },
        },
        { text: ({ lastToolResults }) => `Adults 18-64: ${(lastToolResults[0]!.json as PopulationStatsResult).rows[1]!.count}.` },
      ],
    });
    const out = await analyzerWith(model).query('How many adults?');
    expect(out.evidence.map((e) => [e.tool, e.ok, e.error?.code])).toEqual([
      ['population_stats', false, 'invalid-argument'],
      ['make_coffee', false, 'unknown-id'],
      ['population_stats', false, 'invalid-argument'],
      ['population_stats', true, undefined],
    ]);
    expect(out.evidence[1]!.error!.message).toContain('population_stats');
    expect(out.evidence[2]!.error!.message).toContain('"average"');
    const errors = model.inputs[1]!.filter((m): m is ToolMessage => m instanceof ToolMessage);
    expect(errors.map((m) => m.status)).toEqual(['error', 'error', 'error']);
    expect(out.answer).toBe(`Adults 18-64: ${(out.evidence[3]!.result as PopulationStatsResult).rows[1]!.count}.`);
  });

  it('stops at maxIterations, sums usage, and runs with its own executor', async () => {
    const usage = { input_tokens: 100, output_tokens: 10, total_tokens: 110 };
    const model = new ScriptedChatModel({ turns: [{ toolCalls: [{ name: 'list_models', args: {} }], usage }], whenDone: 'repeat-last' });
    const analyzer = createAnalyzer({ model, runtime: kit.runtime, store: kit.store, maxIterations: 3 });
    const out = await analyzer.query('Loop forever');
    expect(out.stopReason).toBe('max-iterations');
    expect(out.iterations).toBe(3);
    expect(model.calls).toBe(3);
    expect(out.evidence).toHaveLength(2); // the third call's tools were not run
    expect(out.answer).toContain('maxIterations = 3');
    expect(out.usage).toEqual({ llmCalls: 3, inputTokens: 300, outputTokens: 30, totalTokens: 330 });
    // the LangChain tools work on their own too
    const describe = analyzer.tools.find((t) => t.name === 'describe_model')!;
    expect(JSON.parse((await describe.invoke({ model: 'sir' })) as string).id).toBe('epi/sir');
    // close() closes the executor the analyzer made, not the store
    expect(analyzer.context.executor).not.toBe(kit.executor);
    await analyzer.close();
    expect(() => analyzer.context.executor.submit({ kind: 'run', model: 'epi/sir', agents: 100 })).toThrow(expect.objectContaining({ code: 'disposed' }));
    expect(kit.store.open).toBe(true);
  });

  it('rejects a model without tool calling, bad options and model failures clearly', async () => {
    expect(() => createAnalyzer({ model: new FakeChatModel({}), runtime: kit.runtime, store: kit.store })).toThrow(expect.objectContaining({ code: 'invalid-argument', message: expect.stringContaining('bindTools') }));
    expect(() => createAnalyzer({ model: {} as never, runtime: kit.runtime, store: kit.store })).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    const model = new ScriptedChatModel({ turns: [{ text: 'x' }] });
    expect(() => createAnalyzer({ model, runtime: kit.runtime, store: kit.store, maxIterations: 0 })).toThrow(expect.objectContaining({ message: expect.stringContaining('maxIterations') }));
    await expect(analyzerWith(model).query('  ')).rejects.toMatchObject({ code: 'invalid-argument' });
    const failing = new ScriptedChatModel({
      turns: [
        {
          text: () => {
            throw new Error('429 rate limited');
          },
        },
      ],
    });
    await expect(analyzerWith(failing).query('anything')).rejects.toMatchObject({ code: 'llm-failed', message: expect.stringContaining('429 rate limited') });
  });
});
