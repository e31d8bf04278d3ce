// H5N1 culling scale against the 2022-2025 record (issue: scientific credibility): birds culled per year,
// flocks per year, mean culled flock and farm-to-farm share over seeds x years. Usage: node bench/h5n1-scale.mjs [seeds=10] [years=3]
import { createRuntime } from '@populace/core';
import epi from '@populace/models-epi';
const seeds = Number(process.argv[2] ?? 10), years = Number(process.argv[3] ?? 3);
const runtime = createRuntime({ plugins: [epi] });
const rows = [];
for (let seed = 1; seed <= seeds; seed++) {
  const sim = runtime.createSimulation({ model: 'epi/h5n1', population: 'epi/us-layer-farms', seed });
  const { metrics } = await sim.run({ steps: 365 * years });
  const culled = metrics.birdsCulled.reduce((a, b) => a + b, 0);
  const flocks = metrics.culledFarms.reduce((a, b) => a + b, 0);
  const infected = metrics.newInfectedFarms.reduce((a, b) => a + b, 0);
  const f2f = metrics.farmToFarmInfections.reduce((a, b) => a + b, 0);
  rows.push({ seed, birdsPerYear: culled / years, flocksPerYear: flocks / years, infectedPerYear: infected / years, meanCulledFlock: culled / Math.max(flocks, 1), farmToFarmShare: f2f / Math.max(infected, 1), minLayers: Math.min(...metrics.layersInProduction) });
  sim.dispose?.();
}
const mean = (k) => rows.reduce((s, r) => s + r[k], 0) / rows.length;
for (const r of rows) console.log(JSON.stringify(r));
console.log(JSON.stringify({ seeds, years, birdsPerYear: mean('birdsPerYear'), flocksPerYear: mean('flocksPerYear'), infectedPerYear: mean('infectedPerYear'), meanCulledFlock: mean('birdsPerYear') / mean('flocksPerYear'), farmToFarmShare: mean('farmToFarmShare') }));
