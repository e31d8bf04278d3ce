#!/usr/bin/env node
/**
 * How long the reverse pass holds the event loop: the same checkpointed reverse pass run by the
 * synchronous driver (rolloutGradients: one call) and by the asynchronous one (rolloutGradientsAsync,
 * which `sensitivity` and `calibrate` use: a turn between steps and between backward segments),
 * with a 1 ms timer counting the turns the event loop got. Reports each driver's time, the turns,
 * and the longest stretch without one (what a server's other requests wait at most), and checks
 * that both give the same loss and gradients.
 *
 *   node bench/reverse-pass-turns.mjs --agents 100000 --steps 60
 *   node bench/reverse-pass-turns.mjs --help
 *
 * Needs a build (npm run build). Exit 2 with one line on stderr for a bad option.
 */
import { createRuntime, rolloutGradients, rolloutGradientsAsync, tf } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { cli } from './lib/flags.mjs';

const HELP = `usage: node bench/reverse-pass-turns.mjs [options]
  --agents N          agents of example/network-sir on random-graph (default 100000)
  --steps N           steps (default 60)
  --checkpoint-every K  steps between checkpoints (default ceil(sqrt(steps)))
  --seed N            seed (default 1)
  --json              one JSON document on stdout (the table goes to stderr)`;

const o = { agents: 100_000, steps: 60, seed: 1, checkpointEvery: undefined, json: false };
const { parse } = cli('reverse-pass-turns', HELP);
parse(
  process.argv.slice(2),
  {
    '--agents': (_, read) => (o.agents = read.int(1)),
    '--steps': (_, read) => (o.steps = read.int(1)),
    '--checkpoint-every': (_, read) => (o.checkpointEvery = read.int(1)),
    '--seed': (_, read) => (o.seed = read.int(0)),
  },
  { '--json': () => (o.json = true) },
);

const runtime = createRuntime({ plugins: [examplePlugin], backend: 'cpu' });
const sim = runtime.createSimulation({ model: 'example/network-sir', population: 'random-graph', agents: o.agents, seed: o.seed });
await sim.ready();
const index = Object.keys(runtime.models.get(sim.model).definition.metrics).indexOf('newInfections');
const params = { beta: tf.scalar(sim.params.beta), gamma: tf.scalar(sim.params.gamma) };
const options = { steps: o.steps, params, loss: () => (_t, m) => m[index], ...(o.checkpointEvery ? { checkpointEvery: o.checkpointEvery } : {}) };

/** One driver's run under a 1 ms timer: wall time, turns, longest stretch without a turn, loss and gradients. */
async function measure(name, run) {
  let last = performance.now();
  let longest = 0;
  let turns = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    turns += 1;
  }, 1);
  const t0 = performance.now();
  const result = await run();
  const ms = performance.now() - t0;
  clearInterval(timer);
  // the stretch from the last turn to the end counts too
  longest = Math.max(longest, performance.now() - last);
  const grads = Object.fromEntries(Object.entries(result.grads).map(([n, g]) => [n, g.dataSync()[0]]));
  tf.dispose(Object.values(result.grads));
  return { driver: name, ms: Math.round(ms), turns, longestWithoutTurnMs: Math.round(longest), value: result.value, grads };
}

// a first run of each warms the kernels
await measure('warm-up', () => Promise.resolve(rolloutGradients(sim, options)));
const sync = await measure('rolloutGradients (synchronous)', () => Promise.resolve(rolloutGradients(sim, options)));
const async_ = await measure('rolloutGradientsAsync', () => rolloutGradientsAsync(sim, options));
const same = sync.value === async_.value && Object.keys(sync.grads).every((n) => sync.grads[n] === async_.grads[n]);
const report = { agents: o.agents, steps: o.steps, runs: [sync, async_], timeRatio: async_.ms / sync.ms, longestRatio: async_.longestWithoutTurnMs / sync.longestWithoutTurnMs, sameGradients: same };
const table = [
  `example/network-sir on random-graph, ${o.agents} agents, ${o.steps} steps (cpu)`,
  'driver                           time ms  turns  longest without a turn (ms)',
  ...report.runs.map((r) => `${r.driver.padEnd(32)} ${String(r.ms).padStart(7)}  ${String(r.turns).padStart(5)}  ${String(r.longestWithoutTurnMs).padStart(6)}`),
  `asynchronous / synchronous: time ${report.timeRatio.toFixed(2)}x, longest stall ${report.longestRatio.toFixed(2)}x; same loss and gradients: ${same ? 'yes' : 'NO'}`,
].join('\n');
process[o.json ? 'stderr' : 'stdout'].write(`${table}\n`);
if (o.json) process.stdout.write(`${JSON.stringify(report)}\n`);
tf.dispose(Object.values(params));
sim.dispose();
if (!same) process.exit(1);
