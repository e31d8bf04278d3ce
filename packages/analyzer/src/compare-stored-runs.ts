/**
 * `compareStoredRuns`: server-kit's comparison table over recorded runs
 * (final, peak, step of the peak and total per metric, with differences to
 * the first run), plus the same table as text.
 */
import { compareRuns, formatComparison, type ComparisonTable } from '@populace/server-kit';
import { z } from 'zod';
import { checkContext, type AnalysisContext } from './context.js';
import { jsonSafe, parseInput } from './input.js';

/** Input of `compareStoredRuns`. */
export const compareStoredRunsInput = z.strictObject({
  runIds: z.array(z.string().min(1)).min(1).max(20).describe('Recorded run ids (from run_scenario, counterfactual...); the first is the baseline.'),
  metrics: z.array(z.string().min(1)).min(1).optional().describe('Metrics to compare (default: those all the runs have).'),
});

/** What `compareStoredRuns` takes. */
export type CompareStoredRunsInput = z.input<typeof compareStoredRunsInput>;

/** The result of `compareStoredRuns`: the table (non-finite numbers as null) and its text form. */
export interface CompareStoredRunsResult extends ComparisonTable {
  readonly text: string;
}

/**
 * Compares recorded runs; the first is the baseline.
 *
 * @example
 * ```ts
 * const t = compareStoredRuns(kit, { runIds: [a.runId, b.runId], metrics: ['deaths'] });
 * t.rows[1].delta!.total; // b's total deaths minus a's
 * ```
 */
export function compareStoredRuns(ctx: AnalysisContext, input: CompareStoredRunsInput): CompareStoredRunsResult {
  const { store } = checkContext(ctx, 'compareStoredRuns');
  const args = parseInput(compareStoredRunsInput, input, 'compareStoredRuns');
  const table = compareRuns(store, args.runIds, { metrics: args.metrics });
  return jsonSafe({ ...table, text: formatComparison(table) });
}
