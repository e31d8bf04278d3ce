/**
 * Within-host ODEs for a population: the target-cell-limited influenza model (Baccam et al.
 * 2006, @populace/ode's `viralTcl`) for N hosts over `--days` simulated days.
 *   - RK4 (dt 0.1 day), fused path (the component's pointwise derivative; forward only)
 *   - RK4, tensor path (tfjs ops; what the tape records)
 *   - RK4 forward + backward (d sum(V) / d p through the tensor path) on --grad-agents hosts
 *   - Dormand-Prince 5(4) (rtol 1e-6, atol 1e-3): fused with independent steps per system on N
 *     hosts, and the masked tensor path on --grad-agents hosts
 * and, in the same run when python3 with NumPy is present, bench/ode-viral.py: vectorised NumPy
 * RK4 (float64 and float32) on the same N, and scipy's solve_ivp (RK45) on a smaller batch.
 * Wall and CPU milliseconds are both reported (CPU time is the fairer ratio on a shared machine).
 *
 *   npm run bench:ode                       # build, then 1M hosts for one day
 *   node bench/ode-viral.mjs --agents 100000 --days 2 --json
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createRuntime, tf } from '@populace/core';
import { BACCAM_2006, solveOde, viralTcl } from '@populace/ode';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`ode-viral: --${name} expects a positive number, received ${JSON.stringify(process.argv[i + 1])}\n`);
    process.exit(2);
  }
  return value;
}
const agents = option('agents', 1_000_000);
const days = option('days', 1);
const gradAgents = option('grad-agents', 100_000);
const json = process.argv.includes('--json');
const dt = 0.1;
const log = (s) => process.stderr.write(s + '\n');

await createRuntime({ plugins: [], backend: 'cpu' }).ready();
const tensorPath = Object.freeze({ ...viralTcl, pointwise: undefined });
let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const rssTimer = setInterval(sampleRss, 20);

function start(n) {
  return { T: tf.fill([n], BACCAM_2006.T0), I: tf.zeros([n]), V: tf.mul(BACCAM_2006.V0, tf.pow(10, tf.mul(6 / n, tf.range(0, n)))) };
}

function measure(label, n, fn) {
  const y0 = start(n);
  sampleRss();
  const rss0 = process.memoryUsage().rss;
  const [t0, c0] = [performance.now(), process.cpuUsage()];
  const sumV = fn(y0);
  const cpu = process.cpuUsage(c0);
  const row = { label, agents: n, wallMs: Math.round(performance.now() - t0), cpuMs: Math.round((cpu.user + cpu.system) / 1000), sumV, rssMb: Math.round(Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20), rssGrowthMb: Math.round((process.memoryUsage().rss - rss0) / 2 ** 20) };
  tf.dispose(Object.values(y0));
  log(`${label.padEnd(36)} ${String(n).padStart(8)} hosts  wall ${String(row.wallMs).padStart(7)} ms  cpu ${String(row.cpuMs).padStart(7)} ms  sum V ${sumV.toExponential(4)}`);
  return row;
}

const times = [0, days];
const forward = (component, method) => (y0) => {
  const sol = solveOde(component, { y0, times, method, dt, rtol: 1e-6, atol: 1e-3 });
  const v = tf.sum(sol.states[1].V).dataSync()[0];
  tf.dispose(Object.values(sol.states[1]));
  return v;
};

log(`ode-viral: ${agents} hosts, ${days} day(s), RK4 dt ${dt}; machine: shared 2-core VM under load (compare rows of one run)`);
const rows = [];
rows.push(measure('rk4 fused (forward)', agents, forward(viralTcl, 'rk4')));
rows.push(measure('rk4 tensor ops (forward)', agents, forward(tensorPath, 'rk4')));
rows.push(
  measure('rk4 tensor ops (forward + backward)', gradAgents, (y0) => {
    const p = tf.variable(tf.scalar(BACCAM_2006.p));
    const { value, grads } = tf.variableGrads(() => tf.sum(solveOde(viralTcl, { y0, params: { p }, times, method: 'rk4', dt }).states[1].V), [p]);
    const v = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads), p]);
    return v;
  }),
);
rows.push(measure('dopri5 fused, own steps (forward)', agents, forward(viralTcl, 'dopri5')));
rows.push(measure('dopri5 tensor ops, masked (forward)', gradAgents, forward(tensorPath, 'dopri5')));
clearInterval(rssTimer);

let python = null;
try {
  const out = execFileSync('python3', [path.join(import.meta.dirname, 'ode-viral.py'), '--agents', String(agents), '--days', String(days), '--dt', String(dt)], { encoding: 'utf8' });
  python = JSON.parse(out);
  log(`numpy ${python.numpy} rk4 float64               ${String(agents).padStart(8)} hosts  wall ${String(Math.round(python.rk4Float64Ms)).padStart(7)} ms  cpu ${String(Math.round(python.rk4Float64CpuMs)).padStart(7)} ms  sum V ${python.rk4Float64SumV.toExponential(4)}`);
  log(`numpy ${python.numpy} rk4 float32               ${String(agents).padStart(8)} hosts  wall ${String(Math.round(python.rk4Float32Ms)).padStart(7)} ms  cpu ${String(Math.round(python.rk4Float32CpuMs)).padStart(7)} ms  sum V ${python.rk4Float32SumV.toExponential(4)}`);
  if (python.scipy) log(`scipy ${python.scipy} solve_ivp RK45           ${String(python.scipyAgents).padStart(8)} hosts  wall ${String(Math.round(python.scipyRk45Ms)).padStart(7)} ms  cpu ${String(Math.round(python.scipyRk45CpuMs)).padStart(7)} ms  (${python.scipyNfev} evaluations)`);
  const fused = rows[0];
  log(`ratio, CPU time: fused RK4 / NumPy float64 RK4 = ${(fused.cpuMs / python.rk4Float64CpuMs).toFixed(2)}, / NumPy float32 = ${(fused.cpuMs / python.rk4Float32CpuMs).toFixed(2)}; tensor-op RK4 / NumPy float32 = ${(rows[1].cpuMs / python.rk4Float32CpuMs).toFixed(2)}`);
} catch (error) {
  log(`python3 with NumPy not available (${error.message.split('\n')[0]}): no NumPy comparison`);
}
if (json) process.stdout.write(JSON.stringify({ agents, days, dt, rows, python }) + '\n');
