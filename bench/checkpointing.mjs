// Memory/time trade-off of gradient checkpointing: one reverse pass through T steps of
// example/network-sir with checkpoints every k steps, each k in its own process so that peak
// RSS is its own. Usage: node bench/checkpointing.mjs [--agents N] [--steps T] [--json]
import { fileURLToPath } from 'node:url';
import { emit, flag, machineInfo, runChildJson } from './lib/measure.mjs';

const args = process.argv.slice(2);

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
  emit({ agents, steps, checkpointEvery: k, checkpoints: Math.ceil(steps / k), msPerStep: ms / steps, extraRssMb: (peak - baseRss) / 2 ** 20, dBeta: result.grads.beta.dataSync()[0] });
  process.exit(0);
}

const agents = Number(flag(args, 'agents', 100_000));
const steps = Number(flag(args, 'steps', 60));
const ks = [1, Math.ceil(Math.sqrt(steps)), steps];
const rows = [];
for (const k of ks) rows.push(await runChildJson(process.execPath, [fileURLToPath(import.meta.url), '--child', String(agents), String(steps), String(k)]));
const doc = { machine: machineInfo(), results: rows };
if (args.includes('--json')) console.log(JSON.stringify(doc, null, 2));
else {
  console.log(`gradient of total infections over ${steps} steps, ${agents} agents (example/network-sir, cpu backend)`);
  console.table(rows.map((r) => ({ 'checkpoint every': r.checkpointEvery, checkpoints: r.checkpoints, 'ms/step (fwd+bwd)': r.msPerStep.toFixed(1), 'peak extra RSS MB': r.extraRssMb.toFixed(0), 'd/d beta': r.dBeta.toFixed(1) })));
}
