/**
 * Every surface derived from server-kit's OPERATIONS agrees: the MCP server
 * (Streamable HTTP on 127.0.0.1) lists each operation with its description
 * and input keys and refuses unknown keys naming the valid ones; GraphQL
 * (HTTP on 127.0.0.1) and the CLI (the built bin) take the same sweep input
 * and return the same bands as MCP; the CLI's sweep options are the input's.
 * Needs the builds: npx turbo run build
 */
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { sweepCommand } from '../packages/cli/src/commands/sweep.js';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { startGraphqlServer } from '@populace/graphql';
import { startHttpServer } from '@populace/mcp-server';
import { createServerKit, OPERATIONS, wireInput } from '@populace/server-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli } from './fixtures/cli/harness.js';
import { removeTempDirs as removeProjects, tempProject } from './fixtures/cli/projects.js';
import { removeTempDirs, tempDir } from './fixtures/mcp/servers.js';

afterAll(async () => {
  removeTempDirs();
  await removeProjects();
});

const INPUT = { model: 'network-sir', population: 'random-graph', agents: 400, steps: 5, seed: 7, seeds: 3, vary: { beta: [0.05, 0.25] } };

describe('operations on every surface', () => {
  it('MCP, GraphQL and the CLI expose each operation identically and agree on a sweep', async () => {
    const kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: path.join(tempDir(), 'ops.db'), concurrency: 2 });
    const mcp = await startHttpServer({ kit, port: 0 });
    const gql = await startGraphqlServer({ kit, port: 0 });
    const client = new Client({ name: 'ops-test', version: '1' });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url)));
      const { tools } = await client.listTools();
      for (const op of OPERATIONS) {
        const tool = tools.find((t) => t.name === op.name)!;
        expect(tool, op.name).toBeDefined();
        expect(tool.description).toBe(op.description);
        expect(Object.keys(tool.inputSchema.properties ?? {})).toEqual(Object.keys(wireInput(op).shape));
        expect(tool.inputSchema.additionalProperties).toBe(false);
        expect(tool.annotations?.readOnlyHint).toBe(op.readOnly);
      }
      const unknown = (await client.callTool({ name: 'sweep', arguments: { ...INPUT, labl: 'x' } })) as CallToolResult;
      expect(unknown.isError).toBe(true);
      expect((unknown.content[0] as { text: string }).text).toContain("unknown key 'labl'; valid keys: model, population, agents, steps, seed, seeds, params, vary, schedules, label");

      const viaMcp = ((await client.callTool({ name: 'sweep', arguments: INPUT })) as CallToolResult).structuredContent as { points: { name: string; bands: unknown }[] };
      expect(viaMcp.points.map((p) => p.name)).toEqual(['beta=0.05', 'beta=0.25']);

      const post = async (query: string, variables: Record<string, unknown>) => (await (await fetch(gql.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json()) as { data?: any; errors?: any[] };
      const SWEEP = 'mutation($input: SweepInput!) { sweep(input: $input) { status seeds points { name params runsDone bands } } }';
      const viaGql = await post(SWEEP, { input: INPUT });
      expect(viaGql.errors).toBeUndefined();
      expect(viaGql.data.sweep.seeds).toEqual([7, 8, 9]);
      expect(viaGql.data.sweep.points.map((p: { bands: unknown }) => p.bands)).toEqual(viaMcp.points.map((p) => p.bands));
      const bad = await post(SWEEP, { input: { ...INPUT, seeds: 0 } });
      expect(bad.errors![0]).toMatchObject({ extensions: { code: 'INVALID_ARGUMENT' } });
      expect(bad.errors![0].message).toBe('sweep: seeds: expected at least 1 (received 0).');
      const strict = await post(SWEEP, { input: { ...INPUT, labl: 'x' } });
      expect(strict.errors![0].message).toMatch(/"labl" is not defined by type "SweepInput"/);
      const costly = await post(SWEEP, { input: { ...INPUT, agents: 1_000_000, steps: 1000, seeds: 50 } });
      expect(costly.errors![0]).toMatchObject({ extensions: { code: 'LIMIT_EXCEEDED' } });

      // a schedule: the same over MCP (run_simulation and sweep), GraphQL and the CLI
      const SCHEDULED = { ...INPUT, vary: undefined, seeds: 2, schedules: { beta: [{ step: 0, value: 0.3 }, { step: 2, value: 0 }] } };
      const mcpSweep = ((await client.callTool({ name: 'sweep', arguments: SCHEDULED })) as CallToolResult).structuredContent as typeof viaMcp;
      const gqlSweep = await post('mutation($input: SweepInput!) { sweep(input: $input) { points { bands } } }', { input: SCHEDULED });
      expect(gqlSweep.data.sweep.points[0].bands).toEqual(mcpSweep.points[0]!.bands);
      const run = ((await client.callTool({ name: 'run_simulation', arguments: { model: 'network-sir', population: 'random-graph', agents: 400, steps: 5, seed: 7, schedules: SCHEDULED.schedules } })) as CallToolResult).structuredContent as { run: { id: string; options: unknown } };
      expect(run.run.options).toEqual({ schedules: SCHEDULED.schedules });
      expect(kit.store.series(run.run.id).series.newInfections!.slice(2)).toEqual([0, 0, 0]);
      const started = await post('mutation($input: StartRunInput!) { startRun(input: $input, waitMs: 60000) { id status } }', { input: { model: 'network-sir', population: 'random-graph', agents: 400, steps: 5, seed: 7, schedules: SCHEDULED.schedules } });
      expect(started.data.startRun.status).toBe('DONE');
      expect(kit.store.series(started.data.startRun.id).series).toEqual(kit.store.series(run.run.id).series);
      const gqlBad = await post('mutation($input: StartRunInput!) { startRun(input: $input) { id } }', { input: { model: 'network-sir', schedules: { beta: [{ step: 0, value: 0.1 }, { step: 0, value: 0.2 }] } } });
      expect(gqlBad.errors![0]).toMatchObject({ extensions: { code: 'INVALID_PARAM' } });
      const badSchedule = (await client.callTool({ name: 'run_simulation', arguments: { model: 'network-sir', schedules: { beta: [{ step: 3, value: 0.1 }] } } })) as CallToolResult;
      expect((badSchedule.content[0] as { text: string }).text).toContain('the first change must be at step 0');

      const cwd = await tempProject();
      const cliScheduled = await spawnCli(['sweep', 'example/network-sir', '--population', 'example/random-graph', '--agents', '400', '--steps', '5', '--seeds', '7..8', '--param', 'beta=0.3@0,0@2', '--json'], cwd);
      expect(cliScheduled.stderr).toBe('');
      expect((JSON.parse(cliScheduled.stdout) as typeof viaMcp).points[0]!.bands).toEqual(mcpSweep.points[0]!.bands);
      const cli = await spawnCli(['sweep', 'example/network-sir', '--population', 'example/random-graph', '--agents', '400', '--steps', '5', '--seeds', '7..9', '--vary', 'beta=0.05,0.25', '--json'], cwd);
      expect(cli.stderr).toBe('');
      expect((JSON.parse(cli.stdout) as typeof viaMcp).points.map((p) => p.bands)).toEqual(viaMcp.points.map((p) => p.bands));
      // list_backends: the same rows over MCP, GraphQL and `populace backends --json` (probed in a child process, so no backend's output reaches a transport)
      const mcpBackends = ((await client.callTool({ name: 'list_backends', arguments: {} })) as CallToolResult).structuredContent as { backends: { name: string; usable: boolean }[] };
      expect(mcpBackends.backends.find((b) => b.name === 'cpu')).toMatchObject({ installed: true, usable: true });
      const gqlBackends = await post('{ listBackends { backends { name package installed usable kernels reason checks { name ok maxError error } } } }', {});
      expect(gqlBackends.errors).toBeUndefined();
      const strip = (rows: unknown) => JSON.parse(JSON.stringify(rows, (_k, v) => (v === null ? undefined : v)));
      expect(strip(gqlBackends.data.listBackends.backends)).toEqual(strip(mcpBackends.backends));
      // the CLI probes in its own process: a GPU backend's backward kernels add with float atomics in no fixed
      // order (webgpu's hashedGather gradient), so its maxError may differ from the server's by a float32
      // rounding (CI once gave 2.4e-7 against 1.2e-7); everything else is the same
      const cliBackends = await spawnCli(['backends', '--json'], cwd);
      const nearErrors = (rows: unknown) => JSON.parse(JSON.stringify(rows), (k, v) => (k === 'maxError' && typeof v === 'number' ? expect.closeTo(v, 6) : v));
      expect(JSON.parse(cliBackends.stdout)).toEqual(nearErrors(mcpBackends.backends));
      const sweep = OPERATIONS.find((o) => o.name === 'sweep')!;
      // every field is an option, but schedules: they are written --param name=value@step,... as for run
      const fields = Object.keys(sweep.input.shape).filter((k) => k !== 'model' && k !== 'schedules').map((k) => (k === 'params' ? 'param' : k));
      for (const f of fields) expect(Object.keys(sweepCommand.options)).toContain(f);
    } finally {
      await client.close();
      await gql.close();
      await mcp.close();
      await kit.close();
    }
  });
});
