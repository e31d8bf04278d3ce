/**
 * Waiting for a submitted job and turning its record into results: a job
 * that did not finish becomes a PopulaceError, a finished run becomes a
 * summary per metric (total, peak, step of the peak, final).
 */
import { PopulaceError, type PopulaceErrorCode } from '@populace/core';
import { summarizeSeries, type Executor, type RunRecord, type RunStore } from '@populace/server-kit';
import { finiteOrNull } from './input.js';

/** One metric of one run, summarised. */
export interface MetricSummary {
  /** Sum over the steps (e.g. total deaths from daily deaths). */
  readonly total: number | null;
  /** Largest value. */
  readonly peak: number | null;
  /** Step of the peak, from 1 (the day, for daily models). */
  readonly peakStep: number | null;
  /** Value at the last step. */
  readonly final: number | null;
}

/** What every result about one recorded run starts with. */
export interface RunFacts {
  /** The recorded run (compare_runs and the servers' get_run take it). */
  readonly runId: string;
  readonly model: string;
  readonly population: string | null;
  readonly agents: number;
  readonly steps: number;
  readonly seed: number;
}

/** The facts of a recorded run. */
export function runFacts(record: RunRecord): RunFacts {
  return { runId: record.id, model: record.model, population: record.population, agents: record.agents, steps: record.steps, seed: record.seed };
}

const PASS_THROUGH: readonly string[] = ['invalid-argument', 'population-mismatch', 'path-not-allowed', 'param-out-of-bounds', 'unknown-param', 'invalid-param', 'limit-exceeded', 'unknown-id', 'ambiguous-id', 'backend-unavailable', 'backend-failed', 'not-initialized', 'invalid-update', 'disposed', 'aborted', 'not-differentiable'];

/**
 * Waits for job `id` and returns its record once it is `done`; a failed or cancelled job throws a
 * PopulaceError with the record's error (code `aborted` when the code is not a PopulaceError's).
 */
export async function waitForDone(executor: Executor, id: string, what: string): Promise<RunRecord> {
  const record = await executor.wait(id);
  if (record.status === 'done') return record;
  const code = (record.error && PASS_THROUGH.includes(record.error.code) ? record.error.code : 'aborted') as PopulaceErrorCode;
  throw new PopulaceError(code, `${what} ${record.id} ended as ${record.status}${record.error ? ` (${record.error.code}: ${record.error.message})` : ''}. Check its inputs, or run it again with fewer agents or steps.`, {
    details: { runId: record.id, status: record.status, error: record.error },
  });
}

/** Summary of each metric (of `metrics`, default all) of a recorded run. */
export function summarizeRun(store: RunStore, id: string, metrics?: readonly string[]): Record<string, MetricSummary> {
  const { series } = store.series(id);
  const names = metrics ?? Object.keys(series);
  return Object.fromEntries(
    names.map((name) => {
      const s = summarizeSeries(series[name] ?? []);
      return [name, { total: finiteOrNull(s.total), peak: finiteOrNull(s.peak), peakStep: finiteOrNull(s.peakStep), final: finiteOrNull(s.final) }];
    }),
  );
}

/** Throws unless every name is a metric of `model` (listed in the message). */
export function checkMetrics(names: readonly string[] | undefined, known: readonly string[], where: string, model: string): void {
  for (const name of names ?? []) {
    if (!known.includes(name)) {
      throw new PopulaceError('invalid-argument', `${where}: metrics names '${name}', which model '${model}' does not report; expected some of ${known.join(', ')}.`, { details: { metric: name, known } });
    }
  }
}
