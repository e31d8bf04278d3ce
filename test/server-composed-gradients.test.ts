/**
 * Composed models in gradient jobs over MCP (Streamable HTTP) and GraphQL (HTTP), both on
 * 127.0.0.1 against one server kit with epi and supplychain: d(peak retail egg price)/d(an H5N1
 * parameter) of epi/h5n1+supplychain/eggs is one sensitivity call, and a calibration of the egg
 * market's elasticity driven by simulated culls is one calibrate call; both equal the same jobs
 * made in process with core. Bad compositions (an unknown link target, an input series shorter
 * than the steps) are refused with the same messages on both surfaces.
 * Needs the builds of core, server-kit, mcp-server, graphql, models-epi and models-supplychain.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { calibrate, createRuntime, sensitivity } from '@populace/core';
import epi from '@populace/models-epi';
import supplychain from '@populace/models-supplychain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBothServers, type BothServers } from './fixtures/both-servers.js';

const runtime = createRuntime({ plugins: [epi, supplychain], backend: 'cpu' });
let servers: BothServers;
beforeAll(async () => {
  servers = await startBothServers(runtime, 'composed-gradients');
});
afterAll(() => servers.close());

const STEPS = 20;
const LINK = 'epi/h5n1.birdsCulled=supplychain/eggs.layersLost';
const H5N1 = { 'h5n1.startDay': 0, 'h5n1.seedFarms': 5 };
const COMPOSED = { model: 'epi/h5n1+supplychain/eggs', links: [LINK], populations: { 'epi/h5n1': 'us-layer-farms' }, memberAgents: { 'epi/h5n1': 40 }, seed: 3 };
const composition = () => runtime.compose({ models: ['epi/h5n1', 'supplychain/eggs'], links: [LINK], populations: COMPOSED.populations, agents: COMPOSED.memberAgents });

const mcpCall: BothServers['mcpCall'] = (name, args) => servers.mcpCall(name, args);
const gql: BothServers['gql'] = (query, variables) => servers.gql(query, variables);

/** GraphQL takes params as a list of { name, value } and observed as a list of { metric, values }. */
const gqlInput = ({ params, observed, ...rest }: Record<string, unknown>) => ({
  ...rest,
  ...(params ? { params: Object.entries(params as object).map(([name, value]) => ({ name, value })) } : {}),
  ...(observed ? { observed: Object.entries(observed as object).map(([metric, values]) => ({ metric, values })) } : {}),
});

const SENSITIVITY = 'mutation($input: SensitivityInput!) { sensitivity(input: $input, waitMs: 120000) { status sensitivity { output { metric aggregate value } entries { param gradient } } } }';
const CALIBRATE = 'mutation($input: CalibrateInput!) { calibrate(input: $input, waitMs: 120000) { status calibration { params { name value } loss } } }';

