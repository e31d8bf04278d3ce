/**
 * The analysis fields through `yoga.fetch` on a kit with the populations and
 * epidemic plugins: populationStats, searchDocuments, counterfactual and ask.
 * Each result must carry the numbers of the analyzer function called
 * directly on the same kit; bad input must give errors with the right
 * `extensions.code` and a message that says what to fix.
 */
import { counterfactual, populationStats, searchDocuments } from '@populace/analyzer';
import { ScriptedChatModel } from '@populace/analyzer/testing';
import { summarizeSeries } from '@populace/server-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { createPopulaceYoga } from './yoga.js';
import { analysisServer, captureLogger, post, removeTempDirs } from './yoga.fixture.js';

const server = analysisServer({ limits: { maxAgents: 20_000 } });
afterAll(async () => {
  await server.kit.close();
  removeTempDirs();
});

const STATS = `query($input: PopulationStatsInput!) { populationStats(input: $input) {
  population agentType agents seed total outsideBins groupBy notes
  where { attribute labels values min max }
  rows { group { attribute label } count share statistics { attribute stat value label byLabel { label value } medianPosition } }
  ranking { attribute stat order by tiedAtTop lowest { rank group { attribute label } value label count } highest { group { label } value } entries { rank value } }
  attributes { name kind ordered labels unit }
} }`;

/** Which age group has the lowest median household income? */
const INCOME_BY_AGE = { population: 'nyc', agents: 3000, seed: 1, groupBy: ['ageBand'], measures: [{ attribute: 'income', stats: ['median'] }] };
const INCOME_BY_AGE_IN = { ...INCOME_BY_AGE, measures: [{ attribute: 'income', stats: ['MEDIAN'] }] };

