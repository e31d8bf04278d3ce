#!/usr/bin/env node
/**
 * Where the stochastic derivative's variance comes from: one run of the estimator (uniform
 * allocation), its per-step terms (each replicate's sum over the step's alternatives of importance
 * factor x objective difference) summarised by bands of steps: the share of their second moment (their variance about zero)
 * against the share of the cost of the alternatives branched there (the T - t steps each runs). This
 * is what `allocation: 'adaptive'` measures with its pilot (GRADIENTS.md, "Where the variance is").
 *
 *   node bench/sd-terms.mjs --params householdWeight,infectiousDays --seed 2 --replicates 4
 *   node bench/sd-terms.mjs --help
 *
 * Reads the estimator's trajectories from the built core (packages/core/dist): needs a build.
 * Exit 2 with one line on stderr for a bad option.
 */
import { createRuntime } from '@populace/core';
import epi from '@populace/models-epi';
import populations from '@populace/populations';
import { cli, describeScalarParams, runFlags } from './lib/flags.mjs';
import { trajectories } from '../packages/core/dist/gradients/stochastic-alternatives.js';

const HELP = `usage: node bench/sd-terms.mjs [options]
  --model ID          model (default epi/covid)
  --population ID     population (default nyc)
  --params a,b        scalar learnable parameters (default householdWeight)
  --agents N          agents (default 20000)
  --steps N           days (default 60)
  --seed N            seed (default 1)
  --replicates N      replicates, >= 2 (default 4)
  --bands a,b,...     first step of each band after the first (default 20,40,50)
  --metric M          objective: the metric's sum over the days (default newInfections)`;

const { fail, parse } = cli('sd-terms', HELP);
const o = { model: 'epi/covid', population: 'nyc', params: ['householdWeight'], agents: 20000, steps: 60, seed: 1, replicates: 4, bands: [20, 40, 50], metric: 'newInfections' };
parse(process.argv.slice(2), {
  ...runFlags(o),
  '--steps': (_, read) => (o.steps = read.int(2)),
  '--seed': (_, read) => (o.seed = read.int(1)),
  '--replicates': (_, read) => (o.replicates = read.int(2)),
  '--bands': (v, read) => (o.bands = v.split(',').map((b) => read.int(1, b))),
  '--metric': (v) => (o.metric = v),
});
const runtime = createRuntime({ plugins: [populations, epi], backend: 'cpu' });
describeScalarParams(runtime, o.model, o.params, o.metric, fail);
const edges = [0, ...o.bands.filter((b) => b < o.steps).sort((a, b) => a - b), o.steps];

const sim = runtime.createSimulation({ model: o.model, population: o.population, agents: o.agents, seed: o.seed });
await sim.ready();
const objective = (series) => series[o.metric].reduce((a, b) => a + b, 0);
const run = trajectories(sim, { steps: o.steps, entries: o.params.map((param) => ({ param })), objective, replicates: o.replicates }, false);
let request = run.next();
while (!request.done) request = run.next(request.value.map((t) => t.dataSync()));
const t = request.value;
const F = objective(t.series);
sim.dispose();
const cost = new Float64Array(o.steps);
for (const a of t.alts) cost[a.step] += (o.steps - a.step) / o.replicates;
const totalCost = cost.reduce((a, b) => a + b, 0);
const band = (xs, e) => ((100 * xs.slice(edges[e], edges[e + 1]).reduce((a, b) => a + b, 0)) / xs.reduce((a, b) => a + b, 0)).toFixed(1);
const names = edges.slice(0, -1).map((s, e) => `days ${s}-${edges[e + 1] - 1}`);
console.log(`${o.model} on ${o.population}, ${o.agents} agents, ${o.steps} days, seed ${o.seed}, ${o.replicates} replicates, objective ${o.metric}:sum = ${F}`);
console.log(`| parameter | estimate per replicate | ${names.map((n) => `${n}: share of second moment / of cost`).join(' | ')} |`);
console.log(`|---|---|${names.map(() => '---|').join('')}`);
o.params.forEach((p, e) => {
  const terms = Array.from({ length: o.steps }, () => new Float64Array(o.replicates));
  for (const a of t.alts) terms[a.step][a.replicate] += a.factors[e] * (objective(a.series) - F);
  const second = terms.map((row) => row.reduce((acc, v) => acc + v * v, 0) / o.replicates);
  const totals = Array.from({ length: o.replicates }, (_, k) => terms.reduce((acc, row) => acc + row[k], 0));
  console.log(`| ${p} | ${totals.map((v) => v.toFixed(0)).join(', ')} | ${names.map((_, b) => `${band(second, b)}% / ${band(Array.from(cost), b)}%`).join(' | ')} |`);
});
console.log(`alternatives' model steps: ${Math.round(totalCost * o.replicates)}`);
