/**
 * run_scenarios: a small sweep, each scenario's parameters over the shared
 * ones on the same seeds, compared in one table (the first is the baseline).
 */
import { z } from 'zod';
import { formatComparison } from '../compare.js';
import type { ScenariosOutcome } from '../run-record.js';
import { defineOperation } from './define-operation.js';
import { submitAndFollow } from './follow-job.js';
import { behaviorsField, paramsSchema, schedulesField, seedSchema, simulationFields, stepsField, strictObject, waitField } from './job-fields.js';
import { runText } from './job-text.js';
import { comparisonTableSchema, runRecordSchema } from './run-record-schema.js';

/** Seconds run_scenarios waits when not told. */
export const SCENARIOS_WAIT_SECONDS = 120;

/** run_scenarios: compare interventions on common seeds. */
export const scenariosOperation = defineOperation({
  name: 'run_scenarios',
  title: 'Run and compare scenarios',
  description:
    "Runs a small sweep: each scenario's parameter values (over the shared params) on the same seed(s), then compares them in one table (the first scenario is the baseline; with several seeds each row averages over them). Use it to compare interventions, e.g. scenarios [{ name: 'baseline', params: {} }, { name: 'distancing', params: { beta: 0.03 } }].",
  readOnly: false,
  input: z.object({
    ...simulationFields,
    steps: stepsField,
    behaviors: behaviorsField,
    schedules: schedulesField,
    scenarios: z
      .array(strictObject({ name: z.string().min(1).max(100).optional().describe('Default scenario-1, scenario-2...'), params: paramsSchema.default({}).describe('What this scenario changes over the shared params.') }))
      .min(1)
      .describe('The scenarios; each changes some parameters. The first is the baseline of the comparison.'),
    seeds: z.array(seedSchema).min(1).optional().describe('Seeds every scenario runs on (default [seed]).'),
    waitSeconds: waitField(SCENARIOS_WAIT_SECONDS),
  }),
  output: z.object({ run: runRecordSchema, finished: z.boolean(), table: comparisonTableSchema.nullable() }),
  text: (o, { store }) => {
    const result = o.run.result as ScenariosOutcome | null;
    const runs = result ? `\nRuns: ${result.scenarios.map((s) => `${s.name}: ${s.runIds.join(', ')}`).join('; ')}` : `\nIts runs: list_runs shows them; get_run '${o.run.id}' gives the table when it ends.`;
    return `${runText(o.run as never, store)}${o.table ? `\n\n${formatComparison(o.table as never)}` : ''}${runs}`;
  },
  run: async ({ waitSeconds, ...request }, ctx) => {
    const { run, finished } = await submitAndFollow(ctx, { kind: 'scenarios', ...request }, waitSeconds);
    return { run, finished, table: (run.result as ScenariosOutcome | null)?.table ?? null } as never;
  },
});
