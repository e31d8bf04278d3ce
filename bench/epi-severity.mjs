// Who gets infected and who dies over a whole epidemic of epi/covid: attack rate by age band
// (0-19, 20-59, 60-69, 70+), the ratio of 70+ to 20-59, and the overall infection fatality ratio
// (deaths / infections) for each IFR preset; on nyc also with uniform community pairs instead of the
// default age-paired ones (prem2021), with and without the POLYMOD activity option (communityAgeMixing).
// Needs the builds.
// Usage: node bench/epi-severity.mjs [--population nyc] [--agents N] [--seed S] [--R 2.5] [--days 200]
import { createRuntime, definePlugin } from '@populace/core';
import epi, { R_WEEKS } from '@populace/models-epi';
import populations, { createNycPopulation } from '@populace/populations';
import { emit, flag } from './lib/measure.mjs';

const args = process.argv.slice(2);
const usage = 'node bench/epi-severity.mjs [--population nyc] [--agents N] [--seed S] [--R 2.5] [--days 200]';
if (args.includes('--help')) {
  console.log(usage);
  process.exit(0);
}
const population = flag(args, 'population', 'nyc');
const agents = Number(flag(args, 'agents', 100_000));
const seed = Number(flag(args, 'seed', 1));
const r = Number(flag(args, 'R', 2.5));
const days = Number(flag(args, 'days', 200));
if (!Number.isInteger(agents) || agents < 1 || !Number.isInteger(seed) || !(r > 0) || !Number.isInteger(days) || days < 1) {
  process.stderr.write(`epi-severity bench: bad arguments; usage: ${usage}\n`);
  process.exit(2);
}
const uniform = definePlugin({ name: 'bench-uniform-community', version: '0.0.0', populations: [createNycPopulation({ id: 'nyc-uniform', communityMixing: 'uniform' })] });
const runtime = createRuntime({ plugins: [populations, epi, uniform], backend: 'cpu' });
const BANDS = [['0-19', 0, 20], ['20-59', 20, 60], ['60-69', 60, 70], ['70+', 70, 200]];

async function measure({ population, ...params }) {
  const sim = runtime.createSimulation({ model: 'epi/covid', population, agents, seed, params: { R: Array.from({ length: R_WEEKS }, () => r), ...params } });
  const t0 = performance.now();
  const { metrics } = await sim.run({ steps: days });
  const susceptible = await sim.state('agents/people/susceptible').data();
  const age = sim.agentTable().attributes.age;
  const attack = {};
  for (const [name, lo, hi] of BANDS) {
    let n = 0;
    let infected = 0;
    for (let i = 0; i < susceptible.length; i++) if (age[i] >= lo && age[i] < hi) (n += 1), (infected += 1 - susceptible[i]);
    attack[name] = infected / n;
  }
  const infections = susceptible.length - metrics.S.at(-1);
  const deaths = metrics.M.at(-1);
  sim.dispose();
  return { params, attack, ratio70to2059: attack['70+'] / attack['20-59'], infections, deaths, ifr: deaths / infections, stillInfected: metrics.E.at(-1) + metrics.I.at(-1), seconds: (performance.now() - t0) / 1000 };
}

const rows = [];
const variants = [{ population, severityPreset: 1 }, { population, severityPreset: 0 }];
if (population === 'nyc') variants.push({ population: 'nyc-uniform', severityPreset: 1 }, { population: 'nyc-uniform', severityPreset: 1, communityAgeMixing: 1 });
for (const params of variants) {
  const row = await measure(params);
  rows.push({ population: params.population, agents, seed, R: r, days, ...row });
  process.stderr.write(`${JSON.stringify(params)}: attack ${Object.entries(row.attack).map(([k, v]) => `${k} ${(100 * v).toFixed(1)}%`).join(', ')}; 70+/20-59 ${row.ratio70to2059.toFixed(2)}; IFR ${(100 * row.ifr).toFixed(2)}% (${row.seconds.toFixed(0)} s)\n`);
}
emit({ bench: 'epi-severity', rows });
