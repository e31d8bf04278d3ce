/**
 * The result of `populace run`: the JSON document of `--json` and `--out
 * x.json`, and the readable summary printed otherwise.
 */
import type { BackendInfo, ParamValue } from '@populace/core';
import { behaviorLines, type BehaviorReport } from './behaviors.js';
import { formatDuration, formatNumber, formatValue, keyValues, table } from './format.js';

/** What every simulation document (run, sensitivity) starts with. */
export interface SimulationDocument {
  /** Full model id (`example/network-sir`). */
  readonly model: string;
  /** Full population id (or the manifest path as given), or null when the model ran without one. */
  readonly population: string | null;
  /** `sha256:<hex>` of the manifest and its files, when the population was read from one. */
  readonly populationDigest?: string;
  /** Agents of the model's first agent type. */
  readonly agents: number;
  readonly steps: number;
  readonly seed: number;
  /** The tensor backend used (`cpu`, `wasm`, `tensorflow`). */
  readonly backend: string;
  /** Resolved parameter values (defaults plus overrides). */
  readonly params: Readonly<Record<string, ParamValue>>;
}

/** The document `populace run --json` prints. */
export interface RunDocument extends SimulationDocument {
  /** The --param schedules, when any. */
  readonly schedules?: Readonly<Record<string, readonly { readonly step: number; readonly value: number }[]>>;
  /** Present (true) when Ctrl-C stopped the run: the metrics cover the steps completed. */
  readonly interrupted?: true;
  /** The behaviour slots filled with --behavior (absent when none). */
  readonly behaviors?: Readonly<Record<string, BehaviorReport>>;
  /** One value per step for each metric (step 1 first). */
  readonly metrics: Readonly<Record<string, readonly number[]>>;
  /** Wall time of the run, including building the population, in milliseconds. */
  readonly wallMs: number;
}

/** What the summary shows beyond the document. */
export interface SummaryExtras {
  readonly agentsByType: Readonly<Record<string, number>>;
  readonly backend: BackendInfo;
  /** Parameters given with --param. */
  readonly overridden: readonly string[];
  /** The file written with --out, if any. */
  readonly outPath?: string | undefined;
}

/** first, last, min, max and the (1-based) step of the first max of a series. */
export function seriesStats(series: readonly number[]): { first: number; last: number; min: number; max: number; maxStep: number } | undefined {
  if (series.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  let maxStep = 1;
  series.forEach((v, i) => {
    if (v < min) min = v;
    if (v > max) [max, maxStep] = [v, i + 1];
  });
  return { first: series[0]!, last: series[series.length - 1]!, min, max, maxStep };
}

/** The facts a readable header shows about a simulation. */
export interface HeaderFacts {
  readonly model: string;
  readonly population: string | null;
  readonly agents: number;
  readonly steps: number;
  readonly seed: number;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly wallMs: number;
}

/**
 * The header lines of a readable result (model, population, agents per type, steps, seed,
 * backend and why, parameters with `*` on those set by --param, wall time, the --out file),
 * for `keyValues`. `paramsLabel` names the parameters line (default `params`); `more` lines
 * follow it.
 */
export function headerEntries(doc: HeaderFacts, extras: SummaryExtras, paramsLabel = 'params', more: readonly [string, string][] = []): [string, string][] {
  const agents = Object.entries(extras.agentsByType).map(([type, n]) => `${n} ${type}`).join(', ');
  const params = Object.entries(doc.params).map(([k, v]) => `${k}=${formatValue(v)}${extras.overridden.includes(k) ? '*' : ''}`);
  return [
    ['model', doc.model],
    ['population', doc.population ?? '(none: the model on its own)'],
    ['agents', agents || String(doc.agents)],
    ['steps', String(doc.steps)],
    ['seed', String(doc.seed)],
    ['backend', `${extras.backend.name} (${extras.backend.requested === 'auto' ? `auto: ${extras.backend.reason}` : 'requested explicitly'})`],
    [paramsLabel, (params.join('  ') || '(none)') + (extras.overridden.length ? '   (* set with --param)' : '')],
    ...more,
    ['wall time', formatDuration(doc.wallMs)],
    ...(extras.outPath ? [['written to', extras.outPath] as [string, string]] : []),
  ];
}

/** The readable summary of a run. */
export function renderSummary(doc: RunDocument, extras: SummaryExtras): string {
  const header = keyValues(headerEntries(doc, extras, 'params', behaviorLines(doc.behaviors ?? {})));
  const names = Object.keys(doc.metrics);
  if (names.length === 0) return `${header}\nThe model declares no metrics.\n`;
  const rows = names.map((name) => {
    const s = seriesStats(doc.metrics[name]!);
    return s ? [name, formatNumber(s.first), formatNumber(s.last), formatNumber(s.min), formatNumber(s.max), String(s.maxStep)] : [name, '-', '-', '-', '-', '-'];
  });
  return `${header}\n${table(['METRIC', 'FIRST', 'LAST', 'MIN', 'MAX', 'MAX AT STEP'], rows, ['left', 'right', 'right', 'right', 'right', 'right'])}`;
}
