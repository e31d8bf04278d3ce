// The GraphQL server under the security probe's heavy requests, on loopback: while one
// populationStats on nyc at --agents (default 2,000,000) runs, a `{ models { id } }` is sent every
// 50 ms; reports the longest event-loop stall (perf_hooks histogram), the slowest and the number
// of those small answers, the time and size of the big answer, RSS before/peak/after, and what the
// probe's other requests get (twenty 2M aliases, a million __typename aliases, three unbounded
// series, a 10 MB argument). `--in-thread` builds in the server's thread (the behaviour before
// the worker builder). Needs the builds (npm run build).
// Usage: node bench/graphql-stall.mjs [--agents N] [--in-thread] [--json]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import populations from '@populace/populations';
import { createPopulationBuilder, createServerKit } from '@populace/server-kit';
import { startGraphqlServer } from '@populace/graphql';
import { flag, PeakRss } from './lib/measure.mjs';

const args = process.argv.slice(2);
const agents = Number(flag(args, 'agents', 2_000_000));
const inThread = args.includes('--in-thread');
const dir = mkdtempSync(path.join(tmpdir(), 'populace-stall-'));
const kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin, populations], backend: 'cpu' }), db: path.join(dir, 'runs.db'), concurrency: 2 });
const populationBuilder = inThread ? undefined : createPopulationBuilder({ source: { modules: [import.meta.resolve('@populace/populations')] } });
const server = await startGraphqlServer({ kit, port: 0, logging: false, yoga: { populationBuilder } });
const post = async (query, extra = {}) => {
  const t = performance.now();
  const r = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, ...extra }) });
  const text = await r.text();
  return { status: r.status, ms: Math.round(performance.now() - t), bytes: text.length, code: /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? null };
};

const peak = new PeakRss();
const rssBeforeMb = Math.round(process.memoryUsage().rss / 1e6);
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
let pings = 0;
let slowestPingMs = 0;
let running = true;
const pinger = (async () => {
  while (running) {
    const r = await post('{ models { id } }');
    pings += 1;
    slowestPingMs = Math.max(slowestPingMs, r.ms);
    await new Promise((res) => setTimeout(res, 50));
  }
})();
const big = await post(`{ populationStats(input: { population: "nyc", agents: ${agents}, groupBy: ["ageBand"], measures: [{ attribute: "income", stats: [MEDIAN] }] }) { total rows { count } } }`);
running = false;
await pinger;
lag.disable();
const peakRssMb = peak.mb();
global.gc?.();
await new Promise((res) => setTimeout(res, 500));
const rssAfterMb = Math.round(process.memoryUsage().rss / 1e6);

const aliases = await post(`{ ${Array.from({ length: 20 }, (_, i) => `a${i}: populationStats(input: { population: "nyc", agents: 2000000, seed: ${i} }) { total }`).join(' ')} }`);
const typenames = await post(`{ ${Array.from({ length: 1_000_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`).catch(() => ({ status: 'reset' }));
const series = await post(`{ ${['a', 'b', 'c'].map((a) => `${a}: runs(first: 100) { runs { metrics { steps series { name values } } } }`).join(' ')} }`);
const echo = await post(`{ population(id: "${'x'.repeat(10_000_000)}") { id } }`).catch(() => ({ status: 'reset' }));

const result = {
  agents,
  builds: inThread ? 'in-thread' : 'worker',
  bigAnswer: big,
  maxEventLoopStallMs: Math.round(lag.max / 1e6),
  pingsAnswered: pings,
  slowestPingMs,
  rssBeforeMb,
  peakRssMb,
  rssAfterMb,
  twentyAliases2M: aliases,
  millionTypenames: typenames,
  threeUnboundedSeries: series,
  tenMbArgument: echo,
};
console.log(args.includes('--json') ? JSON.stringify(result) : result);
await kit.close();
await server.close();
rmSync(dir, { recursive: true, force: true });
