/**
 * A stored run's results as files, for the servers: `metrics.csv` and
 * `metrics.parquet` (its metric series, step then one column per metric)
 * and, for a run kept with a per-agent snapshot, `snapshot.parquet` (one row
 * per agent per step); for a sweep that has ended, `bands.parquet` (per
 * scenario, metric and step the median and the 50% and 95% bands across its
 * seeds, as the sweep operation reports them). The MCP server serves them as resources
 * (`populace://runs/{id}/<file>`), the GraphQL server as HTTP GET routes
 * (`/runs/{id}/<file>`). A file whose table would hold more values than the
 * operator's `maxFileCells` is refused before it is encoded, with the numbers.
 */
import { PopulaceError } from '@populace/core';
import type { RunSnapshot, RunSnapshotOutcome } from '../check-snapshot.js';
import { describe } from '../describe.js';
import { checkLimit, type RunLimits } from '../limits.js';
import { getMetrics, metricsCsv } from '../metrics-query.js';
import { isTerminal, type RunRecord } from '../run-record.js';
import type { RunStore } from '../run-store.js';
import { metricsCells } from './metrics-table.js';
import { metricsParquet, PARQUET_MIME_TYPE, snapshotParquet, sweepParquet } from './parquet.js';
import { snapshotCells } from './snapshot-table.js';
import { storedSweepTable, sweepOutcome } from './stored-sweep.js';

/** The files a run may have. */
export type RunFileName = 'metrics.csv' | 'metrics.parquet' | 'snapshot.parquet' | 'bands.parquet';

/** Every file name, in the order they are listed. */
export const RUN_FILES: readonly RunFileName[] = ['metrics.csv', 'metrics.parquet', 'snapshot.parquet', 'bands.parquet'];

/** The media type of each file. */
export const RUN_FILE_TYPES: Readonly<Record<RunFileName, string>> = { 'metrics.csv': 'text/csv', 'metrics.parquet': PARQUET_MIME_TYPE, 'snapshot.parquet': PARQUET_MIME_TYPE, 'bands.parquet': PARQUET_MIME_TYPE };

/** A run's file, encoded. */
export interface RunFile {
  readonly name: RunFileName;
  readonly mimeType: string;
  /** Text for CSV, bytes for Parquet. */
  readonly body: string | Uint8Array;
  /** Values of the table (header and step columns included). */
  readonly cells: number;
}

/** The per-agent snapshot a run record keeps (a run job asked for one and is done), if any. */
export function runSnapshot(run: RunRecord): RunSnapshot | undefined {
  return run.kind === 'run' && run.result !== null && typeof run.result === 'object' && 'snapshot' in run.result ? (run.result as RunSnapshotOutcome).snapshot : undefined;
}

/**
 * The files `run` has now: its metrics once a step is stored, its snapshot once it is kept, a
 * sweep's bands once it has ended.
 *
 * @example
 * ```ts
 * runFileNames(store.require(id)); // ['metrics.csv', 'metrics.parquet', 'snapshot.parquet']
 * ```
 */
export function runFileNames(run: RunRecord): RunFileName[] {
  return RUN_FILES.filter((f) => (f === 'snapshot.parquet' ? runSnapshot(run) !== undefined : f === 'bands.parquet' ? sweepOutcome(run) !== undefined : run.stepsRecorded > 0));
}

/**
 * The path of a run's file under a server's root (`/runs/<id>/<file>`, the id URI-encoded).
 *
 * @example
 * ```ts
 * runFilePath('run-f107d7969366', 'metrics.parquet'); // '/runs/run-f107d7969366/metrics.parquet'
 * ```
 */
export const runFilePath = (runId: string, name: RunFileName): string => `/runs/${encodeURIComponent(runId)}/${name}`;

/** Whether `name` is one of RUN_FILES. */
export const isRunFileName = (name: unknown): name is RunFileName => typeof name === 'string' && (RUN_FILES as readonly string[]).includes(name);

