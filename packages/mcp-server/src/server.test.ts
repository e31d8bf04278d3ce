/**
 * Every tool, resource and prompt through an in-memory MCP client.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ServerKit } from '@populace/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callError, connectedClient, pngSize, removeTempDirs, SIR } from './mcp.fixture.js';
import { TOOL_NAMES } from './server.js';

type Run = { id: string; status: string; kind: string; stepsRecorded: number; progress: { done: number; total: number }; params: Record<string, number>; error: { code: string; message: string } | null };

let client: Client;
let kit: ServerKit;
let logged: string[];
let close: () => Promise<void>;
/** A finished run of SIR over 30 steps (beta 0.08) and one with beta 0.03. */
let fast: Run;
let slow: Run;

beforeAll(async () => {
  ({ client, kit, logged, close } = await connectedClient({ maxAgents: 100_000 }));
  fast = (await call<{ run: Run }>(client, 'run_simulation', { ...SIR, steps: 30, label: 'fast' })).data.run;
  slow = (await call<{ run: Run }>(client, 'run_simulation', { ...SIR, steps: 30, params: { beta: 0.03, seedFraction: 0.01 }, label: 'slow' })).data.run;
});
afterAll(async () => {
  await close();
  removeTempDirs();
});

describe('MCP tools (in memory)', () => {
  it('lists every tool with input and output schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([...TOOL_NAMES]);
    for (const t of tools) {
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type, t.name).toBe('object');
      expect(t.description!.length).toBeGreaterThan(40);
    }
    const run = tools.find((t) => t.name === 'run_simulation')!;
    expect(run.inputSchema.required).toEqual(['model']);
  });

  it('list_models, describe_model and list_populations describe the runtime', async () => {
    const models = await call<{ models: { id: string; learnable: string[] }[] }>(client, 'list_models');
    expect(models.data.models.map((m) => m.id)).toEqual(kit.runtime.models.ids());
    expect(models.text).toContain('example/network-sir');
    const d = await call<{ id: string; parameters: Record<string, { bounds: [number, number]; learnable: boolean }>; metrics: Record<string, unknown> }>(client, 'describe_model', { model: 'network-sir' });
    expect(d.data.id).toBe('example/network-sir');
    expect(d.data.parameters.beta).toMatchObject({ bounds: [0, 5], learnable: true });
    expect(Object.keys(d.data.metrics)).toEqual(['S', 'I', 'R', 'newInfections']);
    expect(d.text).toContain('beta = 0.05 in [0, 5] 1/day (learnable)');
    const pops = await call<{ populations: { id: string; maxAgents: number }[] }>(client, 'list_populations');
    expect(pops.data.populations.map((p) => p.id)).toEqual(['example/random-graph', 'example/hashed-random-graph']);
  });

  it('run_simulation waits for the run, sends progress notifications and reports the metrics', async () => {
    expect(fast).toMatchObject({ status: 'done', kind: 'run', stepsRecorded: 30, params: { beta: 0.08, gamma: 0.1, seedFraction: 0.01 } });
    const progress: { progress: number; total?: number; message?: string }[] = [];
    const { data, text } = await call<{ run: Run; finished: boolean }>(client, 'run_simulation', { ...SIR, agents: 20_000, steps: 60 }, (p) => progress.push(p));
    expect(data).toMatchObject({ finished: true, run: { status: 'done', stepsRecorded: 60 } });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ progress: 60, total: 60 });
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.progress).toBeGreaterThanOrEqual(progress[i - 1]!.progress);
    expect(progress[0]!.message).toMatch(/^run-[0-9a-f]+ running: \d+\/60 steps; S=/);
    expect(text).toMatch(/: done in [\d.]+ s, 60\/60 steps\.\nMetrics over 60 steps/);
    // the same request on the same seed gives the same metrics
    const again = await call<{ run: Run }>(client, 'run_simulation', { ...SIR, steps: 30 });
    expect(kit.store.series(again.data.run.id)).toEqual(kit.store.series(fast.id));
  });

  it('run_simulation with waitSeconds 0 returns at once; get_run follows it; cancel_run stops it', async () => {
    const { data } = await call<{ run: Run; finished: boolean }>(client, 'run_simulation', { ...SIR, steps: 3000, waitSeconds: 0 });
    expect(data.finished).toBe(false);
    expect(['queued', 'running']).toContain(data.run.status);
    const got = await call<{ run: Run; finished: boolean }>(client, 'get_run', { runId: data.run.id, waitSeconds: 0.2 });
    expect(got.data.finished).toBe(false);
    expect(got.text).toContain('call get_run with runId');
    const cancelled = await call<{ run: Run; outcome: string }>(client, 'cancel_run', { runId: data.run.id });
    expect(cancelled.data).toMatchObject({ outcome: 'cancelled', run: { status: 'cancelled', error: { code: 'cancelled' } } });
    expect(cancelled.data.run.stepsRecorded).toBeLessThan(3000);
    expect((await call<{ outcome: string }>(client, 'cancel_run', { runId: data.run.id })).data.outcome).toBe('already-finished');
    const listed = await call<{ runs: Run[]; total: number }>(client, 'list_runs', { status: 'cancelled' });
    expect(listed.data.runs.map((r) => r.id)).toEqual([data.run.id]);
    expect((await call<{ total: number }>(client, 'list_runs', { limit: 1 })).data.total).toBeGreaterThanOrEqual(4);
  });

  it('get_metrics returns series, a step range and downsampled points', async () => {
    const all = await call<{ steps: number[]; series: Record<string, number[]>; downsampled: unknown }>(client, 'get_metrics', { runId: fast.id });
    expect(all.data.steps).toHaveLength(30);
    expect(all.data.series.I).toEqual(kit.store.series(fast.id).series.I);
    expect(all.data.downsampled).toBeNull();
    expect(all.text).toContain('step,S,I,R,newInfections\n1,');
    const some = await call<{ steps: number[]; series: Record<string, number[]>; downsampled: { pointsBefore: number } }>(client, 'get_metrics', { runId: fast.id, metrics: ['I'], from: 5, to: 24, maxPoints: 5 });
    expect(some.data.steps).toEqual([5, 10, 15, 19, 24]);
    expect(Object.keys(some.data.series)).toEqual(['I']);
    expect(some.data.downsampled.pointsBefore).toBe(20);
  });

  it('compare_runs tabulates final, peak, peak step and total against the first run', async () => {
    const { data, text } = await call<{ table: { baseline: string; rows: { label: string; metric: string; peak: number; relative: { peak: number } | null }[] } }>(client, 'compare_runs', { runIds: [fast.id, slow.id], metrics: ['I'] });
    expect(data.table.baseline).toBe('fast');
    const [base, other] = data.table.rows;
    expect(base).toMatchObject({ label: 'fast', metric: 'I', peak: Math.max(...kit.store.series(fast.id).series.I), relative: null });
    expect(other!.peak).toBe(Math.max(...kit.store.series(slow.id).series.I));
    expect(other!.relative!.peak).toBeCloseTo(other!.peak / base!.peak - 1, 12);
    expect(text).toMatch(/I:\nRUN\s+FINAL\s+PEAK/);
  });

  it('run_scenarios runs a sweep and returns its comparison table', async () => {
    const { data, text } = await call<{ run: Run; finished: boolean; table: { rows: { label: string; metric: string; delta: { peak: number } | null }[] } }>(client, 'run_scenarios', {
      ...SIR,
      steps: 30,
      seeds: [1, 2],
      scenarios: [{ name: 'baseline', params: {} }, { name: 'distancing', params: { beta: 0.03 } }],
    });
    expect(data).toMatchObject({ finished: true, run: { kind: 'scenarios', status: 'done', progress: { done: 4, total: 4 } } });
    expect(data.table.rows.filter((r) => r.metric === 'I').map((r) => r.label)).toEqual(['baseline', 'distancing']);
    expect(data.table.rows.find((r) => r.metric === 'I' && r.label === 'distancing')!.delta!.peak).toBeLessThan(0);
    expect(text).toMatch(/Runs: baseline: run-\w+, run-\w+; distancing: run-\w+, run-\w+/);
  });

  it('calibrate fits beta to a series made with a known beta', async () => {
    const observed = kit.store.series(fast.id).series.newInfections;
    const { data, text } = await call<{ run: Run; result: { params: { beta: number }; start: { beta: number }; history: number[] } }>(client, 'calibrate', { ...SIR, params: { beta: 0.04, seedFraction: 0.01 }, observed: { newInfections: observed }, fit: ['beta'], epochs: 25 });
    expect(data.run).toMatchObject({ kind: 'calibrate', status: 'done' });
    expect(data.result.start.beta).toBe(0.04);
    expect(Math.abs(data.result.params.beta - 0.08)).toBeLessThan(0.01);
    expect(text).toMatch(/^Fitted \(\w+ after \d+ epochs\): beta 0\.04000 -> 0\.0[78]\d+/);
  });

  it('sensitivity ranks the learnable parameters by elasticity', async () => {
    const { data, text } = await call<{ result: { output: { value: number }; entries: { param: string; gradient: number; elasticity: number }[] } }>(client, 'sensitivity', { ...SIR, steps: 30, output: 'newInfections:sum' });
    expect(data.result.entries.map((e) => e.param).sort()).toEqual(['beta', 'gamma']);
    const beta = data.result.entries.find((e) => e.param === 'beta')!;
    expect(beta.gradient).toBeGreaterThan(0);
    expect(beta.elasticity).toBeCloseTo((beta.gradient * 0.08) / data.result.output.value, 12);
    expect(text).toMatch(/newInfections:sum = \d+\. Ranked by \|elasticity\|:\n {2}1\. /);
  });

  it('plot returns a PNG image of the chosen metrics', async () => {
    const { data, result } = await call<{ width: number; height: number; bytes: number; mimeType: string }>(client, 'plot', { runIds: [fast.id, slow.id], metrics: ['I', 'newInfections'], title: 'fast vs slow' });
    const image = result.content.find((c) => c.type === 'image') as { data: string; mimeType: string };
    expect(image.mimeType).toBe('image/png');
    const bytes = Buffer.from(image.data, 'base64');
    expect(bytes.byteLength).toBe(data.bytes);
    expect(pngSize(bytes)).toEqual({ width: data.width, height: data.height });
  });
});

