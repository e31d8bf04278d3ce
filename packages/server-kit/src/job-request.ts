/**
 * What a caller may ask the executor for (plain data from outside: MCP tool
 * arguments, GraphQL inputs), and the checked form of it the executor runs.
 * A checked job is plain data too, so a queue-backed executor can ship it.
 */
import type { Aggregate, EstimatorChoice, ParamSchedule, ParamValue, SnapshotRequest, StochasticAllocation } from '@populace/core';
import type { CheckedComposition, CheckedInputs } from './check-composition.js';
import type { CheckedSnapshot } from './check-snapshot.js';

/** What every request shares: one model on one population. */
export interface SimulationRequest {
  /** Full (`example/network-sir`) or bare (`network-sir`) model id. */
  readonly model: string;
  /**
   * Population id, or the path of a population manifest (a value ending in .json, .yaml or .yml)
   * under one of the server's --data-dir directories; none: the model's own agents, with no
   * attributes or networks.
   */
  readonly population?: string | undefined;
  /** Agents; default: the population's (or the model's) default. */
  readonly agents?: number | undefined;
  /** Unsigned 32-bit integer; default 0. Same seed, same metrics. */
  readonly seed?: number | undefined;
  /** Parameter overrides, checked against the model's bounds (the starting values for calibrate). */
  readonly params?: Readonly<Record<string, unknown>> | undefined;
  /** A free label shown in listings. */
  readonly label?: string | undefined;
  /**
   * Behaviour slots of the model to fill, slot -> archetype id (`runtime.archetypes`), e.g.
   * `{ isolation: 'covid-isolation' }`. Not for calibrate or sensitivity (behaviours are not differentiable).
   */
  readonly behaviors?: Readonly<Record<string, string>> | undefined;
  /**
   * Parameters that change during the run, name -> `[{ step, value }, ...]` (piecewise constant,
   * the first change at step 0). Runs and sweeps only: calibrate and sensitivity refuse them.
   */
  readonly schedules?: Readonly<Record<string, unknown>> | undefined;
  /** Model inputs, name -> a number or one number per step from step 0 (the CLI's --input); see check-composition.ts. */
  readonly inputs?: Readonly<Record<string, unknown>> | undefined;
  /** With a composed model `a+b`: `<model>.<metric>=<model>.<input>` links (the CLI's --link). */
  readonly links?: readonly unknown[] | undefined;
  /** With a composed model: population id per model (the CLI's --population <model>=<id>). */
  readonly populations?: Readonly<Record<string, unknown>> | undefined;
  /** With a composed model: agents per model (the CLI's --agents <model>=N). */
  readonly memberAgents?: Readonly<Record<string, unknown>> | undefined;
}

/** Steps when a request gives none (as the CLI). */
export const DEFAULT_STEPS = 30;

/** One simulation. */
export interface RunRequest extends SimulationRequest {
  readonly kind: 'run';
  /** Default DEFAULT_STEPS. */
  readonly steps?: number | undefined;
  /** Per-agent values to keep after chosen steps (see check-snapshot.ts); stored as the run's `result.snapshot`. */
  readonly snapshot?: SnapshotRequest | undefined;
}

/** Losses a calibration may use. */
export const CALIBRATE_LOSSES = ['mse', 'poisson', 'negative-binomial'] as const;
export type CalibrateLoss = (typeof CALIBRATE_LOSSES)[number];
/** Epochs when a calibration gives none. */
export const DEFAULT_EPOCHS = 100;

/** Fit learnable parameters to observed series (core's `calibrate`). */
export interface CalibrateRequest extends SimulationRequest {
  readonly kind: 'calibrate';
  /** Observed series by metric, one value per step from step 1 (null where unobserved). */
  readonly observed: Readonly<Record<string, readonly (number | null)[]>>;
  /** Learnable parameters to fit; default: every learnable one. */
  readonly fit?: readonly string[] | undefined;
  /** Default 'mse'; 'poisson' and 'negative-binomial' treat the data as counts. */
  readonly loss?: CalibrateLoss | undefined;
  /** Default DEFAULT_EPOCHS. */
  readonly epochs?: number | undefined;
  /** Optimizer step size (default core's, 0.1). */
  readonly learningRate?: number | undefined;
}