describe('composed models in sensitivity and calibrate over MCP and GraphQL', () => {
  it('d(peak retail egg price)/d(H5N1 parameters) is one sensitivity call, equal to core on the composition', async () => {
    const wrt = ['h5n1.farmToFarmRate', 'h5n1.wildBirdRate'];
    const sim = composition().createSimulation({ seed: COMPOSED.seed, params: H5N1 });
    const direct = await sensitivity(sim, { output: 'eggs.retailPrice:max', steps: STEPS, params: wrt });
    sim.dispose();
    expect(direct.estimator).toBe('stochastic-derivative');
    const byParam = Object.fromEntries(direct.entries.map((e) => [e.param, e.gradient]));
    expect(byParam['h5n1.farmToFarmRate']).not.toBe(0);

    const viaMcp = await mcpCall('sensitivity', { ...COMPOSED, params: H5N1, steps: STEPS, output: 'eggs.retailPrice:max', learnable: wrt, waitSeconds: 120 });
    expect(viaMcp.isError, JSON.stringify(viaMcp.content)).toBeFalsy();
    const r = (viaMcp.structuredContent as { finished: boolean; result: { output: { value: number }; entries: { param: string; gradient: number }[] } });
    expect(r.finished).toBe(true);
    expect(r.result.output.value).toBeCloseTo(direct.output.value, 6);
    for (const e of r.result.entries) expect(e.gradient, e.param).toBeCloseTo(byParam[e.param]!, 6);

    const g = await gql(SENSITIVITY, { input: gqlInput({ ...COMPOSED, params: H5N1, steps: STEPS, output: { metric: 'eggs.retailPrice', aggregate: 'MAX' }, wrt }) });
    expect(g.errors, JSON.stringify(g.errors)).toBeUndefined();
    expect(g.data.sensitivity.status).toBe('DONE');
    expect(g.data.sensitivity.sensitivity.output).toMatchObject({ metric: 'eggs.retailPrice', aggregate: 'MAX' });
    expect(g.data.sensitivity.sensitivity.entries).toHaveLength(2);
    for (const e of g.data.sensitivity.sensitivity.entries) expect(e.gradient, e.param).toBeCloseTo(byParam[e.param]!, 6);
  }, 240_000);

  it('calibrates a member parameter of a composition to observed prices, as core does', async () => {
    // prices the composition makes at another elasticity: the data
    const truthSim = composition().createSimulation({ seed: COMPOSED.seed, params: { ...H5N1, 'eggs.elasticity': -0.1 } });
    const observed = { 'eggs.retailPrice': (await truthSim.run({ steps: STEPS })).metrics['eggs.retailPrice']! };
    truthSim.dispose();
    const options = { fit: ['eggs.elasticity'], epochs: 3, learningRate: 0.01 };
    const sim = composition().createSimulation({ seed: COMPOSED.seed, params: H5N1 });
    const direct = await calibrate(sim, { params: options.fit, observed, epochs: options.epochs, learningRate: options.learningRate });
    sim.dispose();
    const fitted = direct.params['eggs.elasticity'] as number;
    expect(fitted).not.toBe(-0.15);

    const viaMcp = await mcpCall('calibrate', { ...COMPOSED, params: H5N1, observed, learnable: options.fit, epochs: options.epochs, learningRate: options.learningRate, waitSeconds: 120 });
    expect(viaMcp.isError, JSON.stringify(viaMcp.content)).toBeFalsy();
    const r = viaMcp.structuredContent as { finished: boolean; result: { params: Record<string, number>; loss: number } };
    expect(r.finished).toBe(true);
    expect(r.result.params['eggs.elasticity']).toBeCloseTo(fitted, 8);
    expect(r.result.loss).toBeCloseTo(direct.loss, 8);

    const g = await gql(CALIBRATE, { input: gqlInput({ ...COMPOSED, params: H5N1, observed, fit: options.fit, epochs: options.epochs, learningRate: options.learningRate }) });
    expect(g.errors, JSON.stringify(g.errors)).toBeUndefined();
    expect(g.data.calibrate.status).toBe('DONE');
    expect(g.data.calibrate.calibration.params).toEqual([{ name: 'eggs.elasticity', value: r.result.params['eggs.elasticity'] }]);
  }, 240_000);

  it('refuses bad compositions with the same message on both surfaces', async () => {
    const observed = { 'eggs.retailPrice': new Array(10).fill(3) };
    const unlinked = { model: 'epi/h5n1+supplychain/eggs', populations: COMPOSED.populations, memberAgents: COMPOSED.memberAgents, params: H5N1 };
    const sens = { steps: 10, output: 'eggs.retailPrice:max' };
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['sensitivity', { ...COMPOSED, ...sens, links: ['epi/h5n1.birdsCulled=supplychain/eggs.nothing'] }, /link 'eggs.nothing': model 'eggs' \(member 'eggs'\) has no input 'nothing'; its inputs: layersLost/],
      ['calibrate', { ...COMPOSED, observed, links: ['epi/h5n1.birdsCulled=supplychain/eggs.nothing'] }, /has no input 'nothing'/],
      ['sensitivity', { ...unlinked, ...sens, inputs: { 'eggs.layersLost': [1, 2, 3] } }, /input 'eggs.layersLost' of model 'epi\/h5n1\+supplychain\/eggs' has 3 values .*running to step 9 needs 10/],
      ['calibrate', { ...unlinked, observed, inputs: { 'eggs.layersLost': [1, 2, 3] } }, /input 'eggs.layersLost' .* has 3 values .*running to step 9 needs 10/],
      ['sensitivity', { ...COMPOSED, ...sens, learnable: ['eggs.nothing'] }, /has no parameter 'eggs.nothing'/],
    ];
    for (const [tool, args, message] of cases) {
      const m = await mcpCall(tool, args);
      expect(m.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      if (process.env.SHOW_ERRORS) console.log((m.content as { text: string }[])[0]!.text);
      expect((m.content as { text: string }[])[0]!.text).toMatch(message);
      const { output, learnable, ...rest } = args as { output?: string; learnable?: string[] };
      const input = tool === 'sensitivity' ? gqlInput({ ...rest, output: { metric: output!.split(':')[0], aggregate: 'MAX' }, ...(learnable ? { wrt: learnable } : {}) }) : gqlInput(rest);
      const g = await gql(tool === 'sensitivity' ? SENSITIVITY : CALIBRATE, { input });
      expect(g.errors?.[0]?.message, `${tool} ${JSON.stringify(args)}`).toMatch(message);
    }
  }, 120_000);
});
