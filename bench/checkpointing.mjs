// Memory/time trade-off of gradient checkpointing: one reverse pass through T steps of
// example/network-sir with checkpoints every k steps, each k in its own process so that peak
// RSS is its own. Usage: node bench/checkpointing.mjs [--agents N] [--steps T] [--json]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

if (args[0] === '--child') {
  const [, agents, steps, k] = args.map(Number);
  const { createRuntime, rolloutGradients, tf } = await import('@populace/core');
  const { examplePlugin } = await import('@populace/core/examples');
  const sim = createRuntime({ plugins: [examplePlugin], backend: 'cpu' }).createSimulation({ model: 'network-sir', population: 'random-graph', agents, seed: 1 });
  await sim.ready();
  const baseRss = process.memoryUsage().rss;
  let peak = baseRss;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const theta = { beta: tf.scalar(0.05), gamma: tf.scalar(0.1) };
  const t0 = performance.now();
  const index = 3; // newInfections
  const result = rolloutGradients(sim, { steps, params: theta, checkpointEvery: k, loss: () => (_t, m) => (sample(), m[index]) });
  const ms = performance.now() - t0;
  sample();
  process.stdout.write(JSON.stringify({ agents, steps, checkpointEvery: k, checkpoints: Math.ceil(steps / k), msPerStep: ms / steps, extraRssMb: (peak - baseRss) / 2 ** 20, dBeta: result.grads.beta.dataSync()[0] }));
  process.exit(0);
}

const agents = flag('agents', 100_000);
const steps = flag('steps', 60);
const ks = [1, Math.ceil(Math.sqrt(steps)), steps];
const rows = ks.map((k) => JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(agents), String(steps), String(k)], { encoding: 'utf8', maxBuffer: 1 << 20 })));
const doc = { machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, memGb: Math.round(os.totalmem() / 2 ** 30) }, results: rows };
if (args.includes('--json')) console.log(JSON.stringify(doc, null, 2));
else {
  console.log(`gradient of total infections over ${steps} steps, ${agents} agents (example/network-sir, cpu backend)`);
  console.table(rows.map((r) => ({ 'checkpoint every': r.checkpointEvery, checkpoints: r.checkpoints, 'ms/step (fwd+bwd)': r.msPerStep.toFixed(1), 'peak extra RSS MB': r.extraRssMb.toFixed(0), 'd/d beta': r.dBeta.toFixed(1) })));
}
