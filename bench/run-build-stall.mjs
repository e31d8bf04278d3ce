// A run's population build and the GraphQL server's event loop: starts populace's GraphQL server
// on 127.0.0.1 (populations and epi plugins, concurrency 1), starts one run with `startRun` (default
// epi/sir on nyc at 2,000,000 agents, 3 steps) and, while it builds and runs, sends a cheap
// `{ server { running } }` every --interval ms (default 20) from a client in another thread. Reports the
// longest event-loop stall (perf_hooks histogram), the slowest of those small answers and how many
// came back, the run's status and wall time, when it started and reached its first step, and the
// slowest answers with when they were sent (relative to startRun), so a stall can be told apart:
// during the build or during the steps. `--in-thread` gives the kit no population builder, so the
// simulation builds in the server's thread (the behaviour before runs used the worker builder).
// Needs the builds (npm run build).
// Usage: node bench/run-build-stall.mjs [--agents N] [--model epi/sir] [--population nyc] [--steps N] [--interval MS] [--in-thread] [--json]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRuntime } from '@populace/core';
import epi from '@populace/models-epi';
import populations from '@populace/populations';
import { createPopulationBuilder, createServerKit } from '@populace/server-kit';
import { startGraphqlServer } from '@populace/graphql';
import { flag, PeakRss } from './lib/measure.mjs';

const args = process.argv.slice(2);
const positive = (name, fallback) => {
  const v = Number(flag(args, name, fallback));
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`--${name}: expected a positive integer, received ${flag(args, name, fallback)}`);
  return v;
};
const agents = positive('agents', 2_000_000);
const steps = positive('steps', 3);
const interval = positive('interval', 20);
const model = flag(args, 'model', 'epi/sir');
const population = flag(args, 'population', 'nyc');
const inThread = args.includes('--in-thread');

const dir = mkdtempSync(path.join(tmpdir(), 'populace-run-stall-'));
const populationBuilder = inThread ? undefined : createPopulationBuilder({ source: { modules: [import.meta.resolve('@populace/populations')] } });
const kit = createServerKit({ runtime: createRuntime({ plugins: [populations, epi], backend: 'cpu' }), db: path.join(dir, 'runs.db'), concurrency: 1, populationBuilder });
const server = await startGraphqlServer({ kit, port: 0, host: '127.0.0.1', logging: false });
const post = async (query) => {
  const r = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return r.json();
};

const peak = new PeakRss();
const t0 = performance.now();
const at = () => Math.round(performance.now() - t0);
const marks = {};
kit.executor.subscribe((e) => {
  if (e.type === 'started') marks.startedMs ??= at();
  if (e.type === 'progress') marks.firstStepMs ??= at();
  if (e.type === 'finished') marks.finishedMs ??= at();
});

// the client runs in its own thread: its timers keep firing while the server's thread is stalled,
// so a stall shows up as the latency of the ping in flight
const PINGER = `
const { parentPort, workerData } = require('node:worker_threads');
const t0 = workerData.t0;
const at = () => Math.round(performance.timeOrigin + performance.now() - t0);
let running = true;
const pings = [];
parentPort.on('message', () => (running = false));
(async () => {
  while (running) {
    const sentMs = at();
    let ok = false;
    let error;
    try {
      const r = await fetch(workerData.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ server { running } }' }) });
      ok = (await r.json()).data !== undefined;
    } catch (e) {
      error = String(e.cause?.code ?? e.message);
    }
    pings.push({ sentMs, ms: at() - sentMs, ok, ...(error ? { error } : {}) });
    await new Promise((res) => setTimeout(res, workerData.interval));
  }
  parentPort.postMessage(pings);
})();
`;
const lag = monitorEventLoopDelay({ resolution: 10 });
const tOrigin = performance.timeOrigin + t0;
const pinger = new Worker(PINGER, { eval: true, workerData: { url: server.url, interval, t0: tOrigin } });
const pingsDone = new Promise((res) => pinger.once('message', res));
await new Promise((res) => setTimeout(res, 500)); // a few pings before the run (the first requests compile the schema)
lag.enable();
const tRun = at();
const started = await post(`mutation { startRun(input: { model: "${model}", population: "${population}", agents: ${agents}, steps: ${steps}, seed: 1 }) { id status } }`);
if (started.errors) throw new Error(`startRun failed: ${JSON.stringify(started.errors)}`);
const record = await kit.executor.wait(started.data.startRun.id);
peak.sample();
await new Promise((res) => setTimeout(res, 200));
lag.disable();
pinger.postMessage('stop');
const pings = (await pingsDone).filter((p) => p.sentMs + p.ms >= tRun);
await pinger.terminate();

const slowest = [...pings].sort((a, b) => b.ms - a.ms).slice(0, 5).map((p) => ({ ...p, sentMs: p.sentMs - tRun }));
for (const k of Object.keys(marks)) marks[k] -= tRun;
const result = {
  model,
  population,
  agents,
  steps,
  builds: inThread ? 'in-thread' : 'worker',
  run: { status: record.status, error: record.error, agents: record.agents },
  runMs: marks,
  maxEventLoopStallMs: Math.round(lag.max / 1e6),
  pingsAnswered: pings.filter((p) => p.ok).length,
  pingsFailed: pings.filter((p) => !p.ok).length,
  slowestPingMs: slowest[0]?.ms ?? null,
  slowestPings: slowest,
  builder: populationBuilder?.stats() ?? null,
  peakRssMb: Math.round(peak.mb()),
};
console.log(args.includes('--json') ? JSON.stringify(result) : result);
await kit.close();
await server.close();
rmSync(dir, { recursive: true, force: true });
