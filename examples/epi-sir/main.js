// @ts-check
/**
 * epi/sir and epi/seir from @populace/models-epi:
 * 1. well-mixed (the `well-mixed` population has no contact layers): final attack rates against
 *    the final-size equation 1 - z = (1 - z0) exp(-R0 z) with the discrete-time R0 = beta / (1 - exp(-gamma));
 * 2. the same beta over the four contact layers of the `synthetic` population (household, school,
 *    work, community), where beta keeps its meaning per average contact and the layer weights set
 *    how much one contact of each kind counts.
 * Runs offline; written only against the packages' public APIs.
 */
import { createRuntime } from '@populace/core';
import epi, { discreteR0, finalSize } from '@populace/models-epi';
import populations from '@populace/populations';

const agents = 20_000;
const seedInfections = 20;
const populace = createRuntime({ plugins: [populations, epi] });

const rows = [];
for (const [model, beta, gamma] of /** @type {const} */ ([['epi/sir', 0.25, 0.1], ['epi/sir', 0.4, 0.2], ['epi/seir', 0.25, 0.1]])) {
  const sim = populace.createSimulation({ model, population: 'well-mixed', agents, seed: 1, params: { beta, gamma, seedInfections } });
  const { metrics, wallMs } = await sim.run({ steps: 250 });
  const r0 = discreteR0(beta, gamma);
  const peak = Math.max(...metrics.I);
  rows.push({
    model,
    beta,
    gamma,
    R0: Number(r0.toFixed(2)),
    attackRate: Number((1 - metrics.S.at(-1) / agents).toFixed(4)),
    finalSizeTheory: Number(finalSize(r0, seedInfections / agents).toFixed(4)),
    peakInfectious: peak,
    peakDay: metrics.I.indexOf(peak) + 1,
    msPerDay: Number((wallMs / 250).toFixed(1)),
  });
  sim.dispose();
}
console.log(`well-mixed, ${agents} agents, backend ${(await populace.ready()).name}`);
console.table(rows);
const worst = Math.max(...rows.map((r) => Math.abs(r.attackRate - r.finalSizeTheory)));
if (worst > 0.02) {
  console.error(`an attack rate differs from the final-size equation by ${worst.toFixed(4)} (> 0.02)`);
  process.exit(1);
}

const layered = [];
for (const weights of [{}, { householdWeight: 5 }, { schoolWeight: 0, workWeight: 0 }]) {
  const sim = populace.createSimulation({ model: 'epi/sir', population: 'synthetic', agents, seed: 1, params: { beta: 0.25, gamma: 0.1, seedInfections, ...weights } });
  const { metrics } = await sim.run({ steps: 150 });
  const peak = Math.max(...metrics.I);
  layered.push({ layers: Object.keys(weights).length ? JSON.stringify(weights) : 'all weights 1', attackRate: Number((1 - metrics.S.at(-1) / agents).toFixed(4)), peakInfectious: peak, peakDay: metrics.I.indexOf(peak) + 1 });
  sim.dispose();
}
console.log(`\nepi/sir over the synthetic population's contact layers (beta 0.25, gamma 0.1, ${agents} agents, 150 days)`);
console.table(layered);
