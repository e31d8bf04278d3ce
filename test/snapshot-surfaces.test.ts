/**
 * Per-agent snapshots on every surface: run_simulation over MCP (Streamable
 * HTTP on 127.0.0.1), startRun over GraphQL (HTTP on 127.0.0.1) and
 * `populace run --snapshot --snapshot-out` (Parquet read back with
 * hyparquet, CSV and JSON) give the same values for the same run, and those
 * values agree with an independent reading: the count of susceptible
 * (infected, recovered) agents in the snapshot at step k is the run's S (I,
 * R) metric of step k. Bad input is refused on each surface: an unknown
 * state (with the valid names), a step past the run, a snapshot over the
 * size limit. Needs the builds: npx turbo run build
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { startGraphqlServer } from '@populace/graphql';
import { startHttpServer } from '@populace/mcp-server';
import { createServerKit, type RunSnapshot } from '@populace/server-kit';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { expectUsageError, runCli } from './fixtures/cli/harness.js';
import { removeTempDirs as removeProjects, tempProject } from './fixtures/cli/projects.js';
import { removeTempDirs, tempDir } from './fixtures/mcp/servers.js';

afterAll(async () => {
  removeTempDirs();
  await removeProjects();
});

const RUN = { model: 'network-sir', population: 'random-graph', agents: 600, steps: 8, seed: 5, params: { beta: 0.3, seedFraction: 0.02 } };
const SNAPSHOT = { states: ['susceptible', 'infected', 'recovered', 'age'], steps: [2, 5, 8] };
const CLI_RUN = ['run', 'example/network-sir', '--population', 'example/random-graph', '--agents', '600', '--steps', '8', '--seed', '5', '--param', 'beta=0.3', '--param', 'seedFraction=0.02'];
const sum = (values: readonly (number | null)[]) => values.reduce<number>((a, b) => a + (b ?? 0), 0);

describe('per-agent snapshots on every surface', () => {
  it('MCP, GraphQL and the CLI return the same snapshot, whose counts are the run\'s metrics; bad input refused on each', async () => {
    // 600 agents x 4 states x 3 steps = 7,200 values, under this server's limit of 8,000
    const kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: path.join(tempDir(), 'snap.db'), limits: { maxSnapshotCells: 8000 } });
    const mcp = await startHttpServer({ kit, port: 0 });
    const gql = await startGraphqlServer({ kit, port: 0 });
    const client = new Client({ name: 'snap-test', version: '1' });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url)));
      const call = async (args: Record<string, unknown>) => (await client.callTool({ name: 'run_simulation', arguments: args })) as CallToolResult;

      // MCP: the snapshot is the run's result, its counts the stored metrics
      const viaMcp = await call({ ...RUN, snapshot: SNAPSHOT });
      expect(viaMcp.isError, JSON.stringify(viaMcp.content)).toBeFalsy();
      const run = (viaMcp.structuredContent as { run: { id: string; result: { snapshot: RunSnapshot } } }).run;
      const snap = run.result.snapshot;
      expect(snap).toMatchObject({ agentType: 'people', agents: 600, steps: [2, 5, 8] });
      const { series } = kit.store.series(run.id);
      snap.steps.forEach((step, k) => {
        expect(sum(snap.columns[0]!.values[k]!), `S at step ${step}`).toBe(series.S![step - 1]);
        expect(sum(snap.columns[1]!.values[k]!), `I at step ${step}`).toBe(series.I![step - 1]);
        expect(sum(snap.columns[2]!.values[k]!), `R at step ${step}`).toBe(series.R![step - 1]);
      });
      // the epidemic moved: not the same state at every step
      expect(series.R![7]!).toBeGreaterThan(series.R![1]!);
      expect((viaMcp.content[0] as { text: string }).text).toContain('Snapshot: susceptible, infected, recovered, age of 600 agents (people) after steps 2, 5, 8');
      const got = (await client.callTool({ name: 'get_run', arguments: { runId: run.id } })) as CallToolResult;
      expect(JSON.stringify(got.structuredContent)).toContain(JSON.stringify(snap));

      // MCP: bad input
      const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;
      const unknown = await call({ ...RUN, snapshot: { states: ['status'], steps: [2] } });
      expect(unknown.isError).toBe(true);
      expect(text(unknown)).toContain("snapshot: unknown state 'status'.");
      expect(text(unknown)).toContain("states of agent type 'people': susceptible, infected, recovered; population attributes: age");
      expect(text(await call({ ...RUN, snapshot: { states: ['infected'], steps: [9] } }))).toContain("snapshot: steps: expected whole numbers from 1 to 8 (the run's steps), received 9.");
      const over = await call({ ...RUN, snapshot: { states: SNAPSHOT.states, steps: [2, 5, 7, 8] } });
      expect(text(over)).toContain('run_simulation failed (limit-exceeded): snapshot: 600 agents x 4 states x 4 steps = 9,600 values, over the limit of 8,000 (maxSnapshotCells).');

      // GraphQL: the same run gives the same snapshot
      const post = async (query: string, variables: Record<string, unknown>) => (await (await fetch(gql.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json()) as { data?: any; errors?: any[] };
      const START = 'mutation($input: StartRunInput!) { startRun(input: $input, waitMs: 60000) { id status snapshot { agentType agents steps columns { name integer values } } } }';
      // GraphQL takes params as a list of { name, value }
      const gqlRun = await post(START, { input: { ...RUN, params: [{ name: 'beta', value: 0.3 }, { name: 'seedFraction', value: 0.02 }], snapshot: SNAPSHOT } });
      expect(gqlRun.errors, JSON.stringify(gqlRun.errors)).toBeUndefined();
      expect(gqlRun.data.startRun.status).toBe('DONE');
      expect(gqlRun.data.startRun.snapshot).toEqual(snap);
      const runQuery = await post('query($id: ID!) { run(id: $id) { snapshot { steps } } }', { id: run.id });
      expect(runQuery.data.run.snapshot.steps).toEqual([2, 5, 8]);
      // GraphQL: bad input
      const gqlUnknown = await post(START, { input: { ...RUN, params: undefined, snapshot: { states: ['status'], steps: [2] } } });
      expect(gqlUnknown.errors![0]).toMatchObject({ extensions: { code: 'INVALID_ARGUMENT' } });
      expect(gqlUnknown.errors![0].message).toContain('population attributes: age');
      const gqlZero = await post(START, { input: { ...RUN, params: undefined, snapshot: { states: ['infected'], steps: [0] } } });
      expect(gqlZero.errors![0].message).toBe('run_simulation: snapshot.steps.0: expected at least 1 (received 0).');
      const gqlLate = await post(START, { input: { ...RUN, params: undefined, snapshot: { states: ['infected'], steps: [9] } } });
      expect(gqlLate.errors![0].message).toContain('from 1 to 8');
      const gqlOver = await post(START, { input: { ...RUN, params: undefined, agents: 1000, snapshot: SNAPSHOT } });
      expect(gqlOver.errors![0]).toMatchObject({ extensions: { code: 'LIMIT_EXCEEDED' } });
      expect(gqlOver.errors![0].message).toContain('1,000 agents x 4 states x 3 steps = 12,000 values, over the limit of 8,000 (maxSnapshotCells)');

      // the CLI: Parquet (read back with hyparquet), CSV and JSON of the same run
      const cwd = await tempProject();
      const cli = (argv: string[]) => runCli(argv, { cwd });
      const parquet = await cli([...CLI_RUN, '--snapshot', 'susceptible,infected,recovered,age@2,5,8', '--snapshot-out', 'agents.parquet']);
      expect([parquet.code, parquet.stderr]).toEqual([0, '']);
      expect(parquet.stdout).toContain(`snapshot: susceptible, infected, recovered, age of 600 agents after steps 2, 5, 8 written to ${path.join(cwd, 'agents.parquet')}`);
      const bytes = readFileSync(path.join(cwd, 'agents.parquet'));
      const rows = (await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) })) as Record<string, number>[];
      expect(rows).toHaveLength(3 * 600);
      expect(Object.keys(rows[0]!)).toEqual(['step', 'agent', 'susceptible', 'infected', 'recovered', 'age']);
      rows.forEach((row, r) => {
        const k = Math.floor(r / 600);
        expect([row.step, row.agent]).toEqual([snap.steps[k], r % 600]);
        snap.columns.forEach((c) => expect(Number(row[c.name])).toBe(c.values[k]![r % 600]));
      });
      const csv = await cli([...CLI_RUN, '--snapshot', 'infected,age@5', '--snapshot-out', 'agents.csv', '--json']);
      expect([csv.code, csv.stderr]).toEqual([0, '']);
      const lines = readFileSync(path.join(cwd, 'agents.csv'), 'utf8').trim().split('\n');
      expect(lines[0]).toBe('step,agent,infected,age');
      expect(lines.slice(1).map((l) => l.split(',').map(Number))).toEqual(snap.columns[1]!.values[1]!.map((v, i) => [5, i, v, snap.columns[3]!.values[1]![i]]));
      const json = await cli([...CLI_RUN, '--snapshot', SNAPSHOT.states.join(',') + '@8,2,5', '--snapshot-out', 'agents.json']);
      expect(json.code).toBe(0);
      expect(JSON.parse(readFileSync(path.join(cwd, 'agents.json'), 'utf8'))).toEqual(snap);

      // the CLI: bad input, refused before anything runs
      expectUsageError(await cli([...CLI_RUN, '--snapshot', 'status@2', '--snapshot-out', 'x.parquet']), "--snapshot: unknown state 'status'.", 'population attributes: age');
      expectUsageError(await cli([...CLI_RUN, '--snapshot', 'infected@9', '--snapshot-out', 'x.parquet']), "--snapshot: steps: expected whole numbers from 1 to 8 (the run's steps), received 9.");
      const cliOver = await cli([...CLI_RUN, '--snapshot', 'infected,age@1,2', '--snapshot-out', 'x.parquet', '--max-snapshot-cells', '2000']);
      expect(cliOver.code).not.toBe(0);
      expect(cliOver.stderr).toContain('--snapshot: 600 agents x 2 states x 2 steps = 2,400 values, over the limit of 2,000 (--max-snapshot-cells).');
      expectUsageError(await cli([...CLI_RUN, '--snapshot', 'infected']), '--snapshot needs --snapshot-out');
      expectUsageError(await cli([...CLI_RUN, '--snapshot', 'infected', '--snapshot-out', 'x.csv']), '--snapshot: expected names@steps such as status,age@10,20,30');
      expectUsageError(await cli([...CLI_RUN, '--snapshot-out', 'x.csv']), '--snapshot-out needs --snapshot');
      expect(() => readFileSync(path.join(cwd, 'x.parquet'))).toThrow();
    } finally {
      await client.close();
      await gql.close();
      await mcp.close();
      await kit.close();
    }
  });
});
