// @ts-check
/**
 * epi/covid on New York City people with testing on, where who isolates after a positive result is
 * decided by the `covid-isolation` LLM archetype of @populace/llm-archetypes: agents are grouped by
 * age band and employment, the chat model is asked once per group (x 3 samples) per distinct weekly
 * context, and each group's answer is broadcast to its agents through epi/covid's `isolation` slot.
 *
 * Offline by default: without POPULACE_LLM_PROVIDER the archetype's deterministic prior answers (a
 * logistic anchored on published self-isolation adherence), and the output says so. With
 * POPULACE_LLM_PROVIDER=openai|anthropic|ollama|llama-cpp (and its key or model path) a real model is
 * asked; see packages/llm-archetypes/README.md.
 *
 * Then the same epidemic (same seed) with isolationCompliance = 1 (everyone isolates, Covasim's
 * assumption) and with isolationCompliance = the archetype's population mean (one number for all).
 *
 *   node main.js [--agents 100000] [--steps 60]
 */
import { createRuntime } from '@populace/core';
import archetypes, { covidIsolation, chatModelFromEnv } from '@populace/llm-archetypes';
import epi from '@populace/models-epi';
import populations from '@populace/populations';

/** @param {string} name @param {number} fallback @param {number} min @param {number} max */
function intArg(name, fallback, min, max) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const raw = process.argv[i + 1];
  const v = Number(raw);
  if (raw === undefined || !Number.isInteger(v) || v < min || v > max) {
    console.error(`--${name}: expected an integer in [${min}, ${max}], received ${raw === undefined ? 'nothing' : JSON.stringify(raw)}.`);
    process.exit(2);
  }
  return v;
}
const unknown = process.argv.slice(2).filter((a, i, all) => a.startsWith('--') ? !['--agents', '--steps'].includes(a) : !['--agents', '--steps'].includes(all[i - 1] ?? ''));
if (unknown.length) {
  console.error(`unknown arguments ${JSON.stringify(unknown)}; usage: node main.js [--agents N] [--steps T]`);
  process.exit(2);
}
const agents = intArg('agents', 100_000, 1000, 8_000_000);
const steps = intArg('steps', 60, 1, 365);
const seed = 1;
// testing on: 2 tests a day per 100 people in NYC terms (2000 for 100k), results the next day
const params = { testsPerDay: Math.round(agents * 0.02), testTurnaround: 1, isolationDays: 10, seedInfections: Math.round(agents / 200) };

const populace = createRuntime({ plugins: [populations, epi, archetypes] });
const model = await chatModelFromEnv().catch((/** @type {Error} */ e) => {
  console.error(e.message); // e.g. the provider's package is not installed, or its key is missing
  process.exit(1);
});

/** @param {Record<string, number>} extra @param {boolean} useArchetype */
async function run(extra, useArchetype) {
  const sim = populace.createSimulation({ model: 'epi/covid', population: 'nyc', agents, seed, params: { ...params, ...extra } });
  await sim.ready();
  /** @type {{ behavior: import('@populace/llm-archetypes').ArchetypeBehavior, means: number[] } | undefined} */
  let asked;
  if (useArchetype) {
    const behavior = covidIsolation.behavior(sim, { model, maxConcurrency: 4 });
    /** @type {number[]} */
    const means = [];
    sim.useBehavior('isolation', {
      id: behavior.id,
      agentType: behavior.agentType,
      differentiable: false,
      sample: async (context) => {
        const values = await behavior.sample(context);
        const groups = behavior.lastAnswers();
        means.push(groups.reduce((s, g) => s + g.value * g.agents, 0) / groups.reduce((s, g) => s + g.agents, 0));
        return values;
      },
    });
    asked = { behavior, means };
  }
  const t0 = performance.now();
  const { metrics } = await sim.run({ steps });
  const wallS = (performance.now() - t0) / 1000;
  sim.dispose();
  const sum = (/** @type {number[]} */ a) => a.reduce((x, y) => x + y, 0);
  return { metrics, wallS, asked, totals: { infections: sum(metrics.newInfections ?? []), deaths: sum(metrics.deaths ?? []), positives: sum(metrics.positives ?? []), isolatedPersonDays: sum(metrics.isolated ?? []) } };
}

const withArchetype = await run({}, true);
const { behavior, means } = /** @type {NonNullable<typeof withArchetype.asked>} */ (withArchetype.asked);
const usage = behavior.usage();
console.log(`epi/covid, NYC ${agents} agents, ${steps} days, seed ${seed}, testsPerDay ${params.testsPerDay}, turnaround ${params.testTurnaround} day, isolation ${params.isolationDays} days`);
console.log(`isolation decided by: ${behavior.id}${model ? '' : '  <- the offline prior, NOT an LLM (set POPULACE_LLM_PROVIDER to ask one)'}`);
if (means.length === 0) {
  console.log('\nno positive result arrived, so the archetype was never asked; try more --agents or --steps');
  process.exit(0);
}

console.log(`\nwillIsolate per group at the last asked context (${behavior.lastAnswers().length} groups, ${covidIsolation.nArch} samples each)`);
console.table(behavior.lastAnswers().map((g) => ({
  ageBand: g.group.ageBand,
  employed: g.group.employed,
  agents: g.agents,
  willIsolate: Number(g.value.toFixed(3)),
  samples: g.samples.map((s) => s.value.toFixed(3)).join(' '),
  from: [...new Set(g.samples.map((s) => s.source))].join('+'),
})));
console.log(`usage: source ${usage.source}; days asked ${means.length}; model calls ${usage.calls}; cache hits ${usage.cacheHits}; retries ${usage.retries}; fallbacks to the prior ${usage.fallbacks} (invalid ${usage.invalidAnswers}, failed ${usage.failures}, timed out ${usage.timeouts}); tokens ${usage.totalTokens}`);

const meanWillIsolate = means.reduce((a, b) => a + b, 0) / means.length;
const everyone = await run({ isolationCompliance: 1 }, false);
const flat = await run({ isolationCompliance: Number(meanWillIsolate.toFixed(4)) }, false);
console.log(`\nsame seed, three isolation policies (archetype population mean over the ${means.length} days asked: ${meanWillIsolate.toFixed(3)})`);
console.table([
  { isolation: `archetype (${usage.source})`, ...withArchetype.totals, wallS: Number(withArchetype.wallS.toFixed(1)) },
  { isolation: 'isolationCompliance 1 (everyone)', ...everyone.totals, wallS: Number(everyone.wallS.toFixed(1)) },
  { isolation: `isolationCompliance ${meanWillIsolate.toFixed(3)} (archetype mean)`, ...flat.totals, wallS: Number(flat.wallS.toFixed(1)) },
]);
console.log('infections and deaths are totals over the run; isolatedPersonDays sums the daily number isolating at home.');
console.log('The archetype values enter as data: this simulation cannot be differentiated through them.');
