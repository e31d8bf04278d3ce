/**
 * run_simulation: one simulation of a model, recorded; the caller waits up
 * to waitSeconds for it to end.
 */
import { z } from 'zod';
import { defineOperation } from './define-operation.js';
import { submitAndFollow } from './follow-job.js';
import { behaviorsField, compositionFields, schedulesField, simulationFields, snapshotField, stepsField, waitField } from './job-fields.js';
import { runText } from './job-text.js';
import { runRecordSchema } from './run-record-schema.js';

/** Seconds run_simulation and run_scenarios wait when not told. */
export const RUN_WAIT_SECONDS = 30;

/** run_simulation: start one simulation and follow it. */
export const runOperation = defineOperation({
  name: 'run_simulation',
  title: 'Run a simulation',
  description:
    'Starts one simulation of a model on a population and returns its run id. It waits up to waitSeconds for the run to finish (sending progress notifications when the client asks for them) and then returns the run record with a summary of each metric; a run still going keeps running in the background (get_run, get_metrics, cancel_run).',
  readOnly: false,
  input: z.object({ ...simulationFields, steps: stepsField, behaviors: behaviorsField, schedules: schedulesField, snapshot: snapshotField, ...compositionFields, waitSeconds: waitField(RUN_WAIT_SECONDS) }),
  output: z.object({ run: runRecordSchema, finished: z.boolean() }),
  text: (o, { store }) => runText(o.run as never, store),
  run: async ({ waitSeconds, ...request }, ctx) => submitAndFollow(ctx, { kind: 'run', ...request }, waitSeconds) as never,
});
