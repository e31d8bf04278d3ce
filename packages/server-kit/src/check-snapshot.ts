/**
 * Per-agent snapshots of a run job: the request checked before anything
 * runs (names against the model and its population's declared attributes,
 * steps against the run's steps, the size against `maxSnapshotCells`), and
 * the captured snapshot as plain JSON, stored with the run as its result.
 *
 * The design: a server keeps a snapshot with its run (`result.snapshot` of
 * the run record, in the run store) and returns it inline wherever the run
 * is returned (run_simulation, get_run, GraphQL's `Run.snapshot`). It is
 * bounded by the operator's `maxSnapshotCells` (default 100,000 values), so
 * it stays a small answer; a larger snapshot is refused before the run with
 * the limit named. As a file: the CLI's `--snapshot-out`, and the servers'
 * `snapshot.parquet` of the run (results/run-files.ts).
 */
import { checkSnapshotCells, declaredAttributes, planSnapshot, PopulaceError, type AgentSnapshot, type PopulationDefinition, type Runtime } from '@populace/core';
import { describe, isPlainObject } from './describe.js';
import type { CheckedSimulation } from './job-request.js';
import { LIMIT_FLAGS, type RunLimits } from './limits.js';

/** A checked snapshot request (plain data, shipped with the job). */
export interface CheckedSnapshot {
  /** The names as requested, in order. */
  readonly states: readonly string[];
  /** Ascending, each in [1, steps]. */
  readonly steps: readonly number[];
  /** The most values it may hold (the limit at submission; checked again with the built agent count). */
  readonly maxCells: number;
}

/** A snapshot as a run record keeps it (JSON): per column, one array of values per captured step. */
export interface RunSnapshot {
  /** The model's agent type the values are of (one per agent, agent i at index i). */
  readonly agentType: string;
  readonly agents: number;
  /** The steps captured, ascending (a snapshot at step k is the state after k steps). */
  readonly steps: readonly number[];
  /** One per requested name; `values[k][i]` is agent i after `steps[k]` (null where not finite). */
  readonly columns: readonly { readonly name: string; readonly integer: boolean; readonly values: readonly (readonly (number | null)[])[] }[];
}

/** What a run job with a snapshot keeps as its result. */
export interface RunSnapshotOutcome {
  readonly snapshot: RunSnapshot;
}

const KEYS = ['states', 'steps'];

/**
 * Checks the snapshot of a run job; undefined when none was asked for. `population`: the
 * population (or opened population file) the job runs on, if any.
 */
export function checkSnapshot(runtime: Runtime, sim: CheckedSimulation, raw: unknown, steps: number, limits: RunLimits, population: PopulationDefinition | undefined): CheckedSnapshot | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) throw new PopulaceError('invalid-argument', `snapshot: expected an object { states: [names], steps: [steps] } such as { states: ['status'], steps: [10, 20] }, received ${describe(raw)}.`, { details: { field: 'snapshot' } });
  const unknown = Object.keys(raw).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0) throw new PopulaceError('invalid-argument', `snapshot: unknown key ${unknown.map((k) => `'${k}'`).join(', ')}; valid keys: ${KEYS.join(', ')}.`, { details: { field: 'snapshot' } });
  if (sim.composed) throw new PopulaceError('invalid-argument', `snapshot: a composed run (${sim.model}) takes no snapshot yet; snapshot one model's run.`, { details: { field: 'snapshot' } });
  const model = runtime.models.get(sim.model).definition;
  const plan = planSnapshot(model, sim.model, declaredAttributes(model, population), raw as { states: readonly string[]; steps: readonly number[] }, steps);
  // the effective agent count sizes the model's first agent type; another type's count is known
  // once the population is built, when the recorder checks it again
  if (plan.agentType === Object.keys(model.state.agents)[0]) withOperatorHint(() => checkSnapshotCells(sim.agents, plan, limits.maxSnapshotCells, 'maxSnapshotCells'));
  return { states: plan.columns.map((c) => c.name), steps: plan.steps, maxCells: limits.maxSnapshotCells };
}

function hinted(error: unknown): never {
  if (!PopulaceError.isInstance(error) || error.code !== 'limit-exceeded') throw error;
  throw new PopulaceError('limit-exceeded', `${error.message} The operator can raise it with --${LIMIT_FLAGS.maxSnapshotCells}.`, { details: error.details, cause: error });
}

/** Runs `fn` (sync or async); a snapshot over the limit gets the operator's flag added to its message, as checkLimit's messages have. */
export function withOperatorHint<T>(fn: () => T): T {
  try {
    const out = fn();
    return (out instanceof Promise ? out.catch(hinted) : out) as T;
  } catch (error) {
    return hinted(error);
  }
}

const finiteOrNull = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

/** A captured snapshot as plain JSON (typed arrays to arrays, non-finite values to null); a RunSnapshot is copied as it is. */
export function snapshotJson(snapshot: AgentSnapshot | RunSnapshot): RunSnapshot {
  return {
    agentType: snapshot.agentType,
    agents: snapshot.agents,
    steps: [...snapshot.steps],
    columns: snapshot.columns.map((c) => ({ name: c.name, integer: c.integer, values: c.values.map((v: ArrayLike<number | null>) => Array.from(v, finiteOrNull)) })),
  };
}
