#!/usr/bin/env node
/**
 * Gradients against same-seed central finite differences (common random numbers), averaged over
 * seeds: the criterion of packages/core/GRADIENTS.md. For each seed and parameter it computes the
 * gradient of `output` by each estimator and (f(theta + h) - f(theta - h)) / 2h with the same seed,
 * then prints the table (mean +/- standard error over seeds, ratio) and registry rows for
 * packages/core/src/gradients/measured-deviations.ts.
 *
 *   node bench/gradients-fd.mjs --model epi/seir --population synthetic --params beta,gamma
 *   node bench/gradients-fd.mjs --model epi/covid --population nyc --params infectiousDays,householdWeight --replicates 1
 *   node bench/gradients-fd.mjs --help
 *
 * Needs a build (npm run build). Exit 2 with one line on stderr for a bad option.
 */
import { createRuntime, sensitivity } from '@populace/core';
import epi from '@populace/models-epi';
import populations from '@populace/populations';
import { cli, runFlags } from './lib/flags.mjs';

const HELP = `usage: node bench/gradients-fd.mjs [options]
  --model ID          model (default epi/seir)
  --population ID     population (default synthetic)
  --params a,b        learnable parameters (default beta,gamma); an entry of a time-varying one as name[i], e.g. R[0]
  --agents N          agents (default 20000)
  --steps N           days (default 60)
  --seeds N           number of seeds (default 10)
  --first-seed N      seeds first..first+N-1 (default 1)
  --h X               finite-difference step relative to the parameter (default 0.05)
  --estimators a,b    stochastic-derivative, straight-through (default both), or none (finite differences only)
  --replicates N      stochastic-derivative replicates per seed (default 2)
  --stratify S        stochastic-derivative alternatives: none (default: one per step) or events (one per event call and flip direction, about 10x the cost on epi/covid)
  --allocation A      stochastic-derivative alternatives per step: uniform (default) or adaptive (a pilot replicate measures where the estimate varies; same cost)
  --output M:AGG      sensitivity output (default newInfections:sum)
  --json              one JSON document on stdout (the table goes to stderr)`;

const { fail, parse } = cli('gradients-fd', HELP);
const ESTIMATORS = ['stochastic-derivative', 'straight-through'];
const o = { model: 'epi/seir', population: 'synthetic', params: ['beta', 'gamma'], agents: 20000, steps: 60, seeds: 10, h: 0.05, estimators: [...ESTIMATORS], replicates: 2, stratify: 'none', allocation: 'uniform', firstSeed: 1, output: 'newInfections:sum', json: false };
parse(
  process.argv.slice(2),
  {
    ...runFlags(o),
    '--steps': (_, read) => (o.steps = read.int(1)),
    '--seeds': (_, read) => (o.seeds = read.int(2)),
    '--replicates': (_, read) => (o.replicates = read.int(1)),
    '--first-seed': (_, read) => (o.firstSeed = read.int(1)),
    '--output': (v) => (o.output = v),
    '--allocation': (_, read) => (o.allocation = read.oneOf(['uniform', 'adaptive'])),
    '--stratify': (_, read) => (o.stratify = read.oneOf(['none', 'events'])),
    '--h': (_, read) => (o.h = read.number(0, 1)),
    '--estimators': (v) => {
      o.estimators = v === 'none' ? [] : v.split(',').filter(Boolean);
      for (const e of o.estimators) if (!ESTIMATORS.includes(e)) fail(`--estimators expects stochastic-derivative and/or straight-through, or none, received '${e}'`);
    },
  },
  { '--json': () => (o.json = true) },
);
const command = `node bench/gradients-fd.mjs ${process.argv.slice(2).join(' ')}`.trim();
const runtime = createRuntime({ plugins: [populations, epi], backend: 'cpu' });
let describe;
try {
  describe = runtime.describeModel(o.model);
} catch (error) {
  fail(error.message);
}
/** A parameter entry: `name` (a scalar) or `name[i]` (entry i of a time-varying parameter). */
const entryOf = (p) => {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$/.exec(p);
  const spec = m ? describe.parameters[m[1]] : undefined;
  if (!m || !spec || !spec.learnable) fail(`--params: '${p}' is not a learnable parameter of ${o.model} (a scalar name, or name[i] for an entry of a time-varying one)`);
  const vector = Array.isArray(spec.default);
  if (vector !== (m[2] !== undefined)) fail(`--params: '${p}' ${vector ? `is time-varying: name one entry, e.g. ${m[1]}[0]` : 'is a scalar: drop the [i]'}`);
  if (vector && Number(m[2]) >= spec.default.length) fail(`--params: '${p}': ${m[1]} has ${spec.default.length} entries (0..${spec.default.length - 1})`);
  return vector ? { name: m[1], index: Number(m[2]), value: spec.default[Number(m[2])], base: spec.default } : { name: m[1], value: spec.default };
};
const entries = Object.fromEntries(o.params.map((p) => [p, entryOf(p)]));
/** Parameter values with entry `p` moved to `v`. */
const moved = (p, v) => {
  const e = entries[p];
  return e.index === undefined ? { [e.name]: v } : { [e.name]: e.base.map((x, i) => (i === e.index ? v : x)) };
};
const gradientOf = (s, p) => {
  const e = entries[p];
  const g = s.gradients[e.name];
  return e.index === undefined ? g : g[e.index];
};
const [metric, agg = 'sum'] = o.output.split(':');
const aggregate = (series) => {
  if (agg === 'sum') return series.reduce((a, b) => a + b, 0);
  if (agg === 'mean') return series.reduce((a, b) => a + b, 0) / series.length;
  if (agg === 'max') return Math.max(...series);
  if (agg === 'min') return Math.min(...series);
  return series[series.length - 1];
};
const log = (line) => (o.json ? process.stderr : process.stdout).write(`${line}\n`);
const stats = (xs) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  return { mean, se: sd / Math.sqrt(xs.length) };
};

