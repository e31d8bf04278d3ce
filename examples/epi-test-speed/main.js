// @ts-check
/**
 * "What kind of test do you want?" The same COVID-19 epidemic (epi/covid, R = 2.5, on a synthetic
 * population's household, school, work and community layers) with the same number of tests a
 * day, of different kinds: results the same day but less accurate, or accurate but days later.
 * Positives isolate (false positives too). Test characteristics are the presets of
 * @populace/models-epi (their sources are in its README); the seed brief's two options are
 * stress-test values, not literature estimates.
 * Runs offline; written only against the packages' public APIs.
 */
import { createRuntime } from '@populace/core';
import epi, { TEST_PRESETS } from '@populace/models-epi';
import populations from '@populace/populations';

const agents = 30_000;
const days = 75;
const testsPerDay = 300; // 1% of the population a day
const populace = createRuntime({ plugins: [populations, epi] });

const scenarios = {
  'no testing': {},
  'PCR: 80% sensitive, 99.9% specific, 3 days': { testsPerDay, ...TEST_PRESETS.pcr },
  'rapid antigen: 71%, 98.9%, same day': { testsPerDay, ...TEST_PRESETS.rapidAntigen },
  'seed option A: 10% false positives, 3 days': { testsPerDay, ...TEST_PRESETS.seedSlowerMoreSpecific },
  'seed option B: 40% false positives, 1 day': { testsPerDay, ...TEST_PRESETS.seedFasterLessSpecific },
};

const sum = (/** @type {number[]} */ xs) => xs.reduce((a, b) => a + b, 0);
const rows = [];
for (const [name, params] of Object.entries(scenarios)) {
  const sim = populace.createSimulation({ model: 'epi/covid', population: 'synthetic', agents, seed: 7, params: { seedInfections: 30, ...params } });
  const { metrics: m, wallMs } = await sim.run({ steps: days });
  rows.push({
    scenario: name,
    infections: sum(m.newInfections),
    deaths: m.M.at(-1),
    peakInfected: Math.max(...m.I),
    testsUsed: sum(m.testsUsed),
    positives: sum(m.positives),
    isolationDays: sum(m.isolated),
    seconds: Number((wallMs / 1000).toFixed(1)),
  });
  sim.dispose();
}
console.log(`epi/covid on ${agents} synthetic people, ${days} days, ${testsPerDay} tests a day, backend ${(await populace.ready()).name}`);
console.table(rows);
const [none, pcr, rapid] = rows;
console.log(`same-day antigen tests vs 3-day PCR: ${rapid.infections} vs ${pcr.infections} infections (no testing: ${none.infections});`);
console.log(`40% false positives put ${rows[4].isolationDays} person-days into isolation, against ${pcr.isolationDays} with PCR.`);
if (!(rapid.infections < none.infections && pcr.infections < none.infections)) {
  console.error('testing with isolation should reduce infections');
  process.exit(1);
}
