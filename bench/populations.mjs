// Building a census-driven population: `populations/nyc` at full size (8,736,047 agents, four
// layers) by default. Reports build seconds, bytes per agent (attributes), bytes per stored edge,
// the layers' sizes and the process's peak RSS. Needs the builds (npm run build).
// Usage: node bench/populations.mjs [--agents N] [--seed S] [--borough name] [--community stored|hashed] [--json]
import { createNycPopulation } from '@populace/populations';
import { emit, flag, machineInfo, PeakRss } from './lib/measure.mjs';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log('node bench/populations.mjs [--agents N] [--seed S] [--borough name] [--community stored|hashed] [--json]');
  process.exit(0);
}
const peak = new PeakRss();
const borough = flag(args, 'borough', undefined);
const community = flag(args, 'community', 'stored');
const population = createNycPopulation({ ...(borough ? { borough } : {}), communityContacts: community });
const agents = Number(flag(args, 'agents', population.defaultAgents));
const seed = Number(flag(args, 'seed', 1));
if (!Number.isInteger(agents) || agents < 1 || agents > population.maxAgents) {
  process.stderr.write(`populations bench: --agents: expected an integer in [1, ${population.maxAgents}], received ${flag(args, 'agents', '')}\n`);
  process.exit(2);
}

const baseRssMb = peak.mb();
const t0 = performance.now();
const data = await population.build({ agents, seed });
const buildSeconds = (performance.now() - t0) / 1000;
const peakRssMb = peak.mb();

const people = data.agents.people;
let attributeBytes = 0;
for (const values of Object.values(people.attributes)) attributeBytes += values.byteLength;
const layers = {};
let edges = 0;
let edgeBytes = 0;
let rowPtrBytes = 0;
for (const [name, net] of Object.entries(data.networks ?? {})) {
  if (net.kind === 'hashed') {
    layers[name] = { kind: 'hashed', edges: 0, meanDegree: net.degree };
    continue;
  }
  const e = net.colIdx.length;
  edges += e;
  edgeBytes += net.colIdx.byteLength + (net.weights?.byteLength ?? 0);
  rowPtrBytes += net.rowPtr.byteLength;
  layers[name] = { kind: 'csr', edges: e, meanDegree: e / people.count };
}
const result = {
  population: population.id,
  agents: people.count,
  households: new Set(people.attributes.household).size,
  buildSeconds,
  attributeBytesPerAgent: attributeBytes / people.count,
  bytesPerStoredEdge: edges === 0 ? null : edgeBytes / edges,
  rowPtrBytesPerAgent: rowPtrBytes / people.count,
  edges,
  layers,
  baseRssMb,
  peakRssMb,
};
if (args.includes('--json')) emit({ machine: machineInfo(), result });
else {
  const f = (x, d = 1) => Number(x).toLocaleString('en-US', { maximumFractionDigits: d });
  console.log(`${result.population}: ${f(result.agents)} agents, ${f(result.households)} households, seed ${seed}`);
  console.log(`build ${f(buildSeconds, 1)} s; attributes ${f(result.attributeBytesPerAgent, 1)} bytes/agent; stored edges ${f(edges)} at ${f(result.bytesPerStoredEdge ?? 0, 1)} bytes/edge (+ ${f(result.rowPtrBytesPerAgent, 1)} bytes/agent of row pointers); peak RSS ${f(peakRssMb, 0)} MB`);
  console.table(Object.fromEntries(Object.entries(layers).map(([k, v]) => [k, { kind: v.kind, edges: v.edges, 'mean degree': Number(v.meanDegree.toFixed(3)) }])));
}
