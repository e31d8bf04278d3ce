/**
 * startRun, run, runs, metrics, compareRuns and cancelRun through
 * `yoga.fetch`. The metric series must be exactly those of the same
 * simulation run directly on core; summaries are recomputed by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, referenceMetrics, SIR, SIR_INPUT, testServer } from './yoga.fixture.js';

const server = testServer();
afterAll(async () => {
  await server.kit.close();
  removeTempDirs();
});

const RUN_FIELDS = 'id kind label parentId model population agents steps seed params { name value values } backend status progress { done total unit fraction } metricNames stepsRecorded options error { code message } createdAt startedAt finishedAt wallMs';
const START = `mutation($input: StartRunInput!, $waitMs: Int) { startRun(input: $input, waitMs: $waitMs) { ${RUN_FIELDS} } }`;

let first: Record<string, any>;
let second: Record<string, any>;
beforeAll(async () => {
  const a = await server.gql(START, { input: { ...SIR_INPUT, steps: 12, label: 'baseline' }, waitMs: 60_000 });
  const b = await server.gql(START, { input: { ...SIR_INPUT, steps: 12, params: [{ name: 'beta', value: 0.16 }, { name: 'seedFraction', value: 0.01 }] }, waitMs: 60_000 });
  expect(a.errors).toBeUndefined();
  expect(b.errors).toBeUndefined();
  first = a.data!.startRun;
  second = b.data!.startRun;
});

describe('startRun and run', () => {
  it('records the run with every parameter and, after waitMs, its final state', async () => {
    expect(first).toMatchObject({
      kind: 'RUN',
      label: 'baseline',
      parentId: null,
      model: 'example/network-sir',
      population: 'example/random-graph',
      agents: 2000,
      steps: 12,
      seed: 1,
      backend: 'cpu',
      status: 'DONE',
      progress: { done: 12, total: 12, unit: 'STEPS', fraction: 1 },
      metricNames: ['S', 'I', 'R', 'newInfections'],
      stepsRecorded: 12,
      options: {},
      error: null,
    });
    expect(first.params).toEqual([
      { name: 'beta', value: 0.08, values: [0.08] },
      { name: 'gamma', value: 0.1, values: [0.1] },
      { name: 'seedFraction', value: 0.01, values: [0.01] },
    ]);
    expect(Date.parse(first.finishedAt) - Date.parse(first.startedAt)).toBe(first.wallMs);
    const again = await server.gql(`query($id: ID!) { run(id: $id) { ${RUN_FIELDS} } }`, { id: first.id });
    expect(again.data!.run).toEqual(first);
  });

  it('without waitMs answers at once with the queued or running record', async () => {
    const { data, errors } = await server.gql(START, { input: { ...SIR_INPUT, steps: 3 } });
    expect(errors).toBeUndefined();
    expect(['QUEUED', 'RUNNING']).toContain(data!.startRun.status);
    expect(data!.startRun.stepsRecorded).toBeLessThan(3);
    const done = await server.kit.executor.wait(data!.startRun.id);
    expect(done.status).toBe('done');
  });

  it('metrics are the series of the same simulation run on core, whole and sliced', async () => {
    const reference = await referenceMetrics(12);
    const { data, errors } = await server.gql(`query($id: ID!) { run(id: $id) {
      all: metrics { runId status steps stepsRecorded downsampled { method } series { name values } }
      part: metrics(names: ["newInfections", "I"], from: 3, to: 7) { steps series { name values } }
      sampled: metrics(names: ["I"], maxPoints: 4) { steps series { values } downsampled { method maxPoints pointsBefore } }
      averaged: metrics(names: ["I"], maxPoints: 3, method: MEAN) { steps series { values } } } }`, { id: first.id });
    expect(errors).toBeUndefined();
    const run = data!.run;
    expect(run.all).toEqual({ runId: first.id, status: 'DONE', steps: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], stepsRecorded: 12, downsampled: null, series: ['S', 'I', 'R', 'newInfections'].map((name) => ({ name, values: reference[name] })) });
    // the model's order, whatever order the names are asked in
    expect(run.part).toEqual({ steps: [3, 4, 5, 6, 7], series: [{ name: 'I', values: reference.I!.slice(2, 7) }, { name: 'newInfections', values: reference.newInfections!.slice(2, 7) }] });
    // 4 evenly spaced of 12 steps: indices round(i * 11 / 3)
    expect(run.sampled).toEqual({ steps: [1, 5, 8, 12], series: [{ values: [0, 4, 7, 11].map((i) => reference.I![i]) }], downsampled: { method: 'SAMPLE', maxPoints: 4, pointsBefore: 12 } });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(run.averaged).toEqual({ steps: [4, 8, 12], series: [{ values: [0, 4, 8].map((s) => mean(reference.I!.slice(s, s + 4))) }] });
  });

  it('a seed is a seed: the same request gives the same series, another seed another', async () => {
    const again = await server.gql(START, { input: { ...SIR_INPUT, steps: 12 }, waitMs: 60_000 });
    const other = await server.gql(START, { input: { ...SIR_INPUT, steps: 12, seed: 2 }, waitMs: 60_000 });
    const series = async (id: string) => (await server.gql('query($id: ID!) { run(id: $id) { metrics(names: ["I"]) { series { values } } } }', { id })).data!.run.metrics.series[0].values;
    expect(await series(again.data!.startRun.id)).toEqual(await series(first.id));
    expect(await series(other.data!.startRun.id)).not.toEqual(await series(first.id));
  });
});

describe('runs', () => {
  it('lists newest first with a total, pages with first/offset, and filters', async () => {
    const all = await server.gql('{ runs(first: 100) { total offset hasMore runs { id createdAt } } }');
    expect(all.errors).toBeUndefined();
    const ids = all.data!.runs.runs.map((r: { id: string }) => r.id);
    expect(all.data!.runs.total).toBe(ids.length);
    expect(all.data!.runs.hasMore).toBe(false);
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));
    const page = await server.gql('{ runs(first: 2, offset: 1) { total offset hasMore runs { id } } }');
    expect(page.data!.runs).toEqual({ total: ids.length, offset: 1, hasMore: ids.length > 3, runs: ids.slice(1, 3).map((id: string) => ({ id })) });
    const byModel = await server.gql('{ runs(filter: { model: "network-sir", status: [DONE], kind: [RUN], topLevel: true }, first: 100) { total } }');
    expect(byModel.data!.runs.total).toBe(ids.length);
    const none = await server.gql('{ runs(filter: { model: "example/network-seir" }) { total runs { id } } }');
    expect(none.data!.runs).toEqual({ total: 0, runs: [] });
    const failed = await server.gql('{ runs(filter: { status: [FAILED, CANCELLED] }) { total } }');
    expect(failed.data!.runs.total).toBe(0);
  });

  it('refuses a page size outside [1, 100], a negative offset and an empty status list', async () => {
    for (const [query, code, text] of [
      ['{ runs(first: 0) { total } }', 'INVALID_ARGUMENT', 'first expected an integer in [1, 100], received 0'],
      ['{ runs(first: 1000) { total } }', 'INVALID_ARGUMENT', 'received 1000'],
      ['{ runs(offset: -1) { total } }', 'INVALID_ARGUMENT', 'offset expected a non-negative integer, received -1'],
      ['{ runs(filter: { status: [] }) { total } }', 'INVALID_ARGUMENT', 'filter.status expected at least one value'],
      ['{ runs(filter: { parentId: "x", topLevel: true }) { total } }', 'INVALID_ARGUMENT', 'exclude each other'],
    ] as const) {
      const { data, errors } = await server.gql(query);
      expect(data).toBeNull();
      expect(errors![0]!.extensions!.code).toBe(code);
      expect(errors![0]!.message).toContain(text);
    }
  });
});

describe('compareRuns', () => {
  it('summarises each metric as the series say, with differences to the first run', async () => {
    const { data, errors } = await server.gql(`query($ids: [ID!]!) { compareRuns(ids: $ids, metrics: ["newInfections"]) {
      baseline metrics rows { metric label runIds final peak peakStep total delta { final peak peakStep total } relative { final peak total } } } }`, { ids: [first.id, second.id] });
    expect(errors).toBeUndefined();
    const table = data!.compareRuns;
    // a run is labelled by its label, else its id
    expect(table.baseline).toBe('baseline');
    expect(table.metrics).toEqual(['newInfections']);
    const by = async (id: string) => (await server.gql('query($id: ID!) { run(id: $id) { metrics(names: ["newInfections"]) { series { values } } } }', { id })).data!.run.metrics.series[0].values as number[];
    const [a, b] = [await by(first.id), await by(second.id)];
    const summary = (xs: number[]) => ({ final: xs.at(-1)!, peak: Math.max(...xs), peakStep: xs.indexOf(Math.max(...xs)) + 1, total: xs.reduce((s, v) => s + v, 0) });
    const [sa, sb] = [summary(a), summary(b)];
    expect(table.rows).toEqual([
      { metric: 'newInfections', label: 'baseline', runIds: [first.id], ...sa, delta: null, relative: null },
      {
        metric: 'newInfections',
        label: second.id,
        runIds: [second.id],
        ...sb,
        delta: { final: sb.final - sa.final, peak: sb.peak - sa.peak, peakStep: sb.peakStep - sa.peakStep, total: sb.total - sa.total },
        relative: { final: (sb.final - sa.final) / sa.final, peak: (sb.peak - sa.peak) / sa.peak, total: (sb.total - sa.total) / sa.total },
      },
    ]);
    // twice the transmission rate infects more people
    expect(sb.total).toBeGreaterThan(sa.total);
  });
});

describe('cancelRun', () => {
  it('stops a running run, keeps its steps, and says so; a second cancel finds it finished', async () => {
    const started = await server.gql(START, { input: { ...SIR_INPUT, steps: 10_000 } });
    const id = started.data!.startRun.id as string;
    while (server.kit.store.require(id).stepsRecorded < 2) await new Promise((r) => setTimeout(r, 10));
    const cancel = 'mutation($id: ID!) { cancelRun(id: $id) { outcome run { id status stepsRecorded progress { done } error { code message } } } }';
    const { data, errors } = await server.gql(cancel, { id });
    expect(errors).toBeUndefined();
    expect(data!.cancelRun.outcome).toBe('CANCELLED');
    const run = data!.cancelRun.run;
    expect(run).toMatchObject({ id, status: 'CANCELLED', error: { code: 'cancelled' } });
    expect(run.stepsRecorded).toBeGreaterThanOrEqual(2);
    expect(run.stepsRecorded).toBe(run.progress.done);
    expect(run.stepsRecorded).toBeLessThan(10_000);
    const twice = await server.gql(cancel, { id });
    expect(twice.data!.cancelRun).toEqual({ ...data!.cancelRun, outcome: 'ALREADY_FINISHED' });
  });
});