/** d(output)/d(parameter) for the learnable parameters, from one reverse pass (core's `sensitivity`). */
export interface SensitivityRequest extends SimulationRequest {
  readonly kind: 'sensitivity';
  /** Default DEFAULT_STEPS. */
  readonly steps?: number | undefined;
  /** `'metric'` or `'metric:agg'` (agg: sum, mean, max, min, last; default sum). */
  readonly output: string;
  /** Parameters to differentiate; default: every learnable one. */
  readonly wrt?: readonly string[] | undefined;
  /** The gradient estimator (core's `sensitivity`): 'auto' (default), 'straight-through' or 'stochastic-derivative'. */
  readonly estimator?: EstimatorChoice | undefined;
  /** Alternative paths per step of the stochastic derivative (default core's). */
  readonly replicates?: number | undefined;
  /** How the stochastic derivative spreads its alternatives over the steps: 'uniform' (default) or 'adaptive' (core's `sensitivity`). */
  readonly allocation?: StochasticAllocation | undefined;
}

/** A small sweep: each scenario's parameters (over `params`) on the same seed(s), compared. */
export interface ScenariosRequest extends SimulationRequest {
  readonly kind: 'scenarios';
  /** Default DEFAULT_STEPS. */
  readonly steps?: number | undefined;
  /** The first is the baseline of the comparison. Names default to `scenario-1`, `scenario-2`... */
  readonly scenarios: readonly { readonly name?: string | undefined; readonly params: Readonly<Record<string, unknown>> }[];
  /** Seeds every scenario runs on (default [seed]); the table averages over them. */
  readonly seeds?: readonly number[] | undefined;
}

/** Any job. */
export type JobRequest = RunRequest | CalibrateRequest | SensitivityRequest | ScenariosRequest;

/** A checked simulation: full ids, the effective agent count and every parameter's value. */
export interface CheckedSimulation {
  readonly model: string;
  /** Full population id, or the manifest path as the request gave it. */
  readonly population: string | null;
  /** The population manifest a request named: its real path (inside a data directory) and the digest of its files when checked. */
  readonly populationFile: { readonly path: string; readonly digest: string } | null;
  /** The effective agent count (the request's, else the population's or the model's default). */
  readonly agents: number;
  /** The agent count the request gave, if any (what the simulation is created with). */
  readonly requestedAgents: number | null;
  readonly seed: number;
  /** Every parameter (defaults plus overrides). */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Only the overrides, as given (what a new simulation is created with). */
  readonly overrides: Readonly<Record<string, ParamValue>>;
  readonly metricNames: readonly string[];
  readonly label: string | null;
  /** Filled behaviour slots: slot -> full archetype id. */
  readonly behaviors: Readonly<Record<string, string>>;
  /** Checked parameter schedules (empty: none). */
  readonly schedules: Readonly<Record<string, ParamSchedule>>;
  /** Checked model inputs (absent: the model's defaults). */
  readonly inputs?: CheckedInputs | undefined;
  /** The composition of a composed model (`model` is then `a+b`); absent for one model. */
  readonly composed?: CheckedComposition | undefined;
}

/** A checked job, ready to run. */
export type CheckedJob =
  | { readonly kind: 'run'; readonly sim: CheckedSimulation; readonly steps: number; readonly snapshot?: CheckedSnapshot | undefined }
  | {
      readonly kind: 'calibrate';
      readonly sim: CheckedSimulation;
      readonly steps: number;
      readonly fit: readonly string[];
      readonly observed: Readonly<Record<string, readonly (number | null)[]>>;
      readonly loss: CalibrateLoss;
      readonly epochs: number;
      readonly learningRate: number | undefined;
    }
  | { readonly kind: 'sensitivity'; readonly sim: CheckedSimulation; readonly steps: number; readonly output: { readonly metric: string; readonly agg: Aggregate }; readonly wrt: readonly string[]; readonly estimator?: EstimatorChoice | undefined; readonly replicates?: number | undefined; readonly allocation?: StochasticAllocation | undefined }
  | {
      readonly kind: 'scenarios';
      readonly sim: CheckedSimulation;
      readonly steps: number;
      readonly seeds: readonly number[];
      /** Each scenario's overrides are merged over `sim.overrides`. */
      readonly scenarios: readonly { readonly name: string; readonly overrides: Readonly<Record<string, ParamValue>>; readonly params: Readonly<Record<string, ParamValue>> }[];
    };
