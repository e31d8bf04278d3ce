/**
 * A run's results as files on the servers: the MCP resources
 * populace://runs/{id}/metrics.parquet and snapshot.parquet (Streamable HTTP
 * on 127.0.0.1) and the GraphQL server's GET /runs/{id}/... routes (HTTP on
 * 127.0.0.1, with a bearer token), read back with hyparquet. The columns are
 * checked against the run store's series and the run record's snapshot, and
 * against a relation the writer knows nothing of: the agents infected in the
 * snapshot after step k are the run's I metric of step k, and S + I + R is
 * the agent count at every step. Both surfaces give the same bytes. Bad
 * input: an unknown run, a run without snapshot, a file over maxFileCells, a
 * missing or wrong token, a foreign origin, a wrong method or file name.
 * Needs the builds: npx turbo run build
 */
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { startGraphqlServer } from '@populace/graphql';
import { startHttpServer } from '@populace/mcp-server';
import { createServerKit, type RunSnapshot } from '@populace/server-kit';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './fixtures/mcp/servers.js';

const TOKEN = 'run-files-test-token-0123456789';
const AGENTS = 600;
const RUN = { model: 'network-sir', population: 'random-graph', agents: AGENTS, steps: 6, seed: 3, params: { beta: 0.3, seedFraction: 0.02 } };
const SNAPSHOT = { states: ['infected', 'age'], steps: [2, 5] };
// snapshot.parquet of 600 agents: 2 steps x 4 columns = 4,800 values, under the limit; of 1,000 agents 8,000, over it
const MAX_FILE_CELLS = 5000;

const kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: path.join(tempDir(), 'files.db'), limits: { maxFileCells: MAX_FILE_CELLS } });
let mcp: Awaited<ReturnType<typeof startHttpServer>>;
let gql: Awaited<ReturnType<typeof startGraphqlServer>>;
let client: Client;
/** With a snapshot; without one; with a snapshot over maxFileCells. */
let withSnapshot: string, plain: string, big: string;
/** The sweep tool's answer: a grid of two beta values, two seeds each. */
let sweep: { runId: string; metrics: string[]; points: { name: string; params: Record<string, number>; runIds: string[]; bands: Record<string, Record<string, (number | null)[]>> }[] };

const arrayBuffer = (bytes: Uint8Array): ArrayBuffer => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
const rowsOf = async (bytes: Uint8Array) => (await parquetReadObjects({ file: arrayBuffer(bytes) })) as Record<string, any>[];
const columnTypes = (bytes: Uint8Array) => Object.fromEntries(parquetMetadata(arrayBuffer(bytes)).schema.slice(1).map((s) => [s.name, s.type]));

async function runSimulation(args: Record<string, unknown>): Promise<string> {
  const result = (await client.callTool({ name: 'run_simulation', arguments: args })) as CallToolResult;
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return (result.structuredContent as { run: { id: string } }).run.id;
}

/** A resource's contents over MCP. */
async function resource(uri: string): Promise<{ mimeType?: string; blob?: string; text?: string }> {
  const { contents } = await client.readResource({ uri });
  expect(contents).toHaveLength(1);
  return contents[0] as { mimeType?: string; blob?: string; text?: string };
}

const origin = () => new URL(gql.url).origin;
const get = (p: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }, method = 'GET') => fetch(origin() + p, { method, headers });