describe('populationStats', () => {
  it('answers "which age group has the lowest median income?" with populationStats’ numbers', async () => {
    const { data, errors } = await server.gql(STATS, { input: INCOME_BY_AGE_IN });
    expect(errors).toBeUndefined();
    const s = data!.populationStats;
    const direct = await populationStats(server.kit, INCOME_BY_AGE as never);
    expect(s).toMatchObject({ population: 'populations/nyc', agentType: 'people', agents: direct.agents, seed: 1, total: direct.total, outsideBins: 0, groupBy: ['ageBand'], notes: direct.notes, where: [] });
    expect(s.rows).toHaveLength(direct.rows.length);
    direct.rows.forEach((row, i) => {
      const income = row.measures.income!;
      expect(s.rows[i]).toEqual({
        group: [{ attribute: 'ageBand', label: row.group.ageBand }],
        count: row.count,
        share: row.share,
        statistics: [{ attribute: 'income', stat: 'MEDIAN', value: null, label: income.median, byLabel: null, medianPosition: income.medianPosition }],
      });
    });
    const r = direct.ranking!;
    expect(s.ranking).toMatchObject({ attribute: 'income', stat: 'MEDIAN', order: 'ASCENDING', by: r.by, tiedAtTop: r.tiedAtTop });
    expect(s.ranking.lowest).toEqual({ rank: 1, group: [{ attribute: 'ageBand', label: r.lowest.group.ageBand }], value: r.lowest.value, label: r.lowest.label, count: r.lowest.count });
    expect(s.ranking.highest).toEqual({ group: [{ label: r.highest.group.ageBand }], value: r.highest.value });
    expect(s.ranking.entries.map((e: { value: number }) => e.value)).toEqual(r.entries.map((e) => e.value));
    expect(s.attributes).toEqual([
      { name: 'ageBand', kind: 'category', ordered: true, labels: direct.attributes.ageBand!.labels, unit: null },
      { name: 'income', kind: 'category', ordered: true, labels: direct.attributes.income!.labels, unit: null },
    ]);
  });

  it('bins numbers, filters and gives shares by label, as populationStats does', async () => {
    const input = { population: 'nyc', agents: 3000, seed: 2, groupBy: ['age'], bins: [{ attribute: 'age', edges: [18, 40, 65] }], measures: [{ attribute: 'employed', stats: ['SHARE'] }, { attribute: 'age', stats: ['MEAN', 'MAX'] }], where: [{ attribute: 'area', labels: ['bronx', 'queens'] }] };
    const { data, errors } = await server.gql(STATS, { input });
    expect(errors).toBeUndefined();
    const s = data!.populationStats;
    const direct = await populationStats(server.kit, { population: 'nyc', agents: 3000, seed: 2, groupBy: ['age'], bins: { age: [18, 40, 65] }, measures: [{ attribute: 'employed', stats: ['share'] }, { attribute: 'age', stats: ['mean', 'max'] }], where: { area: ['bronx', 'queens'] } });
    expect(s.where).toEqual([{ attribute: 'area', labels: ['bronx', 'queens'], values: null, min: null, max: null }]);
    expect(s.outsideBins).toBe(direct.outsideBins);
    expect(s.outsideBins).toBeGreaterThan(0);
    expect(s.ranking).toBeNull();
    expect(s.rows.map((r: { group: { label: string }[] }) => r.group[0]!.label)).toEqual(['[18, 40)', '[40, 65)']);
    direct.rows.forEach((row, i) => {
      const [employed, mean, max] = s.rows[i].statistics;
      expect(employed).toMatchObject({ attribute: 'employed', stat: 'SHARE', value: null, byLabel: Object.entries(row.measures.employed!.share as Record<string, number>).map(([label, value]) => ({ label, value })) });
      expect(mean).toMatchObject({ attribute: 'age', stat: 'MEAN', value: row.measures.age!.mean });
      expect(max).toMatchObject({ attribute: 'age', stat: 'MAX', value: row.measures.age!.max });
      expect(max.value).toBeLessThan(i === 0 ? 40 : 65);
    });
  });

  it('refuses an unknown population or attribute, invalid stats, bad filters and too many agents', async () => {
    const expectError = async (input: Record<string, unknown>, code: string, message: RegExp | string) => {
      const { data, errors } = await server.gql('query($input: PopulationStatsInput!) { populationStats(input: $input) { total } }', { input });
      expect(data ?? null, JSON.stringify(input)).toBeNull();
      expect(errors).toHaveLength(1);
      expect(errors![0]!.extensions!.code, errors![0]!.message).toBe(code);
      if (typeof message === 'string') expect(errors![0]!.message).toContain(message);
      else expect(errors![0]!.message).toMatch(message);
    };
    await expectError({ ...INCOME_BY_AGE_IN, population: 'nyk' }, 'UNKNOWN_ID', /'nyk'.*Did you mean 'populations\/nyc'/s);
    await expectError({ ...INCOME_BY_AGE_IN, measures: [{ attribute: 'incme', stats: ['MEDIAN'] }] }, 'INVALID_ARGUMENT', "measures[0].attribute names attribute 'incme', which people of population 'populations/nyc' does not have. Did you mean 'income'?");
    await expectError({ ...INCOME_BY_AGE_IN, measures: [{ attribute: 'sex', stats: ['MEDIAN'] }] }, 'INVALID_ARGUMENT', "'sex' is an unordered category, so median is not defined");
    await expectError({ ...INCOME_BY_AGE_IN, measures: [{ attribute: 'income', stats: ['AVERAGE'] }] }, 'BAD_USER_INPUT', /Value "AVERAGE" does not exist in "PopulationStat" enum/);
    await expectError({ ...INCOME_BY_AGE_IN, groupBy: ['ageBand', 'sex', 'area', 'employed'] }, 'INVALID_ARGUMENT', /populationStats: invalid input: groupBy: .*received \[4 items\]|populationStats: invalid input: groupBy/);
    await expectError({ ...INCOME_BY_AGE_IN, where: [{ attribute: 'area', labels: ['bronx'], min: 1 }] }, 'INVALID_ARGUMENT', "where[0] ('area'): expected exactly one of labels (a category), values (a number) or min/max (a range), received several");
    await expectError({ ...INCOME_BY_AGE_IN, where: [{ attribute: 'area', labels: ['brnx'] }] }, 'INVALID_ARGUMENT', "'area' has no label \"brnx\". Did you mean 'bronx'?");
    await expectError({ ...INCOME_BY_AGE_IN, bins: [{ attribute: 'age', edges: [0, 1] }, { attribute: 'age', edges: [0, 2] }] }, 'INVALID_ARGUMENT', "bins[1]: attribute 'age' is given twice");
    await expectError({ ...INCOME_BY_AGE_IN, agents: 50_000 }, 'LIMIT_EXCEEDED', "agents is 50,000, over this server's limit of 20,000 (maxAgents)");
  });
});

