/**
 * The run record: what the run store keeps about a job and what the
 * operations return, declared once. The TypeScript type (`RunRecord`,
 * run-record.ts), GraphQL's `Run` type (@populace/graphql) and the run
 * store's row mapping (store-columns.ts) are derived from `runRecordSchema`;
 * a field's `.describe()` is its documentation on every surface. A new
 * field is declared here, plus the migration that adds its column
 * (store-schema.ts) and its value where a job is recorded (new-record.ts).
 * Also the comparison table of a scenarios job.
 */
import { z } from 'zod';
import type { RunKind, RunOutcome, RunStatus } from '../run-record.js';
import { RUN_KINDS, RUN_STATUSES } from '../run-record.js';
import { paramValueSchema } from './job-fields.js';

/** A number that may be null where it is not finite (JSON has no NaN). */
export const maybeNumber = z.number().nullable();

/**
 * A job's result. Not checked here (each job operation's output has its typed result beside the
 * record): any JSON value, typed as what the executor stores by kind.
 */
const outcomeSchema = z.unknown() as unknown as z.ZodType<RunOutcome>;

/** A run record. Times are ISO 8601 strings. */
export const runRecordSchema = z.object({
  id: z.string(),
  kind: z.enum(RUN_KINDS as unknown as readonly [RunKind, ...RunKind[]]),
  label: z.string().nullable().describe('The caller\'s label, or the scenario name for the runs of a sweep.'),
  parentId: z.string().nullable().describe('The sweep this run belongs to.'),
  model: z.string().describe('Full model id.'),
  population: z.string().nullable().describe('Full population id, or the manifest path as the request gave it (its digest is in options.populationFile).'),
  /** Agents of the model's first agent type (the effective count). */
  agents: z.number().int(),
  steps: z.number().int().describe('Steps simulated (per run, for a sweep).'),
  seed: z.number(),
  params: z.record(z.string(), paramValueSchema).describe('Every parameter (defaults plus overrides; the starting values of a calibration).'),
  backend: z.string().nullable().describe('Tensor backend, once started.'),
  worker: z.string().nullable().describe('The populace-worker process (host:pid) that ran it, with --redis; null for a job run in process.'),
  status: z.enum(RUN_STATUSES as unknown as readonly [RunStatus, ...RunStatus[]]),
  /** How far a job is: steps of a run or a sensitivity, epochs of a calibration, runs of a sweep. */
  progress: z.object({ done: z.number().int(), total: z.number().int(), unit: z.enum(['steps', 'epochs', 'runs']) }),
  /** Names of the metric series, in the model's order. */
  metricNames: z.array(z.string()),
  stepsRecorded: z.number().int().describe('Steps whose metrics are stored.'),
  options: z.record(z.string(), z.unknown()).describe('The kind-specific input (calibrate: observed, loss, epochs...; sensitivity: output...).'),
  /** The result of a job, by kind (null for plain runs: their result is the metric series; a run with a snapshot keeps it). */
  result: outcomeSchema.nullable(),
  error: z
    .object({ code: z.string(), message: z.string() })
    .nullable()
    .describe("Why it did not finish: a Populace error code, 'interrupted' (the server stopped during it), 'cancelled', 'limit-exceeded' (over the wall time) or 'internal'."),
  createdAt: z.string().describe('ISO 8601.'),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** finished - started, in milliseconds. */
  wallMs: z.number().nullable(),
});

const summary = { final: maybeNumber, peak: maybeNumber, peakStep: maybeNumber, total: maybeNumber };

/** A comparison of runs, metric by metric, against the first (the baseline). */
export const comparisonTableSchema = z.object({
  baseline: z.string(),
  metrics: z.array(z.string()),
  rows: z.array(
    z.object({
      metric: z.string(),
      label: z.string(),
      runIds: z.array(z.string()),
      ...summary,
      delta: z.object(summary).nullable(),
      relative: z.object({ final: maybeNumber, peak: maybeNumber, total: maybeNumber }).nullable(),
    }),
  ),
});
