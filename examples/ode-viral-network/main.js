// @ts-check
/**
 * Two time scales in one model, from @populace/ode:
 * 1. one host: the target-cell-limited influenza ODE (Baccam et al. 2006) solved with RK4,
 *    Dormand-Prince and ROS2, titer by day;
 * 2. `ode/flu-network` on core's `example/random-graph` population: every infected agent runs
 *    that ODE (10 RK4 steps a day inside each daily step) and its infectiousness V / (V + K)
 *    drives transmission along its contacts; a faster viral clearance c shrinks the epidemic;
 * 3. `ode/seir` and the agent-based `epi/seir` with the same parameters, side by side;
 * 4. a within-host parameter (the infected-cell death rate) fitted to daily cases of the network
 *    epidemic, with the gradient through both scales (the stochastic derivative).
 * Runs offline; written only against the packages' public APIs.
 */
import { calibrate, createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import epi from '@populace/models-epi';
import ode, { BACCAM_2006, solveOde, viralTcl } from '@populace/ode';

const started = Date.now();

// 1. one host
const y0 = { T: BACCAM_2006.T0, I: 0, V: BACCAM_2006.V0 };
const days = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const titers = Object.fromEntries(
  /** @type {const} */ (['rk4', 'dopri5', 'ros2']).map((method) => {
    const sol = solveOde(viralTcl, { y0, times: days, method, dt: 0.1, rtol: 1e-5, atol: 1e-3 });
    return [method, sol.states.map((s) => Number(Math.log10(Math.max(s.V.dataSync()[0], 1e-3)).toFixed(2)))];
  }),
);
console.log('one host, log10 titer (TCID50/ml) by day 0..8:');
console.table(titers);

// 2. the network epidemic, two viral clearance rates
const populace = createRuntime({ plugins: [examplePlugin, ode, epi] });
const agents = 10_000;
const steps = 30;
const base = { beta: 0.08, seedFraction: 0.002 };
const rows = [];
for (const viralC of [3, 4.5]) {
  const sim = populace.createSimulation({ model: 'ode/flu-network', population: 'example/random-graph', agents, seed: 1, params: { ...base, viralC } });
  const { metrics, wallMs } = await sim.run({ steps });
  const peak = Math.max(...metrics.newInfections);
  rows.push({ viralC, attackRate: Number((metrics.everInfected.at(-1) / agents).toFixed(3)), peakDailyCases: peak, peakDay: metrics.newInfections.indexOf(peak) + 1, msPerDay: Number((wallMs / steps).toFixed(1)) });
  sim.dispose();
}
console.log(`\node/flu-network on example/random-graph, ${agents} agents, ${steps} days (virus clearance c per day):`);
console.table(rows);
if (!(rows[1].attackRate < rows[0].attackRate)) throw new Error('a faster viral clearance should shrink the epidemic');

// 3. ODE and agent-based SEIR, same parameters
const params = { beta: 0.3, sigma: 0.2, gamma: 0.1, seedInfections: 20 };
const compare = [];
for (const model of ['ode/seir', 'epi/seir']) {
  const s = populace.createSimulation({ model, agents, seed: 1, params });
  const { metrics } = await s.run({ steps: 150 });
  const peak = Math.max(...metrics.I);
  compare.push({ model, attackRate: Number((metrics.R.at(-1) / agents).toFixed(3)), peakInfectious: Math.round(peak), peakDay: metrics.I.indexOf(peak) + 1 });
  s.dispose();
}
console.log('\node/seir against the agent-based epi/seir (beta 0.3, sigma 0.2, gamma 0.1; epi/seir draws daily events, so its R0 is larger):');
console.table(compare);
// 4. the infected-cell death rate from daily cases (synthetic: the model at viralDelta = 4)
const fitBase = { model: 'ode/flu-network', population: 'example/random-graph', agents: 1000, seed: 3 };
const fixed = { beta: 0.06, seedFraction: 0.01 };
const truth = populace.createSimulation({ ...fitBase, params: { ...fixed, viralDelta: 4 } });
const cases = (await truth.run({ steps: 35 })).metrics.newInfections;
truth.dispose();
const fitSim = populace.createSimulation({ ...fitBase, params: { ...fixed, viralDelta: 6 } });
const fit = await calibrate(fitSim, { params: ['viralDelta'], observed: { newInfections: cases }, estimator: 'stochastic-derivative', epochs: 8, learningRate: 0.1 });
fitSim.dispose();
console.log(`\nviralDelta from 35 days of daily cases (true 4, start 6): ${fit.params.viralDelta.toFixed(2)} (loss ${fit.history[0].toFixed(1)} -> ${fit.loss.toFixed(1)}, ${fit.estimator})`);
if (!(Math.abs(fit.params.viralDelta - 4) < 0.6)) throw new Error('the calibration should recover viralDelta near 4');
console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s`);