describe('searchDocuments', () => {
  it('returns the hits of searchDocuments, closest first', async () => {
    const { data, errors } = await server.gql('{ searchDocuments(query: "covid hospital deaths vaccination testing isolation", k: 3) { id kind title score text truncated } }');
    expect(errors).toBeUndefined();
    const direct = await searchDocuments(server.kit, { query: 'covid hospital deaths vaccination testing isolation', k: 3 });
    expect(data!.searchDocuments).toEqual(direct.results.map((h) => ({ ...h, kind: h.kind.toUpperCase() })));
    expect(data!.searchDocuments[0].id).toBe('model:epi/covid');
    const only = await server.gql('{ searchDocuments(query: "household income of New York", kinds: [POPULATION]) { kind } }');
    expect(only.data!.searchDocuments.length).toBeGreaterThan(0);
    expect(only.data!.searchDocuments.every((h: { kind: string }) => h.kind === 'POPULATION')).toBe(true);
  });

  it('refuses an empty query and a bad k', async () => {
    for (const [args, field] of [['query: ""', 'query'], ['query: "sir", k: 0', 'k'], ['query: "sir", k: 50', 'k']] as const) {
      const { errors } = await server.gql(`{ searchDocuments(${args}) { id } }`);
      expect(errors![0]!.extensions!.code).toBe('INVALID_ARGUMENT');
      expect(errors![0]!.message).toMatch(new RegExp(`^searchDocuments: invalid input: ${field}: `));
    }
  });
});

const CF = `mutation($input: CounterfactualInput!) { counterfactual(input: $input) {
  sweepId sweep { id kind status } model population agents steps seeds baselineRunIds counterfactualRunIds confidence method notes
  baselineParams { name value } changed { name baseline { value } counterfactual { value } }
  rows { metric summary baselineMean counterfactualMean differenceMean differenceLow differenceHigh differenceSd relativeDifference n baselineValues counterfactualValues }
} }`;
const SIR_CF = { model: 'epi/sir', population: 'well-mixed', agents: 2000, steps: 20, seeds: [1, 2] };
const SIR_CF_IN = { ...SIR_CF, baseline: [{ name: 'beta', value: 0.2 }], changes: [{ name: 'beta', value: 0.5 }], metrics: ['newInfections'], summaries: ['TOTAL', 'PEAK_STEP'] };

describe('counterfactual', () => {
  it('gives counterfactual()’s paired differences, with the sweep and its runs recorded', async () => {
    const { data, errors } = await server.gql(CF, { input: SIR_CF_IN });
    expect(errors).toBeUndefined();
    const c = data!.counterfactual;
    const direct = await counterfactual(server.kit, { ...SIR_CF, baseline: { beta: 0.2 }, changes: { beta: 0.5 }, metrics: ['newInfections'], summaries: ['total', 'peakStep'] });
    expect(c).toMatchObject({ model: 'epi/sir', population: 'populations/well-mixed', agents: 2000, steps: 20, seeds: [1, 2], confidence: 0.95, method: direct.method, notes: direct.notes, sweep: { id: c.sweepId, kind: 'SCENARIOS', status: 'DONE' } });
    expect(c.changed).toEqual([{ name: 'beta', baseline: { value: 0.2 }, counterfactual: { value: 0.5 } }]);
    expect(c.baselineParams).toEqual([{ name: 'beta', value: 0.2 }]);
    expect(c.rows).toEqual(direct.rows.map((r) => ({ ...r, summary: r.summary === 'peakStep' ? 'PEAK_STEP' : 'TOTAL' })));
    // the per-seed totals are those of the recorded runs
    const total = c.rows.find((r: { summary: string }) => r.summary === 'TOTAL');
    const totals = (ids: string[]) => ids.map((id) => summarizeSeries(server.kit.store.series(id).series.newInfections!).total);
    expect(total.baselineValues).toEqual(totals(c.baselineRunIds));
    expect(total.counterfactualValues).toEqual(totals(c.counterfactualRunIds));
    expect(total.differenceMean).toBeGreaterThan(0);
  });

  it('refuses empty seeds, unknown ids, no change, a change given twice, out-of-bounds values and too many agents', async () => {
    const cases: [Record<string, unknown>, string, string | RegExp][] = [
      [{ seeds: [] }, 'INVALID_ARGUMENT', /counterfactual: invalid input: seeds: .*\(received \[\]\)/],
      [{ model: 'epi/sri' }, 'UNKNOWN_ID', "Did you mean 'epi/sir'?"],
      [{ population: 'nowhere' }, 'UNKNOWN_ID', "unknown population 'nowhere'"],
      [{ changes: [] }, 'INVALID_ARGUMENT', 'changes is empty'],
      [{ changes: [{ name: 'beta', value: 0.5 }, { name: 'beta', value: 0.6 }] }, 'INVALID_ARGUMENT', "changes[1]: parameter 'beta' is given twice"],
      [{ changes: [{ name: 'bta', value: 0.5 }] }, 'UNKNOWN_PARAM', "Did you mean 'beta'?"],
      [{ changes: [{ name: 'beta', value: 99 }] }, 'PARAM_OUT_OF_BOUNDS', "parameter 'beta': expected a value within"],
      [{ metrics: ['deaths'] }, 'INVALID_ARGUMENT', "metrics names 'deaths', which model 'epi/sir' does not report"],
      [{ agents: 50_000 }, 'LIMIT_EXCEEDED', "agents is 50,000, over this server's limit of 20,000 (maxAgents)"],
    ];
    for (const [change, code, message] of cases) {
      const { data, errors } = await server.gql('mutation($input: CounterfactualInput!) { counterfactual(input: $input) { sweepId } }', { input: { ...SIR_CF_IN, ...change } });
      expect(data ?? null, JSON.stringify(change)).toBeNull();
      expect(errors![0]!.extensions!.code, errors![0]!.message).toBe(code);
      if (typeof message === 'string') expect(errors![0]!.message).toContain(message);
      else expect(errors![0]!.message).toMatch(message);
    }
  });
});

