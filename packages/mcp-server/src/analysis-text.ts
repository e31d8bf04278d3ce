/**
 * Readable text of the analyzer's results, for the text part of the
 * describe_population, population_stats, search_documents, counterfactual
 * and ask tool results (the numbers are also in structuredContent).
 */
import type { AnalyzerAnswer, CounterfactualResult, PopulationStatsResult, SearchDocumentsResult } from '@populace/analyzer';
import type { PopulationDescription } from '@populace/core';

/** A number for text: integers as they are, others to 4 significant digits (1 decimal from 1000 up), non-finite as '-'. */
export const num = (v: number | null | undefined): string => (typeof v !== 'number' || !Number.isFinite(v) ? '-' : Number.isInteger(v) ? String(v) : Math.abs(v) >= 1000 ? v.toFixed(1) : String(Number(v.toPrecision(4))));
const signed = (v: number | null): string => (v === null ? '-' : `${v > 0 ? '+' : ''}${num(v)}`);
const pct = (v: number | null): string => (v === null ? '-' : `${v > 0 ? '+' : ''}${num(v * 100)}%`);
const groupText = (g: Readonly<Record<string, string>>): string => Object.entries(g).map(([k, v]) => `${k}=${v}`).join(', ') || 'all';
const paramText = (v: number | readonly number[]): string => (typeof v === 'number' ? num(v) : `[${v.map(num).join(', ')}]`);

/** describe_population's text: sizes, agent types, networks and each attribute. */
export function populationText(d: PopulationDescription): string {
  const lines = [`${d.id}: ${d.description}`, `Agents: default ${d.defaultAgents.toLocaleString('en-US')}, at most ${d.maxAgents.toLocaleString('en-US')}. Agent types: ${d.agentTypes.join(', ')}. Networks: ${d.networks.join(', ') || 'none'}.`];
  for (const [type, schema] of Object.entries(d.attributes)) {
    lines.push(`Attributes of ${type}:`);
    for (const [name, a] of Object.entries(schema)) {
      const kind = a.kind === 'category' ? `${a.ordered ? 'ordered ' : ''}category${a.labels ? `: ${a.labels.join(', ')}` : ''}` : a.kind === 'number' ? `number${a.unit ? `, ${a.unit}` : ''}` : 'id';
      lines.push(`  ${name} (${kind}): ${a.description}`);
    }
  }
  if (Object.keys(d.attributes).length === 0) lines.push('It declares no attributes (population_stats has nothing to group by).');
  return lines.join('\n');
}

function statText(name: string, value: unknown): string {
  if (value === null || value === undefined) return `${name} -`;
  if (typeof value === 'number') return `${name} ${num(value)}`;
  if (typeof value === 'string') return `${name} ${value}`;
  const entries = Object.entries(value as Record<string, number | null>);
  return `${name} {${entries.map(([k, v]) => `${k}: ${num(v)}`).join(', ')}}`;
}

/** population_stats' text: what was built, one line per group, the ranking and the notes. */
export function populationStatsText(r: PopulationStatsResult): string {
  const lines = [`Population ${r.population} (${r.agentType}), ${r.agents.toLocaleString('en-US')} agents built with seed ${r.seed}; ${r.total.toLocaleString('en-US')} counted${r.outsideBins ? ` (${r.outsideBins} outside the bins)` : ''}.`];
  if (Object.keys(r.where).length > 0) lines.push(`Filters: ${Object.entries(r.where).map(([k, f]) => `${k} ${JSON.stringify(f)}`).join('; ')}.`);
  for (const row of r.rows) {
    const measures = Object.entries(row.measures).map(([attribute, stats]) =>
      `${attribute}: ${Object.entries(stats)
        .filter(([s]) => s !== 'medianPosition')
        .map(([s, v]) => statText(s, v) + (s === 'median' && typeof stats.medianPosition === 'number' ? ` (position ${num(stats.medianPosition)})` : ''))
        .join(', ')}`,
    );
    lines.push(`  ${groupText(row.group)}: ${row.count.toLocaleString('en-US')} agents (${num(row.share * 100)}%)${measures.length ? `; ${measures.join('; ')}` : ''}`);
  }
  if (r.ranking) {
    const k = r.ranking;
    lines.push(`Ranked by ${k.by} (${k.order}):`);
    for (const e of k.entries) lines.push(`  ${e.rank}. ${groupText(e.group)}: ${num(e.value)}${e.label === null ? '' : ` (${e.label})`}, ${e.count} agents`);
    lines.push(`Lowest: ${groupText(k.lowest.group)} (${num(k.lowest.value)}${k.lowest.label === null ? '' : `, ${k.lowest.label}`}); highest: ${groupText(k.highest.group)} (${num(k.highest.value)}${k.highest.label === null ? '' : `, ${k.highest.label}`}).`);
  }
  for (const note of r.notes) lines.push(`Note: ${note}`);
  return lines.join('\n');
}

