// The BullMQ executor against the in-process one: --runs runs of --model (each its own seed) on
// --agents agents for --steps steps, first in process (concurrency 1, then 2), then through a
// redis-server (temporary directory, appendonly) with 1, 2... populace-worker processes
// (--workers, each --concurrency 1). Reports the wall time of each, the speed-up over one
// worker, the scaling efficiency per worker, the queue's overhead per job (1 worker against
// in-process concurrency 1) and checks every queued run's metrics equal the in-process ones.
// Untimed warm-up runs first (one per process that runs jobs).
// Needs redis-server and the builds (npm run build).
// Usage: node bench/queue.mjs [--runs 16] [--agents 20000] [--steps 60] [--workers 1,2]
//        [--model network-sir --population random-graph] [--plugin @populace/models-epi] [--json]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInProcessExecutor, loadRuntime, openRunStore } from '@populace/server-kit';
import { createQueueExecutor, parseRedisUrl } from '@populace/server-kit/queue';
import { flag } from './lib/measure.mjs';

const args = process.argv.slice(2);
const runs = Number(flag(args, 'runs', 16));
const agents = Number(flag(args, 'agents', 20_000));
const steps = Number(flag(args, 'steps', 60));
const workerCounts = String(flag(args, 'workers', '1,2')).split(',').map(Number);
const model = String(flag(args, 'model', 'network-sir'));
const population = flag(args, 'population', model === 'network-sir' ? 'random-graph' : undefined);
const plugins = args.flatMap((a, i) => (a === '--plugin' ? [args[i + 1]] : []));
const WORKER = fileURLToPath(new URL('../packages/server-kit/bin/populace-worker.js', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'populace-bench-queue-'));
const children = new Set();

function start(cmd, argv, ready) {
  const child = spawn(cmd, argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let text = '';
  return new Promise((resolve, reject) => {
    const check = (d) => ((text += d), ready.test(text) && resolve(child));
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.on('exit', (code) => reject(new Error(`${path.basename(cmd)} exited (${code}): ${text}`)));
  });
}
const stop = (child) => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM'))));
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});

const requests = Array.from({ length: runs }, (_, k) => ({ kind: 'run', model, ...(population ? { population } : {}), agents, steps, seed: k + 1 }));
const { runtime } = await loadRuntime({ cwd: process.cwd(), plugins, backend: 'cpu' });
/** Submits every request, waits for all; the wall time and each run's series by seed. */
async function timed(executor, store, warmups) {
  // warm-up runs (one per process that runs jobs) are not timed: JIT and kernel set-up
  await Promise.all(Array.from({ length: warmups }, (_, k) => executor.wait(executor.submit({ ...requests[0], seed: 1000 + k }).id)));
  const t = performance.now();
  const ids = requests.map((r) => executor.submit(r).id);
  const records = await Promise.all(ids.map((id) => executor.wait(id)));
  const ms = performance.now() - t;
  const bad = records.filter((r) => r.status !== 'done');
  if (bad.length > 0) throw new Error(`${bad.length} runs did not finish: ${bad[0].error?.message}`);
  return { ms, series: Object.fromEntries(records.map((r) => [r.seed, store.series(r.id).series])) };
}

const results = [];
let reference;
try {
  for (const concurrency of [1, 2]) {
    const store = openRunStore({ path: path.join(dir, `in-process-${concurrency}.db`) });
    const executor = createInProcessExecutor({ runtime, store, concurrency });
    const r = await timed(executor, store, 1);
    reference ??= r.series;
    results.push({ executor: `in process, concurrency ${concurrency}`, workers: 0, ms: r.ms });
    await executor.close();
    store.close();
  }
  await start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], /Ready to accept connections/);
  const url = `redis://127.0.0.1:${port}`;
  for (const n of workerCounts) {
    const workers = await Promise.all(Array.from({ length: n }, () => start(process.execPath, [WORKER, '--redis', url, '--backend', 'cpu', ...plugins.flatMap((p) => ['--plugin', p])], /populace-worker ready/)));
    const store = openRunStore({ path: path.join(dir, `queue-${n}.db`) });
    const executor = createQueueExecutor({ runtime, store, redis: parseRedisUrl(url), concurrency: n });
    await executor.ready();
    const r = await timed(executor, store, n);
    const same = JSON.stringify(r.series) === JSON.stringify(reference);
    results.push({ executor: `queue, ${n} worker${n > 1 ? 's' : ''}`, workers: n, ms: r.ms, sameMetrics: same });
    await executor.close();
    store.close();
    await Promise.all(workers.map(stop));
  }
} finally {
  await Promise.all([...children].map(stop));
  rmSync(dir, { recursive: true, force: true });
}

const one = results.find((r) => r.workers === 1);
const inProcess1 = results.find((r) => r.executor === 'in process, concurrency 1');
for (const r of results) {
  if (r.workers > 0 && one) {
    r.speedup = one.ms / r.ms;
    r.efficiencyPerWorker = r.speedup / r.workers;
  }
}
const overheadMsPerJob = one ? (one.ms - inProcess1.ms) / runs : null;
if (args.includes('--json')) console.log(JSON.stringify({ runs, agents, steps, model, results, overheadMsPerJob }, null, 2));
else {
  console.log(`${runs} runs of ${model} (${agents} agents, ${steps} steps), cpu backend`);
  for (const r of results) console.log(`${r.executor.padEnd(28)} ${(r.ms / 1000).toFixed(2).padStart(7)} s${r.speedup ? `  speed-up ${r.speedup.toFixed(2)}x, efficiency/worker ${(r.efficiencyPerWorker * 100).toFixed(0)}%` : ''}${r.sameMetrics === undefined ? '' : r.sameMetrics ? '  metrics = in process' : '  METRICS DIFFER'}`);
  if (overheadMsPerJob !== null) console.log(`queue overhead per job (1 worker - in process, concurrency 1): ${overheadMsPerJob.toFixed(0)} ms`);
}