/**
 * Encodes a run's file. Throws `unknown-id` for an unknown run (with the ids it could have
 * meant), `invalid-argument` for a file name not in RUN_FILES or a snapshot the run does not
 * keep (`details.files` lists the files it has), and `limit-exceeded` when the table holds more
 * than `limits.maxFileCells` values. A metrics file of a run still going holds the steps stored
 * so far (a run with none stored: the header only).
 *
 * @example
 * ```ts
 * const file = await runFile(kit.store, kit.executor.limits, runId, 'metrics.parquet');
 * file.mimeType; // 'application/vnd.apache.parquet'
 * ```
 */
export async function runFile(store: RunStore, limits: RunLimits, runId: string, name: RunFileName): Promise<RunFile> {
  const run = store.require(runId);
  if (!isRunFileName(name)) throw new PopulaceError('invalid-argument', `run files: expected one of ${RUN_FILES.join(', ')}, received ${describe(name)}.`, { details: { runId: run.id, files: RUN_FILES } });
  const fix = 'Read the series with fewer points instead (the metrics tool or field with maxPoints).';
  if (name === 'snapshot.parquet') {
    const snapshot = runSnapshot(run);
    if (snapshot === undefined) {
      const asked = run.options.snapshot !== undefined;
      const why = run.kind !== 'run' ? `it is a ${run.kind} job, and only simulation runs keep one` : !asked ? 'it was started without a snapshot request ({ states, steps })' : isTerminal(run.status) ? `it ended ${run.status} before its snapshot was kept` : `its snapshot is kept once it is done (status: ${run.status})`;
      throw new PopulaceError('invalid-argument', `run '${run.id}' has no per-agent snapshot: ${why}. Its files: ${runFileNames(run).join(', ') || 'none yet'}.`, { details: { runId: run.id, file: name, files: runFileNames(run) } });
    }
    const cells = snapshotCells(snapshot);
    checkLimit(limits, 'maxFileCells', cells, `values in snapshot.parquet of run '${run.id}' (${snapshot.agents.toLocaleString('en-US')} agents x ${snapshot.steps.length} steps x ${snapshot.columns.length + 2} columns)`, 'Ask for a snapshot of fewer states or steps.');
    return { name, mimeType: RUN_FILE_TYPES[name], body: await snapshotParquet(snapshot), cells };
  }
  if (name === 'bands.parquet') {
    const outcome = sweepOutcome(run);
    if (outcome === undefined) {
      const why = run.kind !== 'scenarios' ? `it is a ${run.kind} job; bands are a sweep's (sweep, run_scenarios)` : `its bands are read once it has ended (status: ${run.status})`;
      throw new PopulaceError('invalid-argument', `run '${run.id}' has no bands: ${why}. Its files: ${runFileNames(run).join(', ') || 'none yet'}.`, { details: { runId: run.id, file: name, files: runFileNames(run) } });
    }
    const params = new Set(outcome.scenarios.flatMap((s) => Object.keys(s.params))).size;
    const cells = outcome.scenarios.length * run.metricNames.length * run.steps * (params + 8);
    checkLimit(limits, 'maxFileCells', cells, `values in bands.parquet of run '${run.id}' (${outcome.scenarios.length} points x ${run.metricNames.length} metrics x ${run.steps.toLocaleString('en-US')} steps x ${params + 8} columns)`, 'Read the bands of fewer metrics with the sweep operation instead.');
    return { name, mimeType: RUN_FILE_TYPES[name], body: await sweepParquet(storedSweepTable(store, run)!), cells };
  }
  const cells = run.stepsRecorded * (run.metricNames.length + 1);
  checkLimit(limits, 'maxFileCells', cells, `values in ${name} of run '${run.id}' (${run.stepsRecorded.toLocaleString('en-US')} steps x ${run.metricNames.length + 1} columns)`, fix);
  const slice = getMetrics(store, run.id);
  const table = { names: slice.names, steps: slice.steps, series: slice.series };
  return { name, mimeType: RUN_FILE_TYPES[name], body: name === 'metrics.csv' ? metricsCsv(table) : await metricsParquet(table), cells: metricsCells(table) };
}
