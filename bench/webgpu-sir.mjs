// network-SIR (bench/network-sir's workload: K = 10 random in-contacts, beta 0.05, gamma 0.1,
// 0.1% seeded) on cpu and on webgpu in one process, one row per (agents, backend): forward ms/step
// and, with --grad, forward+backward ms/step (rolloutGradientsAsync), plus whether webgpu's daily
// counts equal cpu's for the same seed.
//
//   node bench/webgpu-sir.mjs --agents 100000,1000000 --steps 20 [--graph stored|hashed] [--grad] [--backends cpu,webgpu]
//
// Needs the builds (npx turbo run build) and, for webgpu, the optional packages `webgpu` and
// `@tensorflow/tfjs-backend-webgpu`; without a GPU, Mesa's llvmpipe (see bench/README.md).
import { createRuntime, rolloutGradientsAsync, tf } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { flag, machineInfo } from './lib/measure.mjs';
import { BETA, GAMMA, SEED_FRACTION } from './network-sir/workload.mjs';

const args = process.argv.slice(2);
const agentsList = String(flag(args, 'agents', '100000,1000000')).split(',').map(Number);
const steps = Number(flag(args, 'steps', 20));
const graph = flag(args, 'graph', 'stored');
const backends = String(flag(args, 'backends', 'cpu,webgpu')).split(',');
const grad = args.includes('--grad');
for (const n of agentsList) if (!Number.isInteger(n) || n < 1) throw new Error(`--agents: expected positive integers separated by commas, received ${flag(args, 'agents', '')}`);
if (!Number.isInteger(steps) || steps < 1) throw new Error(`--steps: expected a positive integer, received ${steps}`);
if (graph !== 'stored' && graph !== 'hashed') throw new Error(`--graph: expected stored or hashed, received ${graph}`);
for (const b of backends) if (b !== 'cpu' && b !== 'webgpu') throw new Error(`--backends: expected cpu and/or webgpu, received ${b}`);

const population = graph === 'hashed' ? 'hashed-random-graph' : 'random-graph';
console.error(JSON.stringify({ machine: machineInfo(), steps, graph, grad }));

async function measure(backend, agents) {
  const runtime = createRuntime({ plugins: [examplePlugin], backend });
  const info = await runtime.ready();
  const sim = runtime.createSimulation({ model: 'network-sir', population, agents, seed: 1, params: { beta: BETA, gamma: GAMMA, seedFraction: SEED_FRACTION } });
  await sim.ready();
  await sim.step(1); // warm-up: compiles the shaders, uploads the graph
  await sim.reset();
  const t0 = performance.now();
  await sim.run({ steps });
  const fwdMsPerStep = (performance.now() - t0) / steps;
  const metrics = sim.metrics();
  let fwdBwdMsPerStep = null;
  let dBeta = null;
  if (grad) {
    const params = { beta: tf.scalar(BETA), gamma: tf.scalar(GAMMA) };
    const index = Object.keys(runtime.models.get(sim.model).definition.metrics).indexOf('newInfections');
    const t1 = performance.now();
    const result = await rolloutGradientsAsync(sim, { steps, params, loss: () => (_t, m) => m[index] });
    dBeta = (await result.grads.beta.data())[0];
    fwdBwdMsPerStep = (performance.now() - t1) / steps;
    tf.dispose([...Object.values(params), ...Object.values(result.grads)]);
  }
  sim.dispose();
  return { backend, package: info.package, agents, fwdMsPerStep: +fwdMsPerStep.toFixed(2), fwdBwdMsPerStep: fwdBwdMsPerStep === null ? null : +fwdBwdMsPerStep.toFixed(2), dBeta, metrics };
}

for (const agents of agentsList) {
  const rows = [];
  for (const backend of backends) {
    try {
      rows.push(await measure(backend, agents));
    } catch (error) {
      rows.push({ backend, agents, error: error.message });
    }
  }
  const cpu = rows.find((r) => r.backend === 'cpu' && r.metrics);
  for (const { metrics, ...row } of rows) {
    const sameAsCpu = cpu && metrics && row.backend !== 'cpu' ? JSON.stringify(metrics) === JSON.stringify(cpu.metrics) : undefined;
    const ratio = cpu && row.fwdMsPerStep ? +(row.fwdMsPerStep / cpu.fwdMsPerStep).toFixed(2) : undefined;
    console.log(JSON.stringify({ scenario: 'network-sir', graph, steps, ...row, fwdVsCpu: ratio, sameCountsAsCpu: sameAsCpu }));
  }
}
process.exit(0);
