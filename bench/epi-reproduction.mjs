// Is the R of epi/covid the realised reproduction number on the population it runs on?
// For each seed: builds the population once, measures the calibration curve (R_real against R_mix,
// reproduction.ts), then (1) counts secondary infections per case by infector tracking in a fresh
// early-epidemic branching run (another random stream, 20,000 cases) at the beta the model uses for
// R, and (2) runs the tfjs model itself and fits its early growth rate (daily new infections, from
// day 10 until 3% of the agents are infected), next to the Euler-Lotka rate of R and the model's
// generation interval (exact for a well-mixed population; households lower it). Needs the builds.
// Usage: node bench/epi-reproduction.mjs [--population nyc] [--agents N] [--seeds 1,2,3] [--R 2.5] [--days 80]
import { createRuntime, definePlugin, definePopulation, tf } from '@populace/core';
import epi, { betaOf, branchingInput, COVID_PARAMETERS, eulerLotkaRate, generationInterval, mixingReproduction, R_WEEKS, reproductionCurve, runBranching, runSettings } from '@populace/models-epi';
import { defaultPopulations } from '@populace/populations';
import { emit, flag } from './lib/measure.mjs';

const args = process.argv.slice(2);
const usage = 'node bench/epi-reproduction.mjs [--population nyc] [--agents N] [--seeds 1,2,3] [--R 2.5] [--days 80]';
if (args.includes('--help')) {
  console.log(usage);
  process.exit(0);
}
const id = flag(args, 'population', 'nyc');
const definition = defaultPopulations().find((p) => p.id === id);
const agents = Number(flag(args, 'agents', 1_000_000));
const seeds = String(flag(args, 'seeds', '1,2,3')).split(',').map(Number);
const r = Number(flag(args, 'R', 2.5));
const days = Number(flag(args, 'days', 80));
if (!definition || !Number.isInteger(agents) || agents < 1 || seeds.some((s) => !Number.isInteger(s)) || !(r > 0) || !Number.isInteger(days)) {
  process.stderr.write(`epi-reproduction bench: bad arguments (population one of ${defaultPopulations().map((p) => p.id).join(', ')}); usage: ${usage}\n`);
  process.exit(2);
}
const params = Object.fromEntries(Object.entries(COVID_PARAMETERS).map(([k, spec]) => [k, spec.default]));
const gi = generationInterval(params);
const elRate = eulerLotkaRate(r, gi.pmf);

function growthRate(series, n) {
  let cumulative = 0;
  const xs = [];
  const ys = [];
  for (let t = 0; t < series.length; t++) {
    cumulative += series[t];
    if (cumulative > 0.03 * n) break;
    if (t >= 10 && series[t] > 0) xs.push(t), ys.push(Math.log(series[t]));
  }
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, k) => ((num += (x - mx) * (ys[k] - my)), (den += (x - mx) ** 2)));
  return { rate: num / den, window: [xs[0], xs.at(-1)] };
}

const rows = [];
for (const seed of seeds) {
  const t0 = performance.now();
  const data = await definition.build({ agents, seed });
  const buildSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const curve = reproductionCurve(data, params);
  const curveSeconds = (performance.now() - t1) / 1000;
  const input = branchingInput(data, params);
  const rMix = input ? mixingReproduction(tf.scalar(r), curve).dataSync()[0] : r;
  const tracked = input ? runBranching(input, betaOf(input, rMix, params.infectiousDays), runSettings(agents, 104_729 + seed, 20_000)) : undefined;
  const population = definePopulation({ id: 'built', description: `${id} as built for this bench`, defaultAgents: agents, networks: Object.keys(data.networks ?? {}), build: () => data });
  const runtime = createRuntime({ plugins: [epi, definePlugin({ name: 'bench', version: '0.0.0', populations: [population] })], backend: 'cpu' });
  const sim = runtime.createSimulation({ model: 'epi/covid', population: 'bench/built', agents, seed, params: { R: Array.from({ length: R_WEEKS }, () => r) } });
  const t2 = performance.now();
  const series = (await sim.run({ steps: days })).metrics.newInfections;
  const runSeconds = (performance.now() - t2) / 1000;
  sim.dispose();
  const growth = growthRate(series, agents);
  rows.push({
    population: id, agents, seed, R: r, rMix, curve,
    trackedR: tracked?.reproduction, trackedCases: tracked?.cases, trackedGenerationInterval: tracked?.generationInterval,
    growthRate: growth.rate, growthWindow: growth.window, eulerLotkaRate: elRate, generationIntervalMean: gi.mean,
    buildSeconds, curveSeconds, runSeconds,
  });
  process.stderr.write(`seed ${seed}: tracked R ${tracked?.reproduction.toFixed(3)} (${tracked?.cases} cases), growth ${growth.rate.toFixed(4)}/day days ${growth.window.join('-')} vs Euler-Lotka ${elRate.toFixed(4)}; R_mix ${rMix.toFixed(3)}; build ${buildSeconds.toFixed(1)} s, curve ${curveSeconds.toFixed(1)} s, run ${runSeconds.toFixed(1)} s\n`);
}
emit({ bench: 'epi-reproduction', rows });
