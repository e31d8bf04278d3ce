/**
 * The bands of a stored sweep (a `scenarios` job: the sweep operation's, or
 * run_scenarios'), from its runs in the run store: per scenario, the median
 * and the 50% and 95% bands across the seeds of its finished runs, as the
 * sweep operation reports them.
 */
import type { RunRecord, ScenariosOutcome } from '../run-record.js';
import type { RunStore } from '../run-store.js';
import { ensembleBands } from '../operations/sweep-bands.js';
import type { SweepTable } from './sweep-table.js';

/** A sweep's scenarios as its record keeps them, once it has ended; undefined for other runs. */
export function sweepOutcome(run: RunRecord): ScenariosOutcome | undefined {
  return run.kind === 'scenarios' && run.result !== null && typeof run.result === 'object' && 'scenarios' in run.result ? (run.result as ScenariosOutcome) : undefined;
}

/**
 * The bands of a stored sweep, or undefined when `run` is not a sweep that has ended. A point's
 * `params` are the scalar parameters any scenario changes (a sweep's grid values), with their
 * defaults where its scenario keeps them.
 *
 * @example
 * ```ts
 * const table = storedSweepTable(store, store.require(sweepId));
 * table?.points[0]?.bands.I?.median; // one number per step
 * ```
 */
export function storedSweepTable(store: RunStore, run: RunRecord): SweepTable | undefined {
  const outcome = sweepOutcome(run);
  if (outcome === undefined) return undefined;
  // every point gets a value for every parameter some scenario changes: its own, else its runs' (the default)
  const names = [...new Set(outcome.scenarios.flatMap((s) => Object.keys(s.params)))];
  const points = outcome.scenarios.map((s) => {
    const runs = s.runIds.map((id) => store.get(id)).filter((r): r is RunRecord => r !== undefined);
    const series = runs.filter((r) => r.status === 'done').map((r) => store.series(r.id).series);
    const params = Object.fromEntries(names.map((n) => [n, s.params[n] ?? runs[0]?.params[n]]).filter((e): e is [string, number] => typeof e[1] === 'number'));
    return { name: s.name, params, bands: Object.fromEntries(run.metricNames.map((m) => [m, ensembleBands(series.map((x) => x[m] ?? []))])) };
  });
  return { metrics: run.metricNames, points };
}
