// @ts-check
/**
 * "$1M: how to vaccinate?" A city of 600,000 people faces COVID-19 (epi/covid, R = 2.5) with
 * $1,000,000 for vaccine. At $19.50 a dose (the first US contract for BNT162b2) and two doses a
 * person, the budget buys 25,641 courses, for 4.3% of the city: which people first, and how
 * fast? The city is simulated by 60,000 synthetic people (household, school, work and community
 * layers), each standing for 10 residents, so the sample gets a tenth of the money and of the
 * daily doses, and its counts are multiplied by 10 in the table. Vaccination never spends more
 * than its budget; the spent column is what was spent.
 * Runs offline; written only against the packages' public APIs.
 */
import { createRuntime } from '@populace/core';
import epi, { affordableCourses, VACCINE_PRESETS } from '@populace/models-epi';
import populations from '@populace/populations';

const agents = 60_000;
const scale = 10; // residents per simulated person
const days = 90;
const budget = 1_000_000;
const costPerDose = 19.5;
const populace = createRuntime({ plugins: [populations, epi] });
const courses = affordableCourses(budget, costPerDose, 2);

const campaign = { vaccineBudget: budget / scale, costPerDose, dosesPerCourse: 2 };
const perDay = (/** @type {number} */ cityDoses) => ({ dosesPerDay: cityDoses / scale });
const scenarios = {
  'no vaccine': {},
  'oldest first, 10,000 doses a day': { ...campaign, ...perDay(10_000), ...VACCINE_PRESETS.oldestFirst },
  'random, 10,000 doses a day': { ...campaign, ...perDay(10_000), ...VACCINE_PRESETS.random },
  'youngest adults first, 10,000 a day': { ...campaign, ...perDay(10_000), ...VACCINE_PRESETS.youngestAdultsFirst },
  'oldest first, 2,000 doses a day': { ...campaign, ...perDay(2_000), ...VACCINE_PRESETS.oldestFirst },
};

const sum = (/** @type {number[]} */ xs) => xs.reduce((a, b) => a + b, 0);
const rows = [];
for (const [name, params] of Object.entries(scenarios)) {
  const sim = populace.createSimulation({ model: 'epi/covid', population: 'synthetic', agents, seed: 3, params: { seedInfections: 60, ...params } });
  const { metrics: m } = await sim.run({ steps: days });
  rows.push({
    strategy: name,
    vaccinated: m.vaccinated.at(-1) * scale,
    spent: `$${(sum(m.cost) * scale).toLocaleString('en-US')}`,
    infections: sum(m.newInfections) * scale,
    peakInHospital: Math.max(...m.H) * scale,
    deaths: m.M.at(-1) * scale,
  });
  sim.dispose();
}
console.log(`epi/covid, a city of ${(agents * scale).toLocaleString('en-US')} (${agents.toLocaleString('en-US')} simulated people, 1 for ${scale}), ${days} days; $${budget.toLocaleString('en-US')} buys ${courses.toLocaleString('en-US')} two-dose courses at $${costPerDose} a dose`);
console.table(rows);
const best = rows.slice(1).reduce((a, b) => (b.deaths < a.deaths ? b : a));
console.log(`fewest deaths: ${best.strategy} (${best.deaths}, against ${rows[0].deaths} without vaccine)`);
if (rows.some((r) => Number(r.spent.replace(/[$,]/g, '')) > budget)) {
  console.error('a strategy spent more than the budget');
  process.exit(1);
}
