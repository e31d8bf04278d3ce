#!/usr/bin/env node
/**
 * The gradient of daily cases with respect to a WITHIN-HOST parameter of `ode/flu-network`
 * (the viral ODE of every infected host drives transmission on a contact network), against
 * same-seed central finite differences (common random numbers) averaged over seeds: the
 * criterion of packages/core/GRADIENTS.md, for the two-scale model.
 *
 *   node bench/ode-viral-gradients.mjs                       # viralDelta, 3,000 agents, 45 days, 8 seeds
 *   node bench/ode-viral-gradients.mjs --param viralP --steps 60
 *   node bench/ode-viral-gradients.mjs --help
 *
 * Needs a build (npm run build). Exit 2 with one line on stderr for a bad option.
 */
import { createRuntime, sensitivity } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import ode from '@populace/ode';
import { cli } from './lib/flags.mjs';

const HELP = `usage: node bench/ode-viral-gradients.mjs [options]
  --param NAME        within-host parameter of ode/flu-network (default viralDelta; also viralBeta, viralP, viralC, halfInfectiousTiter)
  --agents N          agents of example/random-graph (default 3000)
  --steps N           days (default 45)
  --seeds N           number of seeds (default 8)
  --first-seed N      seeds first..first+N-1 (default 1)
  --h X               finite-difference step relative to the parameter (default 0.1)
  --estimators a,b    stochastic-derivative, straight-through (default both)
  --replicates N      stochastic-derivative replicates per seed (default 2)
  --beta X            between-host transmission rate (default 0.06)
  --seed-fraction X   fraction infected on day 0 (default 0.005)
  --output M:AGG      sensitivity output (default newInfections:sum)`;

const { fail, parse } = cli('ode-viral-gradients', HELP);
const ESTIMATORS = ['stochastic-derivative', 'straight-through'];
const o = { param: 'viralDelta', agents: 3000, steps: 45, seeds: 8, firstSeed: 1, h: 0.1, estimators: [...ESTIMATORS], replicates: 2, beta: 0.06, seedFraction: 0.005, output: 'newInfections:sum' };
parse(process.argv.slice(2), {
  '--param': (v) => (o.param = v),
  '--agents': (_, read) => (o.agents = read.int(10)),
  '--steps': (_, read) => (o.steps = read.int(1)),
  '--seeds': (_, read) => (o.seeds = read.int(2)),
  '--first-seed': (_, read) => (o.firstSeed = read.int(1)),
  '--replicates': (_, read) => (o.replicates = read.int(1)),
  '--h': (_, read) => (o.h = read.number(0, 1)),
  '--beta': (_, read) => (o.beta = read.number(0, 10)),
  '--seed-fraction': (_, read) => (o.seedFraction = read.number(0, 1)),
  '--output': (v) => (o.output = v),
  '--estimators': (v) => {
    o.estimators = v.split(',').filter(Boolean);
    for (const e of o.estimators) if (!ESTIMATORS.includes(e)) fail(`--estimators expects stochastic-derivative and/or straight-through, received '${e}'`);
  },
});

const runtime = createRuntime({ plugins: [examplePlugin, ode], backend: 'cpu' });
const model = 'ode/flu-network';
const spec = runtime.describeModel(model).parameters[o.param];
if (!spec || !spec.learnable || Array.isArray(spec.default)) fail(`--param: '${o.param}' is not a learnable scalar parameter of ${model}`);
const [metric, agg = 'sum'] = o.output.split(':');
if (agg !== 'sum') fail(`--output: only ':sum' is supported here, received '${o.output}'`);
const stats = (xs) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  return { mean, se: sd / Math.sqrt(xs.length) };
};

const fixed = { beta: o.beta, seedFraction: o.seedFraction };
const v = spec.default;
const h = o.h * Math.abs(v);
const per = { fd: [], totals: [], ...Object.fromEntries(o.estimators.map((e) => [e, []])) };
const seconds = Object.fromEntries(o.estimators.map((e) => [e, 0]));
let forwardSeconds = 0;
for (let seed = o.firstSeed; seed < o.firstSeed + o.seeds; seed++) {
  const base = { model, population: 'example/random-graph', agents: o.agents, seed };
  const total = async (params) => {
    const sim = runtime.createSimulation({ ...base, params: { ...fixed, ...params } });
    const t0 = performance.now();
    const { metrics } = await sim.run({ steps: o.steps });
    forwardSeconds += (performance.now() - t0) / 1000;
    sim.dispose();
    return metrics[metric].reduce((a, b) => a + b, 0);
  };
  per.totals.push(await total({}));
  for (const estimator of o.estimators) {
    const sim = runtime.createSimulation({ ...base, params: fixed });
    const t0 = performance.now();
    const s = await sensitivity(sim, { output: o.output, steps: o.steps, params: [o.param], estimator, replicates: o.replicates });
    seconds[estimator] += (performance.now() - t0) / 1000;
    per[estimator].push(s.gradients[o.param]);
    sim.dispose();
  }
  per.fd.push(((await total({ [o.param]: v + h })) - (await total({ [o.param]: v - h }))) / (2 * h));
  console.log(`seed ${seed}: total ${per.totals.at(-1)}, fd ${per.fd.at(-1).toFixed(1)} ${o.estimators.map((e) => `${e} ${per[e].at(-1).toFixed(1)}`).join(' ')}`);
}

const fd = stats(per.fd);
const fmt = (x) => Math.round(x).toLocaleString('en-US');
console.log(`\nd(total ${metric} over ${o.steps} days)/d(${o.param}) at ${o.param} = ${v}, ${o.agents} agents, seeds ${o.firstSeed}-${o.firstSeed + o.seeds - 1}, h = ${o.h * 100}%; mean total ${fmt(stats(per.totals).mean)}`);
console.log('| estimator | gradient (mean +/- SE) | finite differences (mean +/- SE) | ratio | seconds per seed |');
console.log('|---|---|---|---|---|');
for (const e of o.estimators) {
  const g = stats(per[e]);
  console.log(`| ${e} | ${fmt(g.mean)} +/- ${fmt(g.se)} | ${fmt(fd.mean)} +/- ${fmt(fd.se)} | ${(g.mean / fd.mean).toFixed(2)} | ${(seconds[e] / o.seeds).toFixed(1)} |`);
}
console.log(`forward run: ${(forwardSeconds / (3 * o.seeds)).toFixed(2)} s per run`);
