/**
 * How a sweep ends once all its runs have: the comparison of the finished
 * runs and the sweep's status, from its runs' records (both executors end
 * their sweeps with it, through RunBook).
 */
import { comparisonTable } from './compare.js';
import type { CheckedJob } from './job-request.js';
import type { RunError, RunRecord, ScenariosOutcome } from './run-record.js';
import type { RunStore } from './run-store.js';
import { interruptedMessage } from './store-rows.js';

/** A sweep's end: status, error and result. */
export interface SweepEnd {
  readonly status: 'done' | 'failed' | 'cancelled';
  readonly error: RunError | null;
  readonly result: ScenariosOutcome;
}

/** The end of a sweep whose runs (`children`, with their records) have all ended. */
export function sweepEnd(
  store: RunStore,
  job: Extract<CheckedJob, { kind: 'scenarios' }>,
  children: readonly { readonly id: string; readonly scenario: string; readonly record: RunRecord }[],
  cancelled: boolean,
): SweepEnd {
  const ok = children.filter((c) => c.record.status === 'done');
  const entries = job.scenarios
    .map((s) => ({ label: s.name, runs: ok.filter((c) => c.scenario === s.name) }))
    .filter((e) => e.runs.length > 0)
    .map((e) => ({ label: e.label, runIds: e.runs.map((c) => c.id), series: e.runs.map((c) => store.series(c.id).series) }));
  const result: ScenariosOutcome = {
    scenarios: job.scenarios.map((s) => ({ name: s.name, params: s.overrides, runIds: children.filter((c) => c.scenario === s.name).map((c) => c.id) })),
    seeds: job.seeds,
    table: entries.length > 0 ? comparisonTable(entries, job.sim.metricNames) : null,
  };
  const bad = children.filter((c) => c.record.status !== 'done');
  if (bad.length === 0) return { status: 'done', error: null, result };
  if (bad.some((c) => c.record.error?.code === 'interrupted')) return { status: 'failed', error: { code: 'interrupted', message: interruptedMessage('running', { done: ok.length, total: children.length, unit: 'runs' }) }, result };
  if (cancelled) return { status: 'cancelled', error: { code: 'cancelled', message: `cancelled after ${ok.length} of ${children.length} runs; the table compares the finished ones.` }, result };
  const first = bad[0]!.record;
  return { status: 'failed', error: { code: first.error?.code ?? 'internal', message: `${bad.length} of ${children.length} runs did not finish; the first, ${first.id} (${first.label}, seed ${first.seed}): ${first.error?.message ?? first.status}` }, result };
}