beforeAll(async () => {
  mcp = await startHttpServer({ kit, port: 0 });
  gql = await startGraphqlServer({ kit, port: 0, token: TOKEN, logging: false });
  client = new Client({ name: 'run-files-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url)));
  withSnapshot = await runSimulation({ ...RUN, snapshot: SNAPSHOT });
  plain = await runSimulation(RUN);
  big = await runSimulation({ ...RUN, agents: 1000, snapshot: SNAPSHOT });
  const swept = (await client.callTool({ name: 'sweep', arguments: { ...RUN, agents: 300, steps: 5, params: { seedFraction: 0.02 }, vary: { beta: [0.1, 0.3] }, seeds: 2, seed: 1 } })) as CallToolResult;
  expect(swept.isError, JSON.stringify(swept.content)).toBeFalsy();
  sweep = swept.structuredContent as typeof sweep;
});

afterAll(async () => {
  await client?.close();
  await gql?.close();
  await mcp?.close();
  await kit.close();
  removeTempDirs();
});

describe('run files over MCP and GraphQL', () => {
  it('MCP: metrics.parquet and snapshot.parquet are listed and hold the run\'s series and snapshot', async () => {
    const uris = (await client.listResources()).resources.map((r) => r.uri);
    for (const id of [withSnapshot, plain]) expect(uris).toContain(`populace://runs/${id}/metrics.parquet`);
    expect(uris).toContain(`populace://runs/${withSnapshot}/snapshot.parquet`);
    expect(uris).not.toContain(`populace://runs/${plain}/snapshot.parquet`);

    const metrics = await resource(`populace://runs/${withSnapshot}/metrics.parquet`);
    expect(metrics.mimeType).toBe('application/vnd.apache.parquet');
    const metricBytes = Buffer.from(metrics.blob!, 'base64');
    expect(columnTypes(metricBytes)).toEqual({ step: 'INT32', S: 'DOUBLE', I: 'DOUBLE', R: 'DOUBLE', newInfections: 'DOUBLE' });
    const rows = await rowsOf(metricBytes);
    const stored = kit.store.series(withSnapshot);
    expect(rows.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const m of ['S', 'I', 'R', 'newInfections']) expect(rows.map((r) => r[m]), m).toEqual(stored.series[m]);
    // independent of the writer: every agent is in exactly one of S, I, R
    for (const r of rows) expect(r.S! + r.I! + r.R!).toBe(AGENTS);

    const snapshot = await resource(`populace://runs/${withSnapshot}/snapshot.parquet`);
    expect(snapshot.mimeType).toBe('application/vnd.apache.parquet');
    const snapBytes = Buffer.from(snapshot.blob!, 'base64');
    // infected is a float32 state (0 or 1) of the example model: DOUBLE; age an integer attribute: INT32
    expect(columnTypes(snapBytes)).toEqual({ step: 'INT32', agent: 'INT32', infected: 'DOUBLE', age: 'INT32' });
    const agents = await rowsOf(snapBytes);
    expect(agents).toHaveLength(2 * AGENTS);
    const kept = (kit.store.require(withSnapshot).result as { snapshot: RunSnapshot }).snapshot;
    agents.forEach((row, r) => {
      const k = Math.floor(r / AGENTS);
      expect([row.step, row.agent, row.infected, row.age]).toEqual([SNAPSHOT.steps[k], r % AGENTS, kept.columns[0]!.values[k]![r % AGENTS], kept.columns[1]!.values[k]![r % AGENTS]]);
    });
    // the agents infected after step k, counted in the snapshot file, are the I metric of step k in the metrics file
    for (const step of SNAPSHOT.steps) {
      const infected = agents.filter((row) => row.step === step).reduce((a, row) => a + row.infected!, 0);
      expect(infected, `I at step ${step}`).toBe(rows[step - 1]!.I);
    }
    expect(rows[1]!.I).toBeGreaterThan(0);
  });

  it("MCP: a sweep's bands.parquet holds the quantiles of its runs' series", async () => {
    expect((await client.listResources()).resources.map((r) => r.uri)).toContain(`populace://runs/${sweep.runId}/bands.parquet`);
    const file = await resource(`populace://runs/${sweep.runId}/bands.parquet`);
    expect(file.mimeType).toBe('application/vnd.apache.parquet');
    const bytes = Buffer.from(file.blob!, 'base64');
    expect(columnTypes(bytes)).toEqual({ point: 'BYTE_ARRAY', beta: 'DOUBLE', metric: 'BYTE_ARRAY', step: 'INT32', median: 'DOUBLE', q25: 'DOUBLE', q75: 'DOUBLE', q025: 'DOUBLE', q975: 'DOUBLE' });
    const rows = await rowsOf(bytes);
    expect(rows).toHaveLength(2 * 4 * 5); // points x metrics x steps
    // the sweep tool's bands, row by row
    const expected = sweep.points.flatMap((p) => sweep.metrics.flatMap((m) => p.bands[m]!.median!.map((_, i) => ({ point: p.name, beta: p.params.beta, metric: m, step: i + 1, median: p.bands[m]!.median![i], q25: p.bands[m]!.q25![i], q75: p.bands[m]!.q75![i], q025: p.bands[m]!.q025![i], q975: p.bands[m]!.q975![i] }))));
    expect(rows).toEqual(expected);
    // and, computed here from the two runs of each point: the median of two values is their mean,
    // the 2.5% quantile (type 7) lies 2.5% of the way from the lower to the higher
    for (const p of sweep.points) {
      expect(p.runIds).toHaveLength(2);
      const [a, b] = p.runIds.map((id) => kit.store.series(id).series.I!);
      rows.filter((r) => r.point === p.name && r.metric === 'I').forEach((r, i) => {
        const [lo, hi] = [Math.min(a![i]!, b![i]!), Math.max(a![i]!, b![i]!)];
        expect(r.median).toBeCloseTo((lo + hi) / 2, 9);
        expect(r.q025).toBeCloseTo(lo + 0.025 * (hi - lo), 9);
      });
    }
    expect(rows.filter((r) => r.metric === 'R' && r.step === 5).map((r) => r.beta)).toEqual([0.1, 0.3]);
    await expect(client.readResource({ uri: `populace://runs/${plain}/bands.parquet` })).rejects.toThrow(`run '${plain}' has no bands: it is a run job; bands are a sweep's (sweep, run_scenarios).`);
  });

  it('MCP: an unknown run, a run without snapshot and a file over maxFileCells are errors saying what was expected', async () => {
    await expect(client.readResource({ uri: 'populace://runs/run-nothere/metrics.parquet' })).rejects.toThrow(/unknown run 'run-nothere'/);
    await expect(client.readResource({ uri: 'populace://runs/run-nothere/snapshot.parquet' })).rejects.toThrow(/unknown run 'run-nothere'/);
    await expect(client.readResource({ uri: `populace://runs/${plain}/snapshot.parquet` })).rejects.toThrow(
      `run '${plain}' has no per-agent snapshot: it was started without a snapshot request ({ states, steps }). Its files: metrics.csv, metrics.parquet.`,
    );
    await expect(client.readResource({ uri: `populace://runs/${big}/snapshot.parquet` })).rejects.toThrow(
      `values in snapshot.parquet of run '${big}' (1,000 agents x 2 steps x 4 columns) is 8,000, over this server's limit of 5,000 (maxFileCells).`,
    );
  });

  it('GraphQL: GET /runs/{id}/... with the token gives the same files as MCP; Run.files gives their URLs', async () => {
    const query = async (q: string) => (await (await fetch(gql.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ query: q }) })).json()) as { data?: any; errors?: unknown[] };
    const files = await query(`{ a: run(id: "${withSnapshot}") { files { metricsCsv metricsParquet snapshotParquet } } b: run(id: "${plain}") { files { metricsParquet snapshotParquet } } }`);
    expect(files.errors).toBeUndefined();
    expect(files.data.a.files).toEqual({ metricsCsv: `/runs/${withSnapshot}/metrics.csv`, metricsParquet: `/runs/${withSnapshot}/metrics.parquet`, snapshotParquet: `/runs/${withSnapshot}/snapshot.parquet` });
    expect(files.data.b.files).toEqual({ metricsParquet: `/runs/${plain}/metrics.parquet`, snapshotParquet: null });
    const swept = await query(`{ run(id: "${sweep.runId}") { files { metricsParquet snapshotParquet bandsParquet } } }`);
    expect(swept.data.run.files).toEqual({ metricsParquet: null, snapshotParquet: null, bandsParquet: `/runs/${sweep.runId}/bands.parquet` });
    const bands = await get(swept.data.run.files.bandsParquet);
    expect(bands.status).toBe(200);
    expect(Buffer.from(await bands.arrayBuffer()).equals(Buffer.from((await resource(`populace://runs/${sweep.runId}/bands.parquet`)).blob!, 'base64'))).toBe(true);

    for (const [url, uri] of [[files.data.a.files.metricsParquet, 'metrics.parquet'], [files.data.a.files.snapshotParquet, 'snapshot.parquet']] as const) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/vnd.apache.parquet');
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${withSnapshot}-${uri}"`);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(Number(response.headers.get('content-length'))).toBe(bytes.byteLength);
      expect(bytes.equals(Buffer.from((await resource(`populace://runs/${withSnapshot}/${uri}`)).blob!, 'base64')), uri).toBe(true);
    }
    const csv = await get(files.data.a.files.metricsCsv);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await csv.text();
    expect(text).toBe((await resource(`populace://runs/${withSnapshot}/metrics.csv`)).text);
    expect(text.split('\n')[3]!.split(',').map(Number)).toEqual([3, ...['S', 'I', 'R', 'newInfections'].map((m) => kit.store.series(withSnapshot).series[m]![2])]);
    // HEAD: the headers alone
    const head = await get(files.data.a.files.metricsParquet, undefined, 'HEAD');
    expect([head.status, head.headers.get('content-type'), (await head.arrayBuffer()).byteLength]).toEqual([200, 'application/vnd.apache.parquet', 0]);
  });

  it('GraphQL: no token, a wrong token or a foreign origin are refused; unknown runs, missing files and a file over the limit are JSON errors', async () => {
    const url = `/runs/${withSnapshot}/metrics.parquet`;
    const error = async (response: Response) => {
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string; details?: Record<string, unknown> } }[] };
      expect(body.errors[0]!.message).not.toMatch(/\n\s+at /); // no stack trace
      return { status: response.status, ...body.errors[0]! };
    };
    const none = await error(await get(url, {}));
    expect(none).toMatchObject({ status: 401, extensions: { code: 'UNAUTHENTICATED' } });
    expect(none.message).toContain('the request had no bearer token');
    expect(await error(await get(url, { authorization: 'Bearer wrong-token-0123456789abc' }))).toMatchObject({ status: 401, message: expect.stringContaining('a wrong bearer token') });
    expect(await error(await get(url, { authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' }))).toMatchObject({ status: 403, extensions: { code: 'FORBIDDEN' } });

    const unknown = await error(await get('/runs/run-nothere/metrics.parquet'));
    expect(unknown).toMatchObject({ status: 404, extensions: { code: 'UNKNOWN_ID' } });
    expect(unknown.message).toContain("unknown run 'run-nothere'");
    const noSnapshot = await error(await get(`/runs/${plain}/snapshot.parquet`));
    expect(noSnapshot).toMatchObject({ status: 404, extensions: { code: 'NOT_FOUND', details: { files: ['metrics.csv', 'metrics.parquet'] } } });
    expect(noSnapshot.message).toContain(`run '${plain}' has no per-agent snapshot`);
    const over = await error(await get(`/runs/${big}/snapshot.parquet`));
    expect(over).toMatchObject({ status: 413, extensions: { code: 'LIMIT_EXCEEDED', details: { limit: 'maxFileCells', max: MAX_FILE_CELLS, received: 8000 } } });
    expect(over.message).toContain('The operator can raise it with --max-file-cells.');
    const badName = await error(await get(`/runs/${withSnapshot}/metrics.xlsx`));
    expect(badName).toMatchObject({ status: 404, extensions: { code: 'NOT_FOUND' } });
    expect(badName.message).toContain("A run's files are /runs/{id}/metrics.csv, /runs/{id}/metrics.parquet, /runs/{id}/snapshot.parquet, /runs/{id}/bands.parquet.");
    const post = await get(url, { authorization: `Bearer ${TOKEN}` }, 'POST');
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(await error(post)).toMatchObject({ status: 405, extensions: { code: 'METHOD_NOT_ALLOWED' } });
  });
});
