/**
 * Zod schemas of what the tools take and return, shared by the tools. Ids,
 * numbers and shapes are checked here for type; the server kit checks them
 * against the runtime (ids, bounds) and the operator's limits.
 */
import { sweepOperation } from '@populace/server-kit';
import { z } from 'zod';

/** A parameter value: a number, or one number per period for a time-varying parameter. */
export const paramValue = z.union([z.number(), z.array(z.number())]);

/** A number that may be null where it is not finite (JSON has no NaN). */
export const maybeNumber = z.number().nullable();

/** What every simulation-based tool takes. */
export const simulationInput = {
  model: z.string().min(1).describe("Model id, full ('example/network-sir') or bare ('network-sir'); list_models lists them."),
  population: z.string().min(1).optional().describe("Population id (list_populations), or the path of a population manifest ending in .json, .yaml or .yml, relative to one of the server's --data-dir directories (refused when the server has none); without one the model runs on its own agents, with no networks."),
  agents: z.number().int().min(1).optional().describe("Number of agents (default: the population's or the model's default); limited by the server."),
  seed: z.number().int().min(0).max(4294967295).optional().describe('Random seed (default 0): the same seed gives the same metrics.'),
  params: z.record(z.string(), paramValue).optional().describe('Parameter overrides { name: value }, within the bounds describe_model gives.'),
  label: z.string().max(200).optional().describe('A label for the run, shown in listings and plots.'),
};

/** Behaviour slots to fill with archetypes (run_simulation, run_scenarios). */
export const behaviorsInput = z
  .record(z.string(), z.string().min(1))
  .optional()
  .describe("Fill the model's behaviour slots (describe_model lists them) with archetypes, slot -> archetype id, e.g. { isolation: 'covid-isolation' }. Archetypes ask the server's chat model, or use their offline prior when it has none. Not for calibrate or sensitivity.");

/** Scheduled parameters (run_simulation): the sweep operation's declaration of them, so both take the same shape. */
export const schedulesInput = sweepOperation.input.shape.schedules;

/** How long a tool waits for its job. */
export const waitInput = (defaultSeconds: number) =>
  z.number().min(0).max(600).optional().describe(`Seconds to wait for the job to finish before returning (default ${defaultSeconds}; 0 returns at once). A job still running keeps running: follow it with get_run.`);

/** Steps of a simulation. */
export const stepsInput = z.number().int().min(1).optional().describe('Number of steps (days for daily models), default 30.');

/** A run record as tools return it. */
export const runRecord = z.object({
  id: z.string(),
  kind: z.enum(['run', 'calibrate', 'sensitivity', 'scenarios']),
  label: z.string().nullable(),
  parentId: z.string().nullable(),
  model: z.string(),
  population: z.string().nullable(),
  agents: z.number(),
  steps: z.number(),
  seed: z.number(),
  params: z.record(z.string(), paramValue),
  backend: z.string().nullable(),
  /** The populace-worker (host:pid) that ran it, with --redis; null in process. */
  worker: z.string().nullable(),
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
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

/** One row of a comparison table. */
const summary = { final: maybeNumber, peak: maybeNumber, peakStep: maybeNumber, total: maybeNumber };
export const comparisonTable = z.object({
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

/** Replaces non-finite numbers (anywhere in plain data) by null, as JSON would. */
export function finite<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