describe('MCP resources and prompts', () => {
  it('models and runs as resources, the metrics as CSV', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toContain('populace://models/example/network-sir');
    expect(resources.map((r) => r.uri)).toContain(`populace://runs/${fast.id}`);
    expect(resources.map((r) => r.uri)).toContain(`populace://runs/${fast.id}/metrics.csv`);
    const model = JSON.parse(((await client.readResource({ uri: 'populace://models/network-sir' })).contents[0] as { text: string }).text);
    expect(model).toMatchObject({ id: 'example/network-sir', parameters: { beta: { bounds: [0, 5] } } });
    const run = JSON.parse(((await client.readResource({ uri: `populace://runs/${fast.id}` })).contents[0] as { text: string }).text);
    expect(run).toMatchObject({ id: fast.id, status: 'done', label: 'fast' });
    const csv = ((await client.readResource({ uri: `populace://runs/${fast.id}/metrics.csv` })).contents[0] as { text: string }).text;
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('step,S,I,R,newInfections');
    expect(lines).toHaveLength(31);
    expect(lines[12]!.split(',').map(Number)).toEqual([12, ...['S', 'I', 'R', 'newInfections'].map((m) => kit.store.series(fast.id).series[m]![11])]);
    await expect(client.readResource({ uri: 'populace://runs/run-nothere' })).rejects.toThrow(/unknown run 'run-nothere'/);
    await expect(client.readResource({ uri: 'populace://models/nope' })).rejects.toThrow(/unknown model 'nope'.*Known models: example\/network-sir/);
  });

  it('prompts: investigate an outbreak, compare interventions', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['investigate_outbreak', 'compare_interventions']);
    const outbreak = await client.getPrompt({ name: 'investigate_outbreak', arguments: { model: 'example/network-sir', cases: '3,5,9' } });
    const text = (outbreak.messages[0]!.content as { text: string }).text;
    expect(text).toContain("describe_model for 'example/network-sir'");
    expect(text).toContain('[3,5,9]');
    for (const tool of ['run_simulation', 'calibrate', 'sensitivity', 'plot']) expect(text).toContain(tool);
    const compare = await client.getPrompt({ name: 'compare_interventions', arguments: { interventions: 'distancing: beta=0.03' } });
    expect((compare.messages[0]!.content as { text: string }).text).toContain('run_scenarios');
  });
});