describe('ask', () => {
  const ASK = 'mutation($q: String!) { ask(question: $q) { answer stopReason iterations usage { llmCalls } evidence { tool args ok result error { code message } iteration toolCallId } } }';

  it('without a chat model fails with MISSING_REQUIREMENT, naming the configuration and the plain fields', async () => {
    const { data, errors } = await server.gql(ASK, { q: 'Which age group has the lowest median income?' });
    expect(data).toBeNull();
    expect(errors![0]!.extensions!.code).toBe('MISSING_REQUIREMENT');
    expect(errors![0]!.message).toMatch(/^ask needs a chat model with tool calling, and this server has none configured\. .*POPULACE_LLM_PROVIDER/);
    for (const field of ['populationStats', 'counterfactual', 'startRun']) expect(errors![0]!.message).toContain(field);
  });

  it('with a chat model, runs the analyzer and returns its answer and evidence', async () => {
    const model = new ScriptedChatModel({
      turns: [
        { toolCalls: [{ name: 'counterfactual', args: { ...SIR_CF, seeds: [] as number[], changes: { beta: 0.5 } } }] },
        { toolCalls: [{ name: 'counterfactual', args: { ...SIR_CF, baseline: { beta: 0.2 }, changes: { beta: 0.5 }, metrics: ['newInfections'], summaries: ['total'] } }] },
        { text: ({ lastToolResults }) => `Infections rise by ${lastToolResults[0]!.json.rows[0].differenceMean} on average.` },
      ],
    });
    const yoga = createPopulaceYoga({ kit: server.kit, chatModel: model, logging: captureLogger() });
    const { data, errors } = await post(yoga, ASK, { q: 'How many more infections if beta were 0.5 instead of 0.2?' });
    expect(errors).toBeUndefined();
    const a = data!.ask;
    const direct = await counterfactual(server.kit, { ...SIR_CF, baseline: { beta: 0.2 }, changes: { beta: 0.5 }, metrics: ['newInfections'], summaries: ['total'] });
    expect(a).toMatchObject({ answer: `Infections rise by ${direct.rows[0]!.differenceMean} on average.`, stopReason: 'ANSWER', iterations: 3, usage: { llmCalls: 3 } });
    expect(a.evidence.map((e: { tool: string; ok: boolean; iteration: number }) => [e.tool, e.ok, e.iteration])).toEqual([
      ['counterfactual', false, 1],
      ['counterfactual', true, 2],
    ]);
    expect(a.evidence[0].error.code).toBe('invalid-argument');
    expect(a.evidence[0].error.message).toContain('seeds');
    expect(a.evidence[0].result).toBeNull();
    expect(a.evidence[1].args).toMatchObject({ changes: { beta: 0.5 } });
    expect(a.evidence[1].result.rows).toEqual(direct.rows);
  });
});

describe('query limits on the analysis fields', () => {
  it('counts their costs and depth', async () => {
    const yoga = createPopulaceYoga({ kit: server.kit, queryLimits: { maxCost: 25, maxDepth: 4 }, logging: captureLogger() });
    const q = (fields: string) => post(yoga, `query($input: PopulationStatsInput!) { populationStats(input: $input) { ${fields} } }`, { input: INCOME_BY_AGE_IN });
    // populationStats costs 20 plus 1 per 1,000 agents (3 here), total 1: 24
    expect((await q('total')).data).toEqual({ populationStats: { total: expect.any(Number) } });
    // rows is a list: 1 + 10 x 1 more: 35
    const costly = await q('total rows { count }');
    expect(costly.errors![0]!.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'maxCost', max: 25, received: 35 } });
    const deep = await q('ranking { lowest { group { label } } }');
    expect(deep.errors![0]!.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'maxDepth', max: 4, received: 5 } });
    const ask = await post(yoga, 'mutation { ask(question: "hi") { answer } }');
    expect(ask.errors![0]!.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'maxCost', received: 101 } });
  });
});
