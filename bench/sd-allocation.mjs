#!/usr/bin/env node
/**
 * The stochastic derivative's alternatives allocated uniformly over steps against adaptively (a
 * pilot replicate, then Neyman allocation: packages/core/src/gradients/stochastic-allocation.ts),
 * on the same seeds: the within-seed standard error of each (the pruning's Monte Carlo error, which
 * the allocation targets), the model steps each computed, and the variance x cost ratio. Both
 * estimate the same derivative; their means over seeds are printed too.
 *
 *   node bench/sd-allocation.mjs --model epi/covid --population nyc --params householdWeight,infectiousDays --replicates 4 --seeds 4
 *   node bench/sd-allocation.mjs --help
 *
 * Needs a build (npm run build). Exit 2 with one line on stderr for a bad option.
 */
import { createRuntime, stochasticDerivatives } from '@populace/core';
import epi from '@populace/models-epi';
import populations from '@populace/populations';
import { cli, describeScalarParams, runFlags } from './lib/flags.mjs';

const HELP = `usage: node bench/sd-allocation.mjs [options]
  --model ID          model (default epi/covid)
  --population ID     population (default nyc)
  --params a,b        scalar learnable parameters (default householdWeight,infectiousDays)
  --agents N          agents (default 20000)
  --steps N           days (default 60)
  --seeds N           seeds (default 4)
  --first-seed N      seeds first..first+N-1 (default 1)
  --replicates N      replicates per seed, >= 2 (default 4); the adaptive run's pilot is one of them in cost
  --metric M          objective: the metric's sum over the days (default newInfections)
  --json              one JSON document on stdout (the table goes to stderr)`;

const { fail, parse } = cli('sd-allocation', HELP);
const o = { model: 'epi/covid', population: 'nyc', params: ['householdWeight', 'infectiousDays'], agents: 20000, steps: 60, seeds: 4, firstSeed: 1, replicates: 4, metric: 'newInfections', json: false };
parse(
  process.argv.slice(2),
  {
    ...runFlags(o),
    '--steps': (_, read) => (o.steps = read.int(2)),
    '--seeds': (_, read) => (o.seeds = read.int(1)),
    '--first-seed': (_, read) => (o.firstSeed = read.int(1)),
    '--replicates': (_, read) => (o.replicates = read.int(2)),
    '--metric': (v) => (o.metric = v),
  },
  { '--json': () => (o.json = true) },
);
const runtime = createRuntime({ plugins: [populations, epi], backend: 'cpu' });
describeScalarParams(runtime, o.model, o.params, o.metric, fail);
const log = (line) => (o.json ? process.stderr : process.stdout).write(`${line}\n`);
const objective = (series) => series[o.metric].reduce((a, b) => a + b, 0);
const ALLOCATIONS = ['uniform', 'adaptive'];
const per = Object.fromEntries(ALLOCATIONS.map((a) => [a, { gradients: [], errors: [], steps: 0, seconds: 0 }]));
for (let seed = o.firstSeed; seed < o.firstSeed + o.seeds; seed++) {
  const line = [];
  for (const allocation of ALLOCATIONS) {
    const sim = runtime.createSimulation({ model: o.model, population: o.population, agents: o.agents, seed });
    await sim.ready();
    const t0 = performance.now();
    const r = stochasticDerivatives(sim, { steps: o.steps, entries: o.params.map((param) => ({ param })), objective, replicates: o.replicates, allocation });
    per[allocation].seconds += (performance.now() - t0) / 1000;
    per[allocation].steps += r.stepsComputed;
    per[allocation].gradients.push(r.gradients);
    per[allocation].errors.push(r.standardErrors);
    sim.dispose();
    const m = r.alternativesPerStep;
    const third = Math.floor(m.length / 3);
    const avg = (xs) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2);
    line.push(`${allocation} ${o.params.map((p, e) => `${p} ${r.gradients[e].toFixed(1)} +/- ${r.standardErrors[e].toFixed(1)}`).join(', ')} (alternatives per replicate by thirds of the run: ${avg(m.slice(0, third))}/${avg(m.slice(third, 2 * third))}/${avg(m.slice(2 * third))}; ${r.stepsComputed} steps)`);
  }
  log(`seed ${seed}: ${line.join(' | ')}`);
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const se = (xs) => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1) / xs.length);
log(`\n${o.model} on ${o.population}, ${o.agents} agents, ${o.steps} steps, seeds ${o.firstSeed}..${o.firstSeed + o.seeds - 1}, ${o.replicates} replicates, objective ${o.metric}:sum`);
const costRatio = per.adaptive.steps / per.uniform.steps;
log(`model steps computed: uniform ${per.uniform.steps}, adaptive ${per.adaptive.steps} (ratio ${costRatio.toFixed(2)}); seconds per seed: uniform ${(per.uniform.seconds / o.seeds).toFixed(1)}, adaptive ${(per.adaptive.seconds / o.seeds).toFixed(1)}`);
log('| parameter | uniform: mean over seeds | adaptive: mean over seeds | within-seed SE, uniform (RMS) | within-seed SE, adaptive (RMS) | variance ratio | variance x cost ratio |');
log('|---|---|---|---|---|---|---|');
const rows = o.params.map((p, e) => {
  const g = Object.fromEntries(ALLOCATIONS.map((a) => [a, per[a].gradients.map((x) => x[e])]));
  const rms = Object.fromEntries(ALLOCATIONS.map((a) => [a, Math.sqrt(mean(per[a].errors.map((x) => x[e] ** 2)))]));
  const varianceRatio = (rms.adaptive / rms.uniform) ** 2;
  log(`| ${p} | ${mean(g.uniform).toFixed(1)} +/- ${se(g.uniform).toFixed(1)} | ${mean(g.adaptive).toFixed(1)} +/- ${se(g.adaptive).toFixed(1)} | ${rms.uniform.toFixed(1)} | ${rms.adaptive.toFixed(1)} | ${varianceRatio.toFixed(2)} | ${(varianceRatio * costRatio).toFixed(2)} |`);
  return { param: p, uniform: { mean: mean(g.uniform), se: se(g.uniform), withinSeedSE: rms.uniform }, adaptive: { mean: mean(g.adaptive), se: se(g.adaptive), withinSeedSE: rms.adaptive }, varianceRatio, costRatio };
});
if (o.json) process.stdout.write(`${JSON.stringify({ options: o, rows, seconds: { uniform: per.uniform.seconds, adaptive: per.adaptive.seconds } })}\n`);