describe('MCP bad input: tool errors the assistant can act on', () => {
  it('unknown ids list the valid ones', async () => {
    expect(await callError(client, 'run_simulation', { model: 'network-sri' })).toMatch(/unknown-id.*Did you mean 'example\/network-sir'\?.*Known models: example\/network-sir, example\/network-seir, example\/random-walk/);
    expect(await callError(client, 'run_simulation', { ...SIR, population: 'city' })).toMatch(/unknown population 'city'.*Known populations: example\/random-graph, example\/hashed-random-graph/);
    expect(await callError(client, 'describe_model', { model: 'nope' })).toMatch(/Known models: /);
    const typo = fast.id.slice(0, -1) + (fast.id.endsWith('a') ? 'b' : 'a');
    expect(await callError(client, 'get_run', { runId: typo })).toContain(`Did you mean '${fast.id}'?`);
    for (const [tool, args] of [['get_metrics', { runId: 'run-x' }], ['compare_runs', { runIds: [fast.id, 'run-x'] }], ['plot', { runIds: ['run-x'] }], ['cancel_run', { runId: 'run-x' }]] as const) {
      expect(await callError(client, tool, args)).toContain("unknown run 'run-x'");
    }
    expect(await callError(client, 'get_metrics', { runId: fast.id, metrics: ['infected'] })).toContain('Its metrics: S, I, R, newInfections');
    expect(await callError(client, 'sensitivity', { ...SIR, output: 'deaths:sum' })).toContain('with a metric of [S, I, R, newInfections]');
  });

  it('out-of-bounds and unknown parameters give the bounds and the names', async () => {
    const text = await callError(client, 'run_simulation', { ...SIR, params: { beta: 9 } });
    expect(text).toContain("parameter 'beta': expected a value within [0, 5], received 9");
    expect(await callError(client, 'run_simulation', { ...SIR, params: { beta_: 0.1 } })).toContain("Did you mean 'beta'?");
    expect(await callError(client, 'run_scenarios', { ...SIR, scenarios: [{ params: {} }, { name: 'x', params: { gamma: 2 } }] })).toMatch(/scenarios\[1\] 'x':.*\[0, 1\]/);
    expect(await callError(client, 'calibrate', { ...SIR, observed: { I: [1, 2] }, fit: ['seedFraction'] })).toContain('is not learnable');
  });

  it('wrong types, missing arguments, negative steps and huge agent counts are refused', async () => {
    expect(await callError(client, 'run_simulation', { ...SIR, agents: 'many' })).toMatch(/Input validation error.*agents/s);
    expect(await callError(client, 'run_simulation', {})).toMatch(/Input validation error.*model/s);
    expect(await callError(client, 'describe_model', {})).toMatch(/Input validation error.*model/s);
    expect(await callError(client, 'get_run', {})).toMatch(/Input validation error.*runId/s);
    expect(await callError(client, 'compare_runs', { runIds: [] })).toMatch(/Input validation error.*runIds/s);
    expect(await callError(client, 'run_simulation', { ...SIR, steps: -5 })).toMatch(/Input validation error.*steps/s);
    const huge = await callError(client, 'run_simulation', { ...SIR, agents: 50_000_000 });
    expect(huge).toContain("limit-exceeded): agents is 50,000,000, over this server's limit of 100,000 (maxAgents)");
    expect(await callError(client, 'run_simulation', { model: 'network-sir', population: 'hashed-random-graph' })).toContain("agents (the default of population 'example/hashed-random-graph') is 1,000,000");
  });

  it('malformed observed series are refused with what is wrong', async () => {
    const base = { ...SIR, fit: ['beta'] };
    expect(await callError(client, 'calibrate', { ...base, observed: { newInfections: ['a', 'b'] } })).toMatch(/Input validation error.*observed/s);
    expect(await callError(client, 'calibrate', { ...base, observed: [1, 2, 3] })).toMatch(/Input validation error.*observed/s);
    expect(await callError(client, 'calibrate', { ...base, observed: {} })).toContain('observed expected an object { <metric>: [values per step] } with at least one metric of [S, I, R, newInfections]');
    expect(await callError(client, 'calibrate', { ...base, observed: { cases: [1, 2] } })).toContain("observed metric 'cases' is not a metric of the model");
    expect(await callError(client, 'calibrate', { ...base, observed: { I: [] } })).toContain('expected a non-empty array');
    expect(await callError(client, 'calibrate', { ...base, observed: { I: [null, null] } })).toContain('has no observed value');
    expect(await callError(client, 'calibrate', { ...base, loss: 'poisson', observed: { I: [3, -1] } })).toContain('needs non-negative counts');
    expect(await callError(client, 'calibrate', { ...base })).toMatch(/Input validation error.*observed/s);
    expect(logged).toEqual([]);
  });
});
