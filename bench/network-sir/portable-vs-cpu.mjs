// The portable kernel set (stock tfjs ops, what `tensorflow`, `webgl` and any backend without
// native kernels run) against the native cpu kernels, on the cpu backend, in one process:
// network-SIR forward steps at each size, native first, then the portable set swapped in.
// Usage: node bench/network-sir/portable-vs-cpu.mjs [--agents 100k,1M] [--steps 10] [--json]
// Build first (npx turbo run build). The machine's load moves both columns; read the ratio.
import { createRuntime, PORTABLE_KERNELS, registerKernelSet } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { BETA, GAMMA, SEED_FRACTION } from './workload.mjs';

const USAGE = 'usage: node bench/network-sir/portable-vs-cpu.mjs [--agents 100k,1M] [--steps N] [--json]';

function parseAgents(text) {
  return text.split(',').map((part) => {
    const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(part.trim());
    const n = m ? Math.round(Number(m[1]) * (m[2] === '' ? 1 : /k/i.test(m[2]) ? 1e3 : 1e6)) : NaN;
    if (!Number.isInteger(n) || n < 100) throw new Error(`--agents: expected sizes such as 100k,1M (at least 100 agents), received ${JSON.stringify(part)}`);
    return n;
  });
}

function parse(argv) {
  const options = { agents: [100_000, 1_000_000], steps: 10, json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--json') options.json = true;
    else if (flag === '--agents') options.agents = parseAgents(argv[++i] ?? '');
    else if (flag === '--steps') {
      options.steps = Number(argv[++i]);
      if (!Number.isInteger(options.steps) || options.steps < 1) throw new Error(`--steps: expected a positive integer, received ${JSON.stringify(argv[i])}`);
    } else if (flag === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${JSON.stringify(flag)}`);
  }
  return options;
}

let options;
try {
  options = parse(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`portable-vs-cpu: ${error.message}\n${USAGE}\n`);
  process.exit(2);
}

const runtime = createRuntime({ plugins: [examplePlugin], backend: 'cpu' });

/** ms per forward step (after one warm-up step) and the final compartment counts. */
async function measure(agents) {
  const sim = runtime.createSimulation({ model: 'network-sir', population: 'random-graph', agents, seed: 1, params: { beta: BETA, gamma: GAMMA, seedFraction: SEED_FRACTION } });
  try {
    await sim.ready();
    await sim.step(1);
    await sim.reset();
    const t0 = performance.now();
    const { metrics } = await sim.run({ steps: options.steps });
    const ms = (performance.now() - t0) / options.steps;
    return { ms, final: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, v.at(-1)])) };
  } finally {
    sim.dispose();
  }
}

const native = [];
for (const agents of options.agents) native.push(await measure(agents));
registerKernelSet('cpu', PORTABLE_KERNELS, { replace: true });
const rows = [];
for (const [k, agents] of options.agents.entries()) {
  const portable = await measure(agents);
  rows.push({ agents, steps: options.steps, nativeMsPerStep: native[k].ms, portableMsPerStep: portable.ms, ratio: portable.ms / native[k].ms, sameMetrics: JSON.stringify(portable.final) === JSON.stringify(native[k].final) });
}
if (options.json) console.log(JSON.stringify({ scenario: 'network-sir', backend: 'cpu', rows }, null, 2));
else {
  console.log('| agents | native cpu ms/step | portable ms/step | portable / native | same final counts |');
  console.log('|---:|---:|---:|---:|:---|');
  for (const r of rows) console.log(`| ${r.agents.toLocaleString('en-US')} | ${r.nativeMsPerStep.toFixed(1)} | ${r.portableMsPerStep.toFixed(1)} | ${r.ratio.toFixed(1)}x | ${r.sameMetrics ? 'yes' : 'no'} |`);
}
process.exit(0);
