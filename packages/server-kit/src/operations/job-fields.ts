/**
 * The fields the job operations share (run_simulation, calibrate,
 * sensitivity, run_scenarios, sweep), declared once: their names, types,
 * ranges, defaults and meaning. A seed, an agent count or a step count is
 * range-checked here and nowhere else on the way in; the executor's checks
 * then compare sizes with the operator's limits.
 */
import { z } from 'zod';
import { MAX_INPUT_VALUES, MAX_LINKS } from '../check-composition.js';
import { CALIBRATE_LOSSES, DEFAULT_STEPS } from '../job-request.js';
import { unknownKeysText } from './define-operation.js';

/** The largest seed: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 4294967295;

/** A parameter value: a number, or one number per period for a time-varying parameter. */
export const paramValueSchema = z.union([z.number(), z.array(z.number())]);

/** Parameter values by name (overrides, a scenario's changes). */
export const paramsSchema = z.record(z.string(), paramValueSchema);

/** Behaviour slots filled with archetypes, slot -> archetype id. */
export const behaviorsSchema = z.record(z.string(), z.string().min(1));

/** Observed series by metric, one value per step from step 1 (null where unobserved). */
export const observedSchema = z.record(z.string(), z.array(z.number().nullable()));

/** An output of a simulation as one number: 'metric' or 'metric:agg'. */
export const outputSchema = z.string().min(1);

/** A calibration's loss. */
export const lossSchema = z.enum(CALIBRATE_LOSSES);

/** A seed: an unsigned 32-bit integer. */
export const seedSchema = z.number().int().min(0, `expected an integer in [0, ${MAX_SEED}]`).max(MAX_SEED, `expected an integer in [0, ${MAX_SEED}]`);

/** A strict object whose unknown-key error lists the valid keys (nested objects of an input). */
export function strictObject<S extends z.ZodRawShape>(shape: S): z.ZodObject<S, z.core.$strict> {
  const keys = Object.keys(shape);
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeysText(issue.keys, keys) : undefined) });
}

/** What every job on one model takes. */
export const simulationFields = {
  model: z.string().min(1).describe("Model id, full ('example/network-sir') or bare ('network-sir'); list_models lists them."),
  population: z
    .string()
    .min(1)
    .optional()
    .describe("Population id (list_populations), or the path of a population manifest ending in .json, .yaml or .yml under one of the server's data directories; without one the model runs on its own agents, with no networks."),
  agents: z.number().int().min(1).optional().describe("Number of agents (default: the population's or the model's default); limited by the server."),
  seed: seedSchema.default(0).describe('Random seed: the same seed gives the same metrics.'),
  params: paramsSchema.optional().describe('Parameter overrides { name: value }, within the bounds describe_model gives (the starting values of a calibration).'),
  label: z.string().max(200).optional().describe('A label for the run, shown in listings and plots.'),
};

/** Steps of a simulation. */
export const stepsField = z.number().int().min(1).default(DEFAULT_STEPS).describe('Number of steps (days for daily models).');

/** Per-agent values a run keeps after chosen steps (runs only). */
export const snapshotField = strictObject({
  states: z.array(z.string().min(1)).min(1).max(100).describe("Names of per-agent states (a model's agent properties, describe_model; bare like 'status' or as a path 'agents/people/status') or of the population's attributes (list_populations; e.g. 'age'), all of one agent type."),
  steps: z.array(z.number().int().min(1)).min(1).max(1000).describe('Steps after which to read them, each from 1 to the run\'s steps (a snapshot at step k is the state after k steps, the one the metrics of step k count).'),
})
  .optional()
  .describe(
    "Per-agent snapshot: the values of chosen states of every agent after chosen steps. Kept with the run as result.snapshot (GraphQL: Run.snapshot) and returned wherever the run is: { agentType, agents, steps, columns: [{ name, integer, values: [[one value per agent] per step] }] }. At most the server's maxSnapshotCells values (agents x states x steps); a larger one is refused before the run. As a Parquet file: the MCP resource populace://runs/{id}/snapshot.parquet, the GraphQL server's GET /runs/{id}/snapshot.parquet.",
  );

/** Behaviour slots filled with archetypes (runs and scenarios). */
export const behaviorsField = behaviorsSchema
  .optional()
  .describe("Fill the model's behaviour slots (describe_model lists them) with archetypes, slot -> archetype id, e.g. { isolation: 'covid-isolation' }. Archetypes ask the server's chat model, or use their offline prior when it has none. Not for calibrate or sensitivity.");

/** Parameters that change during a run (runs, scenarios, sweeps). */
export const schedulesField = z
  .record(z.string(), z.array(strictObject({ step: z.number().int().min(0), value: z.number() })).min(1))
  .optional()
  .describe('Parameters that change during every run, name -> [{ step, value }, ...] (piecewise constant from each step; the first at step 0).');

/** Model inputs and composed models (runs, calibrations, sensitivities), with the CLI's names; check-composition.ts checks them against the model. */
export const compositionFields = {
  inputs: z
    .record(z.string(), z.union([z.number(), z.array(z.number()).min(1).max(MAX_INPUT_VALUES)]))
    .optional()
    .describe("Model inputs (describe_model lists them), as the CLI's --input: { name: number or [number, ...] }, one value per step from step 0; a series must cover the steps."),
  links: z
    .array(z.string().min(1).max(500))
    .max(MAX_LINKS)
    .optional()
    .describe("With models joined by '+' in model (e.g. 'epi/covid+supplychain/labor'), as the CLI's --link: '<model>.<metric>=<model>.<input>' (a *factor after the metric scales it; @-1 after the metric reads it at the previous step, so two models can feed each other), e.g. 'epi/covid.I=supplychain/labor.infected'."),
  populations: z.record(z.string(), z.string().min(1)).optional().describe("With a composed model: population id per model, { model: id } (the CLI's --population <model>=<id>); population is then not given."),
  memberAgents: z.record(z.string(), z.number().int().min(1)).optional().describe("With a composed model: agents per model, { model: N } (the CLI's --agents <model>=N); agents is then not given."),
};

/** The learnable parameters a calibration fits or a sensitivity differentiates. */
export const learnableField = z.array(z.string().min(1)).min(1).optional().describe('Learnable parameters to fit or differentiate (default: every learnable one).');

/** How long a job operation waits for its job before returning the record as it is. */
export const waitField = (defaultSeconds: number) =>
  z.number().min(0).max(600).default(defaultSeconds).describe('Seconds to wait for the job to finish before returning (0 returns at once). A job still running keeps running: follow it with get_run.');
