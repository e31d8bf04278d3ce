/**
 * Operator limits: what one call may ask for. Every request is checked
 * against them before any work starts, so a call over a limit gets a
 * `limit-exceeded` PopulaceError instead of exhausting the machine.
 */
import { PopulaceError } from '@populace/core';
import { describe } from './describe.js';

/** Per-call limits of a server; each a positive integer (or Infinity for none). */
export interface RunLimits {
  /** Agents of one simulation (the effective count: the request's, else the population's default). */
  readonly maxAgents: number;
  /** Steps of one simulation (for calibrate: the length of the observed series). */
  readonly maxSteps: number;
  /** Wall time of one job in milliseconds, checked between steps and epochs; the job then fails with `limit-exceeded`. */
  readonly maxWallMs: number;
  /** Jobs waiting for a slot (a scenario sweep counts each of its runs). */
  readonly maxQueued: number;
  /** Epochs of one calibration. */
  readonly maxEpochs: number;
  /** agents x steps of one calibration or sensitivity: its gradient tape grows with both. */
  readonly maxGradientAgentSteps: number;
  /**
   * agents x model steps of one sensitivity by the stochastic derivative: its primal run, the
   * replays for p' and the alternatives to the horizon (core's stochasticDerivativeSteps: about
   * replicates x steps^2), checked before any work starts.
   */
  readonly maxStochasticAgentSteps: number;
  /** Runs of one scenario sweep (scenarios x seeds). */
  readonly maxScenarioRuns: number;
  /** runs x agents x steps of one scenario sweep (run_scenarios, sweep): its total work, on every surface. */
  readonly maxSweepAgentSteps: number;
  /**
   * Jobs of one client (an MCP session, a GraphQL peer address) running at once; its further
   * jobs wait in the queue while other clients' jobs go first (see ClientSlots).
   */
  readonly maxClientRunning: number;
  /**
   * Values of one run's per-agent snapshot (agents x states x steps): the snapshot is stored with
   * the run and returned inline (run_simulation, get_run, GraphQL's Run.snapshot), so it stays small.
   */
  readonly maxSnapshotCells: number;
  /**
   * Values (rows x columns) of one run's file served by a server (metrics.csv, metrics.parquet,
   * snapshot.parquet: MCP resources, GraphQL's /runs/{id}/... routes); a larger one is refused
   * before it is encoded.
   */
  readonly maxFileCells: number;
}

/** The defaults: generous for one workstation, far from an out-of-memory crash. */
export const DEFAULT_LIMITS: RunLimits = Object.freeze({
  maxAgents: 2_000_000,
  maxSteps: 10_000,
  maxWallMs: 30 * 60_000,
  maxQueued: 100,
  maxEpochs: 1_000,
  maxGradientAgentSteps: 50_000_000,
  maxStochasticAgentSteps: 10_000_000_000,
  maxScenarioRuns: 32,
  maxSweepAgentSteps: 10_000_000_000,
  maxClientRunning: 8,
  maxSnapshotCells: 100_000,
  maxFileCells: 5_000_000,
});

/** Option names of the limits on the servers' command lines (`--max-agents` ...). */
export const LIMIT_FLAGS: Readonly<Record<keyof RunLimits, string>> = Object.freeze({
  maxAgents: 'max-agents',
  maxSteps: 'max-steps',
  maxWallMs: 'max-wall-ms',
  maxQueued: 'max-queued',
  maxEpochs: 'max-epochs',
  maxGradientAgentSteps: 'max-gradient-agent-steps',
  maxStochasticAgentSteps: 'max-stochastic-agent-steps',
  maxScenarioRuns: 'max-scenario-runs',
  maxSweepAgentSteps: 'max-sweep-agent-steps',
  maxClientRunning: 'max-client-running',
  maxSnapshotCells: 'max-snapshot-cells',
  maxFileCells: 'max-file-cells',
});

/**
 * The defaults with `overrides` applied, each checked.
 *
 * @example
 * ```ts
 * const limits = resolveLimits({ maxAgents: 100_000, maxWallMs: 60_000 });
 * ```
 */
export function resolveLimits(overrides: Partial<RunLimits> = {}): RunLimits {
  if (typeof overrides !== 'object' || overrides === null) {
    throw new PopulaceError('invalid-argument', `limits: expected an object such as { maxAgents: 100000 }, received ${describe(overrides)}.`);
  }
  const out: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!Object.hasOwn(DEFAULT_LIMITS, name)) {
      throw new PopulaceError('invalid-argument', `limits: unknown limit '${name}'; expected one of ${Object.keys(DEFAULT_LIMITS).join(', ')}.`, { details: { limit: name } });
    }
    if (typeof value !== 'number' || !(value === Infinity || (Number.isSafeInteger(value) && value >= 1))) {
      throw new PopulaceError('invalid-argument', `limits.${name}: expected a positive integer (or Infinity for no limit), received ${describe(value)}.`, { details: { limit: name } });
    }
    out[name] = value;
  }
  return Object.freeze(out as unknown as RunLimits);
}

/** Throws `limit-exceeded` when `value` is over `limits[limit]`; `what` says what was counted. */
export function checkLimit(limits: RunLimits, limit: keyof RunLimits, value: number, what: string, fix: string): void {
  const max = limits[limit];
  if (value > max) {
    throw new PopulaceError('limit-exceeded', `${what} is ${value.toLocaleString('en-US')}, over this server's limit of ${max.toLocaleString('en-US')} (${limit}). ${fix} The operator can raise it with --${LIMIT_FLAGS[limit]}.`, {
      details: { limit, max, received: value },
    });
  }
}
