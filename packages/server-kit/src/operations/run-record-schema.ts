/**
 * The run record as operations return it (the zod form of `RunRecord`), and
 * the comparison table of a scenarios job.
 */
import { z } from 'zod';
import { RUN_KINDS, RUN_STATUSES } from '../run-record.js';
import { paramValueSchema } from './job-fields.js';

/** A number that may be null where it is not finite (JSON has no NaN). */
export const maybeNumber = z.number().nullable();

/** A run record. */
export const runRecordSchema = z.object({
  id: z.string(),
  kind: z.enum(RUN_KINDS as unknown as [string, ...string[]]),
  label: z.string().nullable(),
  parentId: z.string().nullable(),
  model: z.string(),
  population: z.string().nullable(),
  agents: z.number(),
  steps: z.number(),
  seed: z.number(),
  params: z.record(z.string(), paramValueSchema),
  backend: z.string().nullable(),
  /** The populace-worker (host:pid) that ran it, with --redis; null in process. */
  worker: z.string().nullable(),
  status: z.enum(RUN_STATUSES as unknown as [string, ...string[]]),
  progress: z.object({ done: z.number(), total: z.number(), unit: z.enum(['steps', 'epochs', 'runs']) }),
  metricNames: z.array(z.string()),
  stepsRecorded: z.number(),
  options: z.record(z.string(), z.unknown()),
  result: z.unknown().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
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
