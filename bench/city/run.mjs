// City scale: one model on one population for T days, wall time (building the population and the
// state, then the run) and peak RSS, in a child process per case so each RSS is its own.
// Usage: node bench/city/run.mjs [--case covid-nyc|seir-8.4m|sir-hashed] [--agents N] [--steps T] [--json]
// The issue's goal: epi/covid on NYC's ~8.4M people for 60 days in under 60 s on 2 cores and 4 GB.
import { fork } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const CASES = {
  'covid-nyc': { model: 'epi/covid', population: 'populations/nyc', agents: undefined, steps: 60, what: 'epi/covid on the whole synthetic NYC (8.74M people, four stored layers)' },
  'seir-8.4m': { model: 'example/network-seir', population: 'example/random-graph', agents: 8_400_000, steps: 60, what: 'network SEIR, 8.4M agents x 10 random in-contacts' },
  'sir-hashed': { model: 'example/network-sir', population: 'example/hashed-random-graph', agents: 100_000_000, steps: 1, what: 'network SIR, one step, 10 hashed (never stored) in-contacts per agent' },
};

async function child() {
  const { createRuntime } = await import('@populace/core');
  const { loadPlugins } = await import('@populace/server-kit/plugins');
  const { examplePlugin } = await import('@populace/core/examples');
  const c = JSON.parse(process.env.POPULACE_CITY_CASE);
  const { plugins } = await loadPlugins({ cwd: fileURLToPath(new URL('../..', import.meta.url)), builtins: [examplePlugin] });
  const runtime = createRuntime({ plugins, backend: 'cpu' });
  let peak = 0;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const t0 = performance.now();
  const sim = runtime.createSimulation({ model: c.model, population: c.population, seed: 1, ...(c.agents ? { agents: c.agents } : {}) });
  const info = await sim.ready();
  sample();
  const t1 = performance.now();
  await sim.run({ steps: c.steps, onProgress: sample });
  const t2 = performance.now();
  const metrics = sim.metrics();
  const final = Object.fromEntries(Object.entries(metrics).slice(0, 6).map(([k, v]) => [k, v.at(-1)]));
  process.send({ agents: Object.values(info.agents)[0] ?? null, buildS: (t1 - t0) / 1000, runS: (t2 - t1) / 1000, totalS: (t2 - t0) / 1000, msPerStep: (t2 - t1) / c.steps, peakRssMb: Math.round(peak / 2 ** 20), final });
  process.exit(0);
}

async function main() {
  const { values } = parseArgs({ options: { case: { type: 'string', multiple: true }, agents: { type: 'string' }, steps: { type: 'string' }, json: { type: 'boolean' } } });
  const names = values.case ?? ['covid-nyc', 'seir-8.4m'];
  for (const n of names) if (!CASES[n]) { process.stderr.write(`bench/city: unknown --case '${n}'; expected one of ${Object.keys(CASES).join(', ')}\n`); process.exit(2); }
  const positive = (v, what) => { const x = Number(v); if (!Number.isInteger(x) || x <= 0) { process.stderr.write(`bench/city: --${what} expected a positive integer, received '${v}'\n`); process.exit(2); } return x; };
  const results = [];
  for (const name of names) {
    const c = { ...CASES[name], ...(values.agents ? { agents: positive(values.agents, 'agents') } : {}), ...(values.steps ? { steps: positive(values.steps, 'steps') } : {}) };
    process.stderr.write(`city: ${name}: ${c.what}, ${c.steps} steps ...\n`);
    const proc = fork(fileURLToPath(import.meta.url), ['--child'], { env: { ...process.env, POPULACE_CITY_CASE: JSON.stringify(c) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const row = await new Promise((resolve) => {
      let got = null;
      proc.on('message', (m) => (got = m));
      proc.on('exit', (code) => resolve(got ?? { error: `exit ${code}` }));
    });
    results.push({ case: name, model: c.model, population: c.population, steps: c.steps, ...row });
    process.stderr.write(`city: ${name}: ${JSON.stringify(results.at(-1))}\n`);
  }
  const doc = { machine: { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, memGb: Math.round(os.totalmem() / 2 ** 30) }, results };
  if (values.json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  else for (const r of results) console.log(`${r.case.padEnd(11)} agents ${String(r.agents).padStart(11)}  build ${r.buildS?.toFixed(1)} s  run ${r.runS?.toFixed(1)} s (${r.msPerStep?.toFixed(0)} ms/step)  total ${r.totalS?.toFixed(1)} s  peak RSS ${r.peakRssMb} MB${r.error ? `  ${r.error}` : ''}`);
}

if (process.argv.includes('--child')) await child();
else await main();