/** search_documents' text: each hit with its id, kind, score and the start of its text. */
export function searchText(r: SearchDocumentsResult): string {
  if (r.results.length === 0) return `No documents for ${JSON.stringify(r.query)}.`;
  const hits = r.results.map((h, i) => `${i + 1}. ${h.id} (${h.kind}, score ${num(h.score)}): ${h.title}\n${h.text}${h.truncated ? '\n[... cut]' : ''}`);
  return `${r.results.length} document${r.results.length === 1 ? '' : 's'} for ${JSON.stringify(r.query)}, closest first:\n\n${hits.join('\n\n')}`;
}

/** counterfactual's text: the setting, one line per metric summary with the interval, the runs. */
export function counterfactualText(r: CounterfactualResult): string {
  const changed = Object.entries(r.changed).map(([k, c]) => `${k} ${paramText(c.baseline)} -> ${paramText(c.counterfactual)}`);
  const level = `${Math.round(r.confidence * 100)}%`;
  const lines = [
    `Counterfactual of ${r.model}${r.population ? ` on ${r.population}` : ''}, ${r.agents.toLocaleString('en-US')} agents, ${r.steps} steps, seeds ${r.seeds.join(', ')} (sweep ${r.sweepId}). Changed: ${changed.join(', ')}.`,
    `Per metric: baseline mean, counterfactual mean, mean paired difference [${level} interval], relative difference:`,
  ];
  for (const row of r.rows) {
    const interval = row.differenceLow === null ? 'no interval' : `[${num(row.differenceLow)}, ${num(row.differenceHigh)}]`;
    lines.push(`  ${row.metric} ${row.summary}: ${num(row.baselineMean)} -> ${num(row.counterfactualMean)}, difference ${signed(row.differenceMean)} ${interval}, ${pct(row.relativeDifference)} (n = ${row.n})`);
  }
  lines.push(`Method: ${r.method}.`);
  lines.push(`Runs (compare_runs, get_metrics, plot take them): baseline ${r.baselineRunIds.join(', ')}; counterfactual ${r.counterfactualRunIds.join(', ')}.`);
  for (const note of r.notes) lines.push(`Note: ${note}`);
  return lines.join('\n');
}

/** ask's text: the answer, then each tool call the analyzer made. */
export function askText(a: Pick<AnalyzerAnswer, 'answer' | 'stopReason' | 'evidence' | 'iterations' | 'usage'>): string {
  const calls = a.evidence.map((e, i) => `  ${i + 1}. ${e.tool} ${JSON.stringify(e.args)} -> ${e.ok ? 'ok' : `error (${e.error?.code}): ${e.error?.message}`} (${Math.round(e.ms)} ms)`);
  const tokens = a.usage.totalTokens > 0 ? `, ${a.usage.totalTokens} tokens` : '';
  return `${a.answer}\n\nEvidence: ${a.evidence.length} tool call${a.evidence.length === 1 ? '' : 's'} over ${a.iterations} model call${a.iterations === 1 ? '' : 's'}${tokens}${a.stopReason === 'max-iterations' ? ' (stopped at the iteration limit)' : ''}${calls.length ? `:\n${calls.join('\n')}` : '.'}`;
}
