// @ts-check
/**
 * 1. "Observe" an epidemic: daily new infections simulated with a known beta on one seed.
 * 2. Calibrate the simulator itself (another seed, beta started 2.5x too high) by gradient descent
 *    through whole simulated trajectories (Poisson likelihood of the daily counts).
 * 3. Rank the parameters by their effect on total infections (on a contact network, by the unbiased
 *    stochastic derivative, with its Monte Carlo standard error).
 * Runs offline; written only against @populace/core's public API.
 */
import { calibrate, createRuntime, sensitivity } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';

const agents = 5000;
const days = 40;
const trueBeta = 0.05;
const common = { model: 'network-sir', population: 'random-graph', agents };

const populace = createRuntime({ plugins: [examplePlugin] });

const world = populace.createSimulation({ ...common, seed: 101, params: { beta: trueBeta, seedFraction: 0.005 } });
const cases = (await world.run({ steps: days })).metrics.newInfections;
world.dispose();

const sim = populace.createSimulation({ ...common, seed: 7, params: { beta: 0.125, seedFraction: 0.005 } });
const t0 = performance.now();
const fit = await calibrate(sim, {
  params: ['beta'],
  observed: { newInfections: cases },
  loss: 'poisson',
  epochs: 80,
  onEpoch: ({ epoch, loss, params }) => {
    if (epoch % 10 === 0) console.log(`epoch ${String(epoch).padStart(3)}  loss ${loss.toFixed(2).padStart(9)}  beta ${Number(params.beta).toFixed(4)}`);
  },
});
const seconds = (performance.now() - t0) / 1000;
const fitted = Number(fit.params.beta);
console.log(`\nbeta: true ${trueBeta}, started at 0.125, fitted ${fitted.toFixed(4)} (${((100 * (fitted - trueBeta)) / trueBeta).toFixed(1)}% off) in ${fit.epochs} epochs, ${seconds.toFixed(1)} s (${fit.stopped})`);

const every = Math.ceil(days / 8);
console.table(
  cases
    .map((observed, i) => ({ day: i + 1, observed, fitted: fit.fit.newInfections[i] }))
    .filter((row) => row.day % every === 0),
);

const ranking = await sensitivity(sim, { output: 'newInfections:sum' });
console.log(`sensitivity of total infections (${ranking.output.value}) by the ${ranking.estimator} estimator (${ranking.accuracy.status} against finite differences):`);
console.table(ranking.entries.map((e) => ({ param: e.param, value: Number(e.value.toFixed(4)), gradient: Number(e.gradient.toFixed(1)), standardError: e.standardError === undefined ? null : Number(e.standardError.toFixed(1)), elasticity: e.elasticity === null ? null : Number(e.elasticity.toFixed(3)) })));
sim.dispose();

if (Math.abs(fitted - trueBeta) / trueBeta > 0.15) {
  console.error('calibration missed the true beta by more than 15%');
  process.exit(1);
}
