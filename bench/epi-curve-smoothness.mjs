// How smoothly epi/covid's transmission scale R_mix (the inverse of the reproduction curve that
// branching runs measure on the population, reproduction.ts) moves with a parameter the curve
// depends on. For each seed it builds the simulation at theta0 x (1 + 0.1 k), k = -2..2, reads
// R_mix at R, and prints the central difference over +/-10% (what finite differences of the model
// see), the least-squares slope over the five points (what curve-sensitivity.ts gives the
// gradients) and the scatter of the points about that line (the measurement noise).
// Needs the builds.
// Usage: node bench/epi-curve-smoothness.mjs [--param infectiousDays] [--population nyc] [--agents 20000] [--seeds 3] [--R 2.5]
import { createRuntime } from '@populace/core';
import epi from '@populace/models-epi';
import populations from '@populace/populations';
import { emit, flag } from './lib/measure.mjs';

const args = process.argv.slice(2);
const usage = 'node bench/epi-curve-smoothness.mjs [--param infectiousDays] [--population nyc] [--agents 20000] [--seeds 3] [--R 2.5]';
if (args.includes('--help')) {
  console.log(usage);
  process.exit(0);
}
const runtime = createRuntime({ plugins: [populations, epi], backend: 'cpu' });
const spec = runtime.describeModel('epi/covid').parameters;
const param = flag(args, 'param', 'infectiousDays');
const population = flag(args, 'population', 'nyc');
const agents = Number(flag(args, 'agents', 20_000));
const seeds = Number(flag(args, 'seeds', 3));
const r = Number(flag(args, 'R', spec.R.default[0]));
const base = spec[param]?.default;
if (typeof base !== 'number' || !Number.isInteger(agents) || agents < 1 || !Number.isInteger(seeds) || seeds < 1 || !(r > 0)) {
  process.stderr.write(`epi-curve-smoothness bench: bad arguments (--param must name a scalar parameter of epi/covid); usage: ${usage}\n`);
  process.exit(2);
}

/** R_mix at R on a curve [0, 0, R_real_1, R_mix_1, ...]: the piecewise-linear inverse (reproduction.ts). */
function mixAt(curve) {
  const points = Math.floor(curve.length / 2);
  let k = 1;
  while (k < points - 1 && curve[2 * k] < r) k++;
  const [r0, x0, r1, x1] = curve.slice(2 * k - 2, 2 * k + 2);
  const slope = r > r1 ? x1 / r1 : (x1 - x0) / Math.max(r1 - r0, 1e-12);
  return r > r1 ? slope * r : x0 + slope * (r - r0);
}

const rows = [];
for (let seed = 1; seed <= seeds; seed++) {
  const xs = [-2, -1, 0, 1, 2].map((k) => base * (1 + 0.1 * k));
  const ys = [];
  for (const v of xs) {
    const sim = runtime.createSimulation({ model: 'epi/covid', population, agents, seed, params: { [param]: v, R: spec.R.default.map(() => r) } });
    await sim.ready();
    const curve = Array.from(await sim.state('env/reproductionCurve').data()).slice(0, -1);
    ys.push(mixAt(curve));
    sim.dispose();
  }
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const scatter = Math.sqrt(ys.reduce((a, y, i) => a + (y - my - slope * (xs[i] - mx)) ** 2, 0) / (xs.length - 2));
  const central = (ys[3] - ys[1]) / (xs[3] - xs[1]);
  rows.push({ seed, param, values: xs, rMix: ys, centralDifference: central, leastSquaresSlope: slope, scatter, scatterRelative: scatter / my });
  process.stderr.write(`seed ${seed}: R_mix ${ys.map((y, i) => `${xs[i].toPrecision(3)}:${y.toFixed(3)}`).join(' ')}; central ${central.toFixed(4)}, least squares ${slope.toFixed(4)}, scatter ${scatter.toFixed(3)} (${((100 * scatter) / my).toFixed(1)}%)\n`);
}
emit({ bench: 'epi-curve-smoothness', population, agents, R: r, rows });
