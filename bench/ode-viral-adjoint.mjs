#!/usr/bin/env node
/**
 * Memory and time of the gradient through a long ODE solve: `ode/seir`'s SEIR component for
 * `--systems` systems (one beta, each its own initial infectious fraction) over `--days` days, RK4 with 10 internal steps a day,
 * d(sum over days and systems of the infectious fraction)/d(beta), four ways:
 *   tape        solveOde on the tape (every op of every internal step recorded)
 *   adjoint     solveOde with gradient: 'adjoint' (discrete adjoint, checkpoints at the days)
 *   checkpoint  the same ODE as a model (odeSubstep, one day a step), core's sensitivity with
 *               checkpointEvery = ceil(sqrt(days)) (segments re-run on the tape)
 *   model-tape  that model with checkpointEvery = days (one segment: the whole tape)
 * Each variant runs in its own child process; peak memory is that process's maximum RSS.
 *
 *   node bench/ode-viral-adjoint.mjs                          # 1,000 systems, 365 days
 *   node bench/ode-viral-adjoint.mjs --systems 200 --days 120 --variants adjoint,checkpoint
 *
 * Needs a build (npm run build). Exit 2 with one line on stderr for a bad option.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRuntime, defineModel, definePlugin, sensitivity, sumOf, tf } from '@populace/core';
import { odeParameters, odeSubstep, seirOde, solveOde } from '@populace/ode';

const VARIANTS = ['tape', 'adjoint', 'checkpoint', 'model-tape'];
const o = { systems: 1000, days: 365, variants: VARIANTS, variant: undefined };
const argv = process.argv.slice(2);
const fail = (m) => {
  process.stderr.write(`ode-viral-adjoint: ${m}\n`);
  process.exit(2);
};
for (let i = 0; i < argv.length; i += 2) {
  const [flag, value] = [argv[i], argv[i + 1]];
  if (value === undefined) fail(`${flag} expects a value`);
  if (flag === '--systems' || flag === '--days') {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) fail(`${flag} expects a positive integer, received '${value}'`);
    o[flag.slice(2)] = n;
  } else if (flag === '--variants') {
    o.variants = value.split(',');
    for (const v of o.variants) if (!VARIANTS.includes(v)) fail(`--variants expects some of ${VARIANTS.join(', ')}, received '${v}'`);
  } else if (flag === '--variant') o.variant = value;
  else fail(`unknown option '${flag}'`);
}

/** Each system's initial infectious fraction (the systems differ; beta is one scalar). */
const seeds = (n) => Float32Array.from({ length: n }, (_, k) => 1e-4 * (1 + (9 * k) / Math.max(1, n - 1)));

/** One variant in this process: returns { ms, value, grad }. */
async function runVariant(variant) {
  const runtime = createRuntime({ plugins: [], backend: 'cpu' });
  await runtime.ready();
  const n = o.systems;
  if (variant === 'tape' || variant === 'adjoint') {
    const times = Array.from({ length: o.days + 1 }, (_, d) => d);
    const beta = tf.variable(tf.scalar(0.3));
    const i0 = tf.tensor1d(seeds(n));
    const t0 = performance.now();
    const { grads, value } = tf.variableGrads(() => {
      const sol = solveOde(seirOde, { y0: { s: tf.sub(1, i0), i: i0 }, params: { beta }, times, method: 'rk4', dt: 0.1, gradient: variant });
      return tf.addN(sol.states.slice(1).map((st) => tf.sum(st.i)));
    }, [beta]);
    return { ms: performance.now() - t0, value: value.dataSync()[0], grad: grads[beta.name].dataSync()[0] };
  }
  // the same systems as agents of a model, one day per step: core's checkpointing across days
  const P = (x) => `agents/hosts/${x}`;
  const model = defineModel({
    id: 'seir-batch',
    description: 'one SEIR ODE per agent',
    state: {
      agents: {
        hosts: {
          properties: {
            s: { dtype: 'float32', init: (ctx) => seeds(ctx.count).map((x) => 1 - x) },
            e: { dtype: 'float32', init: 0 },
            i: { dtype: 'float32', init: (ctx) => seeds(ctx.count) },
            r: { dtype: 'float32', init: 0 },
          },
        },
      },
    },
    parameters: { ...odeParameters(seirOde), beta: { default: 0.3, bounds: [0, 50], learnable: true } },
    substeps: [odeSubstep(seirOde, { state: { s: P('s'), e: P('e'), i: P('i'), r: P('r') }, method: 'rk4', dt: 0.1 })],
    metrics: { infectious: sumOf(P('i'), 'sum of the infectious fractions') },
    defaultAgents: n,
  });
  const plugin = definePlugin({ name: 'bench', version: '0.0.0', models: [model] });
  const rt = createRuntime({ plugins: [plugin], backend: 'cpu' });
  const sim = rt.createSimulation({ model: 'bench/seir-batch', agents: n, seed: 1 });
  await sim.ready();
  const t0 = performance.now();
  const s = await sensitivity(sim, { output: 'infectious:sum', steps: o.days, params: ['beta'], estimator: 'straight-through', checkpointEvery: variant === 'checkpoint' ? Math.ceil(Math.sqrt(o.days)) : o.days });
  return { ms: performance.now() - t0, value: s.output.value, grad: s.gradients.beta };
}

/** Prints the result of one child per variant and a table. */
async function main() {
  if (o.variant) {
    const r = await runVariant(o.variant);
    r.maxRssMB = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(JSON.stringify(r));
    return;
  }
  const self = fileURLToPath(import.meta.url);
  console.log(`SEIR, ${o.systems} systems (one beta, initial infectious fraction 1e-4..1e-3), ${o.days} days, RK4 dt 0.1 (${o.days * 10} internal steps), output = sum over days and systems of i:`);
  console.log('| variant | time (s) | peak RSS (MB) | output | d output / d beta |');
  console.log('|---|---|---|---|---|');
  for (const v of o.variants) {
    try {
      const out = execFileSync(process.execPath, [self, '--variant', v, '--systems', String(o.systems), '--days', String(o.days)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      const r = JSON.parse(out);
      console.log(`| ${v} | ${(r.ms / 1000).toFixed(1)} | ${Math.round(r.maxRssMB)} | ${r.value.toPrecision(6)} | ${r.grad.toPrecision(6)} |`);
    } catch (error) {
      console.log(`| ${v} | failed: ${String(error.message).split('\n')[0]} | | | |`);
    }
  }
}
await main();