const per = Object.fromEntries(o.params.map((p) => [p, { fd: [], ...Object.fromEntries(o.estimators.map((e) => [e, []])) }]));
const outputs = [];
const seconds = Object.fromEntries(o.estimators.map((e) => [e, 0]));
let forwardSeconds = 0;
for (let seed = o.firstSeed; seed < o.firstSeed + o.seeds; seed++) {
  const base = { model: o.model, population: o.population, agents: o.agents, seed };
  const value = async (params) => {
    const sim = runtime.createSimulation({ ...base, params });
    const t0 = performance.now();
    const { metrics } = await sim.run({ steps: o.steps });
    forwardSeconds += (performance.now() - t0) / 1000;
    sim.dispose();
    return aggregate(metrics[metric]);
  };
  for (const estimator of o.estimators) {
    const sim = runtime.createSimulation(base);
    const t0 = performance.now();
    const s = await sensitivity(sim, { output: o.output, steps: o.steps, params: [...new Set(Object.values(entries).map((e) => e.name))], estimator, replicates: o.replicates, stratify: o.stratify, allocation: o.allocation });
    seconds[estimator] += (performance.now() - t0) / 1000;
    for (const p of o.params) per[p][estimator].push(gradientOf(s, p));
    sim.dispose();
  }
  outputs.push(await value({}));
  for (const p of o.params) {
    const v = entries[p].value;
    const h = o.h * Math.abs(v);
    per[p].fd.push(((await value(moved(p, v + h))) - (await value(moved(p, v - h)))) / (2 * h));
  }
  log(`seed ${seed}: ${o.params.map((p) => [`${p} fd ${per[p].fd.at(-1).toFixed(1)}`, ...o.estimators.map((e) => `${e} ${per[p][e].at(-1).toFixed(1)}`)].join(' ')).join(' | ')}`);
}

const measured = new Date().toISOString().slice(0, 10);
const rows = [];
log(`\n${o.model} on ${o.population}, ${o.agents} agents, ${o.steps} steps, ${o.seeds} seeds (${o.firstSeed}..${o.firstSeed + o.seeds - 1}), output ${o.output}, h = ${o.h} x parameter`);
const out = stats(outputs);
log(`output at the defaults: ${out.mean.toFixed(1)} +/- ${out.se.toFixed(1)}; elasticity = gradient x parameter / output`);
log('| parameter | estimator | gradient (mean +/- SE) | finite differences (mean +/- SE) | ratio | elasticity (gradient; finite differences) |');
log('|---|---|---|---|---|---|');
for (const p of o.params) {
  const fd = stats(per[p].fd);
  const elasticity = (x) => ((x * entries[p].value) / out.mean).toFixed(3);
  if (o.estimators.length === 0) log(`| ${p} | (none) | - | ${fd.mean.toFixed(1)} +/- ${fd.se.toFixed(1)} | - | -; ${elasticity(fd.mean)} |`);
  for (const e of o.estimators) {
    const g = stats(per[p][e]);
    const ratio = g.mean / fd.mean;
    log(`| ${p} | ${e} | ${g.mean.toFixed(1)} +/- ${g.se.toFixed(1)} | ${fd.mean.toFixed(1)} +/- ${fd.se.toFixed(1)} | ${ratio.toFixed(2)} | ${elasticity(g.mean)}; ${elasticity(fd.mean)} |`);
    rows.push({ model: o.model, population: o.population.slice(o.population.lastIndexOf('/') + 1), param: p, estimator: e, output: o.output, agents: o.agents, steps: o.steps, seeds: o.seeds, gradient: Number(g.mean.toPrecision(6)), gradientSE: Number(g.se.toPrecision(3)), finiteDifference: Number(fd.mean.toPrecision(6)), finiteDifferenceSE: Number(fd.se.toPrecision(3)), ratio: Number(ratio.toFixed(3)), command, measured });
  }
}
const forwardRuns = (2 * o.params.length + 1) * o.seeds;
log(`\ntime per seed: ${o.estimators.map((e) => `${e} ${(seconds[e] / o.seeds).toFixed(1)} s`).join(', ')}; one forward run ${(forwardSeconds / forwardRuns).toFixed(2)} s`);
if (o.json) process.stdout.write(`${JSON.stringify({ rows, output: out, secondsPerSeed: Object.fromEntries(o.estimators.map((e) => [e, seconds[e] / o.seeds])), forwardSeconds: forwardSeconds / forwardRuns })}\n`);
else log(`\nregistry rows:\n${rows.map((r) => JSON.stringify(r)).join(',\n')}`);
