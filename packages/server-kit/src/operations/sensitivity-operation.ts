/**
 * sensitivity: d(output)/d(parameter) for the learnable parameters from one
 * reverse pass (core's `sensitivity`), as a recorded job.
 */
import { DEFAULT_STOCHASTIC_REPLICATES, GRADIENT_ESTIMATORS, STOCHASTIC_ALLOCATIONS, type StochasticAllocation } from '@populace/core';
import { z } from 'zod';
import type { SensitivityOutcome } from '../run-record.js';
import { GRADIENT_WAIT_SECONDS } from './calibrate-operation.js';
import { defineOperation } from './define-operation.js';
import { submitAndFollow } from './follow-job.js';
import { compositionFields, learnableField, outputSchema, simulationFields, stepsField, waitField } from './job-fields.js';
import { runText } from './job-text.js';
import { runRecordSchema } from './run-record-schema.js';

const ranking = z.object({
  output: z.object({ metric: z.string(), agg: z.string(), value: z.number() }),
  entries: z.array(z.object({ param: z.string(), index: z.number().optional(), value: z.number(), gradient: z.number(), elasticity: z.number().nullable(), standardError: z.number().optional().describe('Monte Carlo standard error of the gradient (stochastic-derivative estimator, the default on contact networks).') })),
  estimator: z.string().optional().describe('The estimator that computed the gradients.'),
  accuracy: z.object({ status: z.string(), criterion: z.string(), deviations: z.array(z.unknown()), unmeasured: z.array(z.string()).optional().describe('Requested parameters without a measurement (the status speaks for the others).'), note: z.string() }).optional().describe('What is known of the estimator\'s accuracy against finite differences for this model and population.'),
});

/** sensitivity: which parameter matters most. */
export const sensitivityOperation = defineOperation({
  name: 'sensitivity',
  title: 'Parameter sensitivity',
  description:
    "Which parameter matters most: the derivative of one output (a metric reduced over the steps: 'metric:sum', ':mean', ':max', ':min' or ':last', e.g. 'newInfections:sum') with respect to every learnable parameter, from one reverse pass through the simulation, with elasticities (% change of the output per 1% change of the parameter), ranked.",
  readOnly: false,
  input: z.object({
    ...simulationFields,
    ...compositionFields,
    steps: stepsField,
    output: outputSchema.describe("'metric' or 'metric:agg' with agg one of sum (default), mean, max, min, last."),
    learnable: learnableField,
    estimator: z
      .enum(['auto', ...GRADIENT_ESTIMATORS])
      .optional()
      .describe('The gradient estimator: auto (default: the unbiased stochastic derivative on contact networks, one straight-through reverse pass otherwise), straight-through or stochastic-derivative.'),
    replicates: z.number().int().min(1).optional().describe(`Alternative paths per step of the stochastic derivative (default ${DEFAULT_STOCHASTIC_REPLICATES}; more narrows its standard error; its cost grows with replicates x steps^2, within the server's maxStochasticAgentSteps).`),
    allocation: z
      .enum(STOCHASTIC_ALLOCATIONS as [StochasticAllocation, ...StochasticAllocation[]])
      .optional()
      .describe("How the stochastic derivative spreads its alternatives over the steps: uniform (default: one per replicate and step) or adaptive (a pilot replicate measures where the estimate varies, then the steps get alternatives in proportion to their spread, for the same cost; needs replicates >= 2; on epi/covid it cut the variance 2-4x)."),
    waitSeconds: waitField(GRADIENT_WAIT_SECONDS),
  }),
  aliases: { wrt: 'learnable' },
  output: z.object({ run: runRecordSchema, finished: z.boolean(), result: ranking.nullable() }),
  text: (o, { store }) => {
    const r = o.result;
    const head = r
      ? `${r.output.metric}:${r.output.agg} = ${r.output.value}. Ranked by |elasticity|:\n${r.entries.map((e, i) => `  ${i + 1}. ${e.param}${e.index === undefined ? '' : `[${e.index}]`} = ${e.value}: d/dparam ${e.gradient.toPrecision(4)}, elasticity ${e.elasticity === null ? '-' : e.elasticity.toPrecision(3)}`).join('\n')}\n`
      : '';
    return `${head}${runText(o.run as never, store)}`;
  },
  run: async ({ waitSeconds, learnable, ...request }, ctx) => {
    const { run, finished } = await submitAndFollow(ctx, { kind: 'sensitivity', ...request, wrt: learnable }, waitSeconds);
    return { run, finished, result: (run.result as SensitivityOutcome | null) ?? null } as never;
  },
});
