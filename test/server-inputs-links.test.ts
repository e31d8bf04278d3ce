/**
 * Model inputs and composed models with links over MCP (Streamable HTTP) and GraphQL (HTTP), both on
 * 127.0.0.1 against one server kit with epi and supplychain: a run given an inline input series, and
 * epi/h5n1+supplychain/eggs with a link, equal the same runs made in process with core; bad inputs
 * and links are refused with the same messages on both surfaces.
 * Needs the builds of core, server-kit, mcp-server, graphql, models-epi and models-supplychain.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createRuntime } from '@populace/core';
import epi from '@populace/models-epi';
import supplychain from '@populace/models-supplychain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBothServers, type BothServers } from './fixtures/both-servers.js';

const runtime = createRuntime({ plugins: [epi, supplychain], backend: 'cpu' });
let servers: BothServers;
beforeAll(async () => {
  servers = await startBothServers(runtime, 'inputs');
});
afterAll(() => servers.close());

const STEPS = 40;
const CULLS = Array.from({ length: STEPS }, (_, t) => (t >= 5 && t < 15 ? 2e6 : 0));
const COMPOSED = { model: 'epi/h5n1+supplychain/eggs', links: ['epi/h5n1.birdsCulled=supplychain/eggs.layersLost'], populations: { 'epi/h5n1': 'us-layer-farms' }, memberAgents: { 'epi/h5n1': 80 }, params: { 'h5n1.startDay': 0, 'h5n1.seedFarms': 5 }, seed: 3, steps: STEPS };

async function reference(kind: 'input' | 'composed'): Promise<Record<string, number[]>> {
  const sim =
    kind === 'input'
      ? runtime.createSimulation({ model: 'supplychain/eggs', seed: 1, inputs: { layersLost: CULLS } })
      : runtime.compose({ models: ['epi/h5n1', 'supplychain/eggs'], links: COMPOSED.links, populations: COMPOSED.populations, agents: COMPOSED.memberAgents }).createSimulation({ seed: 3, params: COMPOSED.params });
  try {
    return (await sim.run({ steps: STEPS })).metrics;
  } finally {
    sim.dispose();
  }
}

async function viaMcp(args: Record<string, unknown>): Promise<Record<string, (number | null)[]>> {
  const run = (await servers.mcpCall('run_simulation', { ...args, waitSeconds: 120 })) as CallToolResult;
  expect(run.isError, JSON.stringify(run.content)).toBeFalsy();
  const { id, status } = (run.structuredContent as { run: { id: string; status: string } }).run;
  expect(status).toBe('done');
  const m = (await servers.mcpCall('get_metrics', { runId: id })) as CallToolResult;
  return (m.structuredContent as { series: Record<string, (number | null)[]> }).series;
}

const gql: BothServers['gql'] = (query, variables) => servers.gql(query, variables);

/** GraphQL takes params as a list of { name, value }. */
const gqlInput = ({ params, ...rest }: Record<string, unknown>) => ({ ...rest, ...(params ? { params: Object.entries(params).map(([name, value]) => ({ name, value })) } : {}) });

async function viaGraphql(args: Record<string, unknown>): Promise<Record<string, number[]>> {
  const input = gqlInput(args);
  const r = await gql('mutation($input: StartRunInput!) { startRun(input: $input, waitMs: 120000) { id status metrics { series { name values } } } }', { input });
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  expect(r.data.startRun.status).toBe('DONE');
  return Object.fromEntries(r.data.startRun.metrics.series.map((s: { name: string; values: number[] }) => [s.name, s.values]));
}

const expectSame = (got: Record<string, (number | null)[]>, want: Record<string, number[]>, names: string[]) => {
  for (const n of names) {
    expect(got[n], n).toHaveLength(STEPS);
    got[n]!.forEach((v, t) => expect(Math.abs(v! - want[n]![t]!), `${n} step ${t}`).toBeLessThanOrEqual(1e-6 * Math.abs(want[n]![t]!)));
  }
};

describe('inputs and links over MCP and GraphQL', () => {
  it('runs a model on an inline input series, as core does', async () => {
    const want = await reference('input');
    const args = { model: 'supplychain/eggs', seed: 1, steps: STEPS, inputs: { layersLost: CULLS } };
    expectSame(await viaMcp(args), want, ['layersLost', 'retailPrice', 'wholesalePrice']);
    expectSame(await viaGraphql(args), want, ['layersLost', 'retailPrice']);
    expect(Math.max(...want.wholesalePrice!)).toBeGreaterThan(want.wholesalePrice![0]! * 1.05);
  }, 120_000);

  it('runs a composed model with a link, as core does', async () => {
    const want = await reference('composed');
    expect(want['h5n1.birdsCulled']!.some((v) => v > 0)).toBe(true);
    const names = ['h5n1.birdsCulled', 'eggs.layersLost', 'eggs.retailPrice'];
    expectSame(await viaMcp(COMPOSED), want, names);
    expectSame(await viaGraphql(COMPOSED), want, names);
  }, 120_000);

  it('refuses bad inputs and links with the same message on both surfaces', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ model: 'supplychain/eggs', steps: 10, inputs: { layersLots: 0 } }, /model 'supplychain\/eggs' has no input 'layersLots'\. Did you mean 'layersLost'\?/],
      [{ model: 'supplychain/eggs', steps: 10, inputs: { layersLost: [1, 2, 3] } }, /input 'layersLost' of model 'supplychain\/eggs' has 3 values .* running to step 9 needs 10/],
      [{ model: 'supplychain/eggs', steps: 10, links: ['a.b=c.d'] }, /model: expected models joined by '\+'/],
      [{ ...COMPOSED, links: ['epi/h5n1.birdsCulled=supplychain/eggs.nothing'] }, /nothing/],
      [{ ...COMPOSED, population: 'us-layer-farms' }, /population: expected nothing in a composed run/],
    ];
    for (const [args, message] of cases) {
      const m = (await servers.mcpCall('run_simulation', args)) as CallToolResult;
      expect(m.isError, JSON.stringify(args)).toBe(true);
      expect((m.content as { text: string }[])[0]!.text).toMatch(message);
      const g = await gql('mutation($input: StartRunInput!) { startRun(input: $input) { id } }', { input: gqlInput(args) });
      expect(g.errors?.[0]?.message, JSON.stringify(args)).toMatch(message);
    }
    // MCP's schema bounds the series length before the server kit sees it
    const long = (await servers.mcpCall('run_simulation', { model: 'supplychain/eggs', inputs: { layersLost: new Array(100_001).fill(0) } })) as CallToolResult;
    expect(long.isError).toBe(true);
  }, 120_000);
});
