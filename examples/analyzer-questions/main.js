// @ts-check
/**
 * Three questions about COVID-19 in New York City, answered by running the simulator:
 *
 *   exploratory     "Which age group has the lowest median household income?"
 *   counterfactual  "How would deaths change if R0 had been 4.5?"
 *   prospective     "What if isolation lasted 21 days and the virus became 30% more transmissible?"
 *
 * First through the analyzer's plain functions (no language model, no key: what the MCP server and
 * the GraphQL API expose), every run recorded in a SQLite run store. Then, when POPULACE_LLM_PROVIDER
 * names a chat model with tool calling (see packages/llm-archetypes/README.md), the same questions go
 * to `createAnalyzer(...).query(question)`, which picks the tools itself; without one that part is
 * skipped and the output says so.
 *
 *   node main.js [--agents 10000] [--seeds 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { counterfactual, createAnalyzer, populationStats } from '@populace/analyzer';
import { createRuntime } from '@populace/core';
import { chatModelFromEnv } from '@populace/llm-archetypes';
import epi from '@populace/models-epi';
import populations from '@populace/populations';
import { createServerKit } from '@populace/server-kit';

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
const agents = intArg('agents', 10_000, 500, 1_000_000);
const n = intArg('seeds', 3, 2, 20);
const seeds = Array.from({ length: n }, (_, i) => i + 1);

const dir = mkdtempSync(path.join(tmpdir(), 'populace-analyzer-'));
const kit = createServerKit({ runtime: createRuntime({ plugins: [populations, epi] }), db: path.join(dir, 'runs.db') });
const fmt = (/** @type {number | null} */ v, d = 1) => (v === null ? 'n/a' : v.toFixed(d));

try {
  console.log(`Population: synthetic New York City, ${agents.toLocaleString('en-US')} people; ${n} paired seeds per comparison.\n`);

  // 1. exploratory
  const stats = await populationStats(kit, { population: 'nyc', agents: 20_000, groupBy: ['ageBand'], measures: [{ attribute: 'income', stats: ['median'] }] });
  console.log('1. Which age group has the lowest median household income?  (population_stats)');
  for (const g of stats.ranking?.entries.slice(0, 3) ?? []) console.log(`   ${String(g.rank).padStart(2)}. ${g.group.ageBand?.padEnd(6)} median band ${g.label}  (position ${fmt(g.value, 2)}, ${g.count} people)`);
  for (const note of stats.notes ?? []) console.log(`   note: ${note}`);

  // 2. counterfactual and 3. prospective: testing on, so isolation matters
  const base = { model: 'epi/covid', population: 'nyc', agents, steps: 90, seeds, baseline: { testsPerDay: Math.round(agents * 0.02), testTurnaround: 1, seedInfections: Math.round(agents / 100) }, metrics: ['deaths', 'newInfections'], summaries: ['total'] };
  const show = (/** @type {Awaited<ReturnType<typeof counterfactual>>} */ r) => {
    for (const row of r.rows) {
      console.log(`   ${row.metric.padEnd(13)} baseline ${fmt(row.baselineMean)}  ->  ${fmt(row.counterfactualMean)}   difference ${fmt(row.differenceMean)} (95% interval ${fmt(row.differenceLow)} to ${fmt(row.differenceHigh)}, n = ${row.n})`);
    }
    console.log(`   runs (sweep ${r.sweepId}): baseline ${r.baselineRunIds.join(", ")}; counterfactual ${r.counterfactualRunIds.join(", ")}`);
    for (const note of r.notes) console.log(`   note: ${note}`);
  };
  console.log('\n2. How would deaths change if R0 had been 4.5 (instead of 2.5)?  (counterfactual)');
  show(await counterfactual(kit, { ...base, changes: { R: 4.5 } }));
  console.log('\n3. What if isolation lasted 21 days (not 14) and the virus were 30% more transmissible (R 3.25)?  (counterfactual, prospective)');
  show(await counterfactual(kit, { ...base, changes: { isolationDays: 21, R: 3.25 } }));

  // the same questions to a chat model, when one is configured
  const model = await chatModelFromEnv();
  if (!model) {
    console.log('\nNo chat model configured (POPULACE_LLM_PROVIDER unset): the answers above come from the plain functions, not from an LLM.');
  } else {
    const analyzer = createAnalyzer({ model, runtime: kit.runtime, store: kit.store, executor: kit.executor, agents, seeds: n });
    for (const q of ['Which age group has the lowest median household income in NYC?', 'How would deaths change if R0 had been 4.5?', 'What if isolation time is increased to 21 days and the virus becomes 30% more transmissible?']) {
      const a = await analyzer.query(q);
      console.log(`\nQ: ${q}\nA: ${a.answer}\n   tools: ${a.evidence.map((e) => `${e.tool}${e.ok ? '' : ' (error)'}`).join(', ') || 'none'}`);
    }
    await analyzer.close();
  }
} finally {
  await kit.close();
  rmSync(dir, { recursive: true, force: true });
}
