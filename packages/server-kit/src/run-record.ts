/**
 * What the run store records about a job, as the servers see it: the
 * `RunRecord` type (derived from `runRecordSchema`, the record's one
 * declaration), its kinds and statuses, and the results of each kind.
 */
import type { Aggregate, GradientAccuracy, GradientEstimator, ParamValue, SensitivityEntry } from '@populace/core';
import type { z } from 'zod';
import type { RunSnapshotOutcome } from './check-snapshot.js';
import type { runRecordSchema } from './operations/run-record-schema.js';

/** What a job does: one simulation, a calibration, a sensitivity analysis or a sweep of scenarios. */
export type RunKind = 'run' | 'calibrate' | 'sensitivity' | 'scenarios';
/** Every kind, in a fixed order. */
export const RUN_KINDS: readonly RunKind[] = ['run', 'calibrate', 'sensitivity', 'scenarios'];

/** `queued` waits for a slot; `running`; then one of the terminal ones. */
export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
/** Every status, in lifecycle order. */
export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'done', 'failed', 'cancelled'];
/** Statuses a job never leaves. */
export const TERMINAL_STATUSES: readonly RunStatus[] = ['done', 'failed', 'cancelled'];

/** True for `done`, `failed` and `cancelled`. */
export const isTerminal = (status: RunStatus): boolean => TERMINAL_STATUSES.includes(status);

/**
 * Why a job did not finish: a PopulaceError code (`limit-exceeded` when it ran past the wall-time
 * limit), `interrupted` (the server stopped during it), `cancelled`, or `internal` (a bug).
 */
export type RunError = NonNullable<RunRecord['error']>;

/** How far a job is: steps of a run or a sensitivity, epochs of a calibration, runs of a sweep. */
export type RunProgress = RunRecord['progress'];

/** The result of a calibration. */
export interface CalibrateOutcome {
  /** The fitted values of the fitted parameters. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Their starting values. */
  readonly start: Readonly<Record<string, ParamValue>>;
  /** The best loss reached. */
  readonly loss: number;
  /** Loss per epoch. */
  readonly history: readonly number[];
  readonly epochs: number;
  /** `epochs` (ran them all), `converged`, or `aborted` (cancelled or over the wall time: the best so far). */
  readonly stopped: 'epochs' | 'converged' | 'callback' | 'aborted';
}

/** The result of a sensitivity analysis (core's, ranked by |elasticity|). */
export interface SensitivityOutcome {
  readonly output: { readonly metric: string; readonly agg: Aggregate; readonly value: number };
  readonly entries: readonly SensitivityEntry[];
  /** The estimator that computed the gradients (absent in records written before it was kept). */
  readonly estimator?: GradientEstimator;
  /** What is known of its accuracy against finite differences (absent in older records). */
  readonly accuracy?: GradientAccuracy;
}

/** Summary statistics of one metric series. */
export interface SeriesSummary {
  /** The value at the last step. */
  readonly final: number;
  /** The largest value. */
  readonly peak: number;
  /** The step of the largest value (steps count from 1; the day for daily models). */
  readonly peakStep: number;
  /** The sum over the steps (e.g. cumulative new infections). */
  readonly total: number;
}

/** One row of a comparison table: one metric of one run (or one scenario). */
export interface ComparisonRow extends SeriesSummary {
  readonly metric: string;
  /** Run id, or the scenario name in a sweep. */
  readonly label: string;
  /** The runs summarised (one, or one per seed in a sweep: their summaries are averaged). */
  readonly runIds: readonly string[];
  /** Difference to the first row of the same metric (null on that row). */
  readonly delta: SeriesSummary | null;
  /** Relative difference (delta / baseline) of final, peak and total; null where the baseline is 0, or on the first row. */
  readonly relative: { readonly final: number | null; readonly peak: number | null; readonly total: number | null } | null;
}

/** A comparison of runs: per metric final, peak, peak step and total, and differences to the first. */
export interface ComparisonTable {
  /** The label every difference is taken against. */
  readonly baseline: string;
  readonly metrics: readonly string[];
  readonly rows: readonly ComparisonRow[];
}

/** A scenario of a sweep: a name and the parameter values it changes. */
export interface Scenario {
  readonly name: string;
  readonly params: Readonly<Record<string, ParamValue>>;
}

/** The result of a scenario sweep. */
export interface ScenariosOutcome {
  readonly scenarios: readonly (Scenario & { readonly runIds: readonly string[] })[];
  readonly seeds: readonly number[];
  /** Rows labelled by scenario name, averaged over the seeds; the first scenario is the baseline. */
  readonly table: ComparisonTable | null;
}

/** The result of a job, by kind (null for plain runs: their result is the metric series; a run with a snapshot keeps it). */
export type RunOutcome = CalibrateOutcome | SensitivityOutcome | ScenariosOutcome | RunSnapshotOutcome;

/** `T` with every property and array read-only, at every depth. */
type Immutable<T> = T extends readonly (infer E)[] ? readonly Immutable<E>[] : T extends object ? { readonly [K in keyof T]: Immutable<T[K]> } : T;

/** One recorded job: `runRecordSchema`'s type, read-only (its fields are documented there). Times are ISO 8601 strings. */
export type RunRecord = Immutable<z.infer<typeof runRecordSchema>>;
