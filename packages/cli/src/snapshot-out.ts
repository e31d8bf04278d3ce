/**
 * `run --snapshot status,age@10,20,30 --snapshot-out agents.parquet`: per-agent
 * values of chosen states after chosen steps (core's SnapshotRecorder),
 * checked before anything is built and written to a file: .parquet and .csv
 * as one row per agent per step (columns step, agent, then one per state),
 * .json as the servers return a snapshot ({ agentType, agents, steps,
 * columns: [{ name, integer, values: [[per agent] per step] }] }). The table and
 * its Parquet encoding are @populace/server-kit's (the servers' snapshot.parquet).
 */
import { checkSnapshotCells, declaredAttributes, parseSnapshot, planSnapshot, PopulaceError, type AgentSnapshot, type SnapshotRequest } from '@populace/core';
import { snapshotColumns, snapshotJson, snapshotParquet, type AnySnapshot } from '@populace/server-kit';
import { usageError, type OptionSpecs } from './args.js';
import { checkOutTarget, writeAtomic, type OutTarget } from './out-file.js';
import type { ResolvedIO } from './io.js';
import type { OpenedJob } from './executor-job.js';
import type { SimulationArgs } from './simulation-options.js';

/** Values (agents x states x steps) a snapshot may hold when --max-snapshot-cells is not given. */
export const DEFAULT_SNAPSHOT_CELLS = 20_000_000;

/** The snapshot options of `run`. */
export const SNAPSHOT_OPTIONS: OptionSpecs = {
  snapshot: { type: 'string', value: 'names@steps', description: "per-agent snapshot: states or population attributes, then the steps after which to read them, e.g. status,age@10,20,30 (needs --snapshot-out)" },
  'snapshot-out': { type: 'string', value: 'file', description: 'where --snapshot goes: .parquet or .csv (columns step, agent, then one per state) or .json' },
  'max-snapshot-cells': { type: 'string', value: 'N', description: `most values (agents x states x steps) a snapshot may hold (default ${DEFAULT_SNAPSHOT_CELLS})` },
};

/** A checked --snapshot request. */
export interface SnapshotArgs {
  readonly request: SnapshotRequest;
  readonly target: OutTarget;
  readonly maxCells: number;
}

const LIMIT = '--max-snapshot-cells';

/** Reads --snapshot, --snapshot-out and --max-snapshot-cells (syntax and the target file); undefined without --snapshot. */
export function snapshotArgs(options: Readonly<Record<string, unknown>>, io: ResolvedIO, composed: boolean): SnapshotArgs | undefined {
  const text = options.snapshot as string | undefined;
  const out = options['snapshot-out'] as string | undefined;
  const max = options['max-snapshot-cells'] as string | undefined;
  if (text === undefined) {
    if (out !== undefined || max !== undefined) usageError(`--${out !== undefined ? 'snapshot-out' : 'max-snapshot-cells'} needs --snapshot names@steps (e.g. --snapshot status@10,20).`);
    return undefined;
  }
  if (out === undefined) usageError('--snapshot needs --snapshot-out <file.parquet|file.csv|file.json>: the file the snapshot is written to.');
  if (composed) usageError('--snapshot: a composed run takes no snapshot yet; snapshot one model\'s run.');
  let request: SnapshotRequest;
  try {
    request = parseSnapshot(text);
  } catch (error) {
    if (!PopulaceError.isInstance(error)) throw error;
    usageError(`--${error.message}`, { option: 'snapshot', received: text });
  }
  const maxCells = max === undefined ? DEFAULT_SNAPSHOT_CELLS : /^\d+$/.test(max.trim()) && Number(max) >= 1 && Number.isSafeInteger(Number(max)) ? Number(max) : usageError(`${LIMIT}: expected a positive whole number, received ${JSON.stringify(max)}.`, { option: 'max-snapshot-cells', received: max });
  return { request, target: checkOutTarget(out, io.cwd, ['parquet', 'csv', 'json'], 'snapshot-out'), maxCells };
}

/**
 * Checks the names against the model and the population's declared attributes, the steps against
 * the run's and the size against --max-snapshot-cells, before anything is built (the executor
 * checks the size again with the built agent count and takes the snapshot between steps).
 */
export function checkSnapshotArgs(job: OpenedJob, sim: SimulationArgs, args: SnapshotArgs, steps: number): void {
  try {
    const model = job.runtime.models.get(job.description.id).definition;
    const population = job.populationFile?.definition ?? (typeof sim.population === 'string' && job.runtime.populations.has(sim.population) ? job.runtime.populations.get(sim.population).definition : undefined);
    const plan = planSnapshot(model, job.description.id, declaredAttributes(model, population), args.request, steps);
    const firstType = Object.keys(model.state.agents)[0];
    if (plan.agentType === firstType) checkSnapshotCells(sim.agents ?? population?.defaultAgents ?? model.defaultAgents, plan, args.maxCells, LIMIT);
  } catch (error) {
    // core's messages say 'snapshot: ...'; the command line names its option
    if (!PopulaceError.isInstance(error) || !error.message.startsWith('snapshot: ')) throw error;
    throw new PopulaceError(error.code, `--${error.message}`, { details: { option: 'snapshot', ...error.details }, cause: error });
  }
}

const csvCell = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/** The snapshot as CSV text (a header, then one line per agent per step). */
export function snapshotCsv(s: AnySnapshot): string {
  const columns = snapshotColumns(s);
  const lines = [columns.map((c) => csvCell(c.name)).join(',')];
  const rows = s.steps.length * s.agents;
  for (let r = 0; r < rows; r++) lines.push(columns.map((c) => (Number.isFinite(c.data[r]!) ? String(c.data[r]) : '')).join(','));
  return lines.join('\n') + '\n';
}

/**
 * Writes the snapshot (core's, or a run record's `result.snapshot` when the run went through an
 * executor) to its --snapshot-out file, atomically, in the format its extension names.
 */
export async function writeSnapshot(target: OutTarget, s: AnySnapshot): Promise<void> {
  const body = target.format === 'parquet' ? await snapshotParquet(s) : target.format === 'csv' ? snapshotCsv(s) : JSON.stringify(snapshotJson(s)) + '\n';
  await writeAtomic(target.path, body, 'snapshot-out');
}
